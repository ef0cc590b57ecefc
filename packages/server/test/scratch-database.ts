import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Config } from '../src/config.js';
import { type DatabaseHandle, type DatabaseKind, openDatabase } from '../src/db/open-database.js';
import { TEST_DB, TEST_SECRET, testConfig } from './harness.js';

/**
 * A database of its own for tests that run whole commands or a whole server
 * (which create and migrate it when it is empty): a fresh PostgreSQL database
 * on the test cluster, or a data folder for PGlite.
 */
export interface ScratchDatabase {
  kind: DatabaseKind;
  /** The settings a site owner would set: DATABASE_URL and HIWAR_SECRET, or HIWAR_DATA_DIR alone. */
  env: Record<string, string>;
  /** The same settings as a Config, for `startServer`. */
  config(overrides?: Partial<Config>): Config;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Opens it for assertions; on PGlite only while no server or command holds it. */
  open(): Promise<DatabaseHandle>;
  drop(): Promise<void>;
}

/**
 * Creates a scratch database; `password` goes into the URL (the test cluster trusts any).
 * On PGlite it starts as a copy of the run's migrated template (made with TEST_SECRET, which
 * it writes as the folder's `secret` file), unless `empty` asks for a folder with nothing in it.
 */
export async function createScratchDatabase(
  options: { password?: string; empty?: boolean } = {},
): Promise<ScratchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hiwar-scratch-'));
  const template = TEST_DB === 'pglite' && !options.empty ? inject('pgliteTemplate') : undefined;
  if (template && existsSync(template)) {
    cpSync(template, dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'secret'), `${TEST_SECRET}\n`, { mode: 0o600 });
  }
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (TEST_DB === 'postgres') {
    const base = process.env.HIWAR_TEST_PG_URL;
    if (!base) throw new Error('HIWAR_TEST_DB=postgres needs HIWAR_TEST_PG_URL (scripts/test.mjs sets it).');
    const name = `hiwar_scratch_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    await adminQuery(base, `create database ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    if (options.password) url.password = options.password;
    databaseUrl = url.toString();
    dropDatabase = () => adminQuery(base, `drop database if exists ${name} with (force)`);
  }
  const env: Record<string, string> = databaseUrl
    ? { DATABASE_URL: databaseUrl, HIWAR_SECRET: TEST_SECRET, HIWAR_DATA_DIR: dataDir }
    : { HIWAR_DATA_DIR: dataDir };
  return {
    kind: TEST_DB,
    env,
    dataDir,
    databaseUrl,
    config: (overrides = {}) =>
      testConfig({ dataDir, databaseUrl, secret: databaseUrl ? TEST_SECRET : undefined, ...overrides }),
    open: () => openDatabase({ databaseUrl, dataDir, poolSize: 2 }),
    drop: async () => {
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
