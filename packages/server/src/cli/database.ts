import { type Kysely, sql } from 'kysely';
import { type Config, resolveSecret } from '../config.js';
import type { Keys } from '../crypto/keys.js';
import { deriveKeys } from '../crypto/keys.js';
import { type DatabaseKind, openDatabase } from '../db/open-database.js';
import { prepareDatabase } from '../db/prepare.js';
import type { Database } from '../db/schema.js';

export interface CommandDatabase {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** The migrations this command applied while preparing the database, in order. */
  applied: string[];
  /** The keys derived from the server secret (sealing a site's Akismet key needs them). */
  keys: Keys;
}

/**
 * Opens the database the settings name (holding the embedded folder's lock),
 * creates and migrates it if needed, checks the secret, runs `task`, and closes
 * it whatever happens.
 *
 * @example
 * const sites = await withDatabase(config, ({ db }) => listSites(db))
 */
export async function withDatabase<T>(
  config: Readonly<Config>,
  task: (database: CommandDatabase) => Promise<T>,
): Promise<T> {
  const keys = deriveKeys(resolveSecret(config));
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
  });
  try {
    const before = await executedMigrations(handle.db);
    await prepareDatabase(handle.db, keys, handle.kind);
    const after = await executedMigrations(handle.db);
    const applied = after.filter((name) => !before.includes(name));
    return await task({ db: handle.db, kind: handle.kind, applied, keys });
  } finally {
    await handle.close();
  }
}

/** Names of the migrations recorded as done; none on an empty database. */
async function executedMigrations(db: Kysely<Database>): Promise<string[]> {
  const table = await sql<{
    name: string | null;
  }>`select to_regclass('kysely_migration')::text as name`.execute(db);
  if (!table.rows[0]?.name) return [];
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.rows.map((row) => row.name);
}
