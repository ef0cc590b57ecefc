import type { Config } from '../config.js';
import { latestMigration } from '../db/migrations.js';
import { describeDatabase } from '../server.js';
import { withDatabase } from './database.js';

interface Output {
  stdout: { write(text: string): unknown };
}

/**
 * `hiwar migrate`: applies the pending migrations and says which.
 *
 * @example
 * await migrateCommand(config, { stdout: process.stdout }) // → 0
 */
export async function migrateCommand(config: Readonly<Config>, io: Output): Promise<number> {
  const { applied } = await withDatabase(config, async (database) => database);
  const where = databaseName(config);
  if (applied.length === 0) {
    io.stdout.write(`${where} is up to date (latest migration: ${latestMigration}); nothing to apply.\n`);
  } else {
    const list = applied.map((name) => `  ${name}\n`).join('');
    io.stdout.write(
      `Applied ${applied.length} migration${applied.length === 1 ? '' : 's'} to ${where}:\n${list}`,
    );
  }
  return 0;
}

/** "the embedded database in /srv/hiwar/data", "PostgreSQL database hiwar on db:5432". */
export function databaseName(config: Pick<Config, 'databaseUrl' | 'dataDir'>): string {
  const described = describeDatabase(config);
  if (described.kind === 'pglite') return `the embedded database in ${config.dataDir}`;
  return `PostgreSQL database ${described.name ?? '?'} on ${described.host ?? '?'}`;
}
