import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import * as m0001 from './migrations/0001-initial.js';
import * as m0002 from './migrations/0002-moderation.js';
import * as m0003 from './migrations/0003-abuse.js';
import * as m0004 from './migrations/0004-flood-and-challenge.js';
import * as m0005 from './migrations/0005-thread-count-changes.js';

/** Every migration, in order. Numbered, forward-only, frozen once released. */
const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-moderation': m0002,
  '0003-abuse': m0003,
  '0004-flood-and-challenge': m0004,
  '0005-thread-count-changes': m0005,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Applies every pending migration. Throws {@link MigrationError} naming the
 * migration that failed; the database is left at the last one that succeeded.
 *
 * @example
 * const applied = await migrateToLatest(db) // ['0001-initial']
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: false });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((result) => result.status === 'Error');
  if (error || failed) {
    const which = failed ? ` (migration ${failed.migrationName})` : '';
    throw new MigrationError(`Database migration failed${which}: ${describe(error)}`, { cause: error });
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

/** True when every known migration has been applied. */
export async function isMigrated(db: Kysely<unknown>): Promise<boolean> {
  const migrator = new Migrator({ db, provider });
  const all = await migrator.getMigrations();
  return all.every((migration) => migration.executedAt !== undefined);
}

export const latestMigration = Object.keys(migrations).at(-1);

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
