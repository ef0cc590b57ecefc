import type { Kysely } from 'kysely';
import type { Keys } from '../crypto/keys.js';
import { migrateToLatest } from './migrations.js';
import type { DatabaseKind } from './open-database.js';
import type { Database } from './schema.js';

export class SecretMismatchError extends Error {
  override name = 'SecretMismatchError';
  constructor() {
    super(
      'HIWAR_SECRET does not match the one this database was created with, so stored email addresses ' +
        'could not be read and look-ups would silently fail. Start Hiwar with the original secret ' +
        '(for the embedded database it is the file "secret" in the data folder).',
    );
  }
}

/** The site a new embedded database starts with, so the demo page works at once. */
export const DEMO_SITE = {
  id: 'demo',
  origins: ['http://localhost:*', 'http://127.0.0.1:*'],
  moderation: 'none',
  lang: 'ar',
} as const;

/**
 * Migrates, checks the secret against the stored key-check value (writing it on
 * a new database) and, on a new embedded database, adds the `demo` site.
 *
 * @example
 * await prepareDatabase(db, keys, 'pglite')
 */
export async function prepareDatabase(db: Kysely<Database>, keys: Keys, kind: DatabaseKind): Promise<void> {
  const applied = await migrateToLatest(db as Kysely<unknown>);
  const isNew = applied.includes('0001-initial');
  await db.transaction().execute(async (trx) => {
    const stored = await trx
      .selectFrom('server_meta')
      .select('value')
      .where('key', '=', 'key_check')
      .executeTakeFirst();
    if (!stored) {
      await trx.insertInto('server_meta').values({ key: 'key_check', value: keys.check }).execute();
    } else if (stored.value !== keys.check) {
      throw new SecretMismatchError();
    }
    if (isNew && kind === 'pglite') {
      await trx
        .insertInto('sites')
        .values({ ...DEMO_SITE, origins: [...DEMO_SITE.origins] })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
  });
}
