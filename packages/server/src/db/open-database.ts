import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

/** The PostgreSQL major version compiled into the pinned PGlite. */
export const PGLITE_PG_MAJOR = 18;
export const PGLITE_VERSION = '0.5.17';

/** Small buffers: the embedded server should idle well under 200 MiB. */
const PGLITE_CONF = [
  'shared_buffers=8MB',
  'work_mem=2MB',
  'maintenance_work_mem=8MB',
  'temp_buffers=1MB',
  'wal_buffers=256kB',
];

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Closes the connections (and, embedded, releases the data folder). */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection URL; absent means the embedded database in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /** Embedded only: hold the data folder's lock (a server does; a short CLI command too). */
  lock?: boolean;
}

export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

// bigint (int8) as string on both drivers; ids are opaque strings in the API.
const INT8_OID = 20;
const BYTEA_OID = 17;

/**
 * The one place that picks the database: PostgreSQL through `pg` when a URL is
 * given, else PGlite persisted in `dataDir`.
 *
 * @example
 * const { db, close } = await openDatabase({ dataDir: './data' })
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir, options.lock ?? true);
}

function openPostgres(url: string, max: number): DatabaseHandle {
  pg.types.setTypeParser(INT8_OID, (value) => value);
  const pool = new pg.Pool({
    connectionString: url,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    // A query that hangs (server gone, lock wait) must not hold a request forever.
    query_timeout: 15_000,
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

const pgliteDir = (dataDir: string) => join(dataDir, 'pgdata');
const manifestPath = (dataDir: string) => join(dataDir, 'hiwar.json');
const lockPath = (dataDir: string) => join(dataDir, 'hiwar.lock');

interface Manifest {
  format: 1;
  pgMajor: number;
  pglite: string;
}

async function openPglite(dataDir: string, lock: boolean): Promise<DatabaseHandle> {
  mkdirSync(dataDir, { recursive: true });
  const releaseLock = lock ? acquireLock(dataDir) : () => {};
  try {
    const dir = pgliteDir(dataDir);
    if (!existsSync(join(dir, 'PG_VERSION'))) await createPgliteFolder(dir);
    checkMajor(dataDir);
    // Imported only for the embedded database: a PostgreSQL server never loads the WASM build.
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = await PGlite.create(dir, {
      postgresqlconf: PGLITE_CONF,
      parsers: {
        [INT8_OID]: (value: string) => value,
        [BYTEA_OID]: (value: string) => Buffer.from(value.slice(2), 'hex'),
      },
    });
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
    return {
      db,
      kind: 'pglite',
      close: async () => {
        try {
          await db.destroy();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

function checkMajor(dataDir: string): void {
  const major = Number(readFileSync(join(pgliteDir(dataDir), 'PG_VERSION'), 'utf8').trim());
  if (major !== PGLITE_PG_MAJOR) {
    throw new DatabaseOpenError(
      `The embedded database in ${dataDir} was written by PostgreSQL ${major}, but this Hiwar embeds ` +
        `PostgreSQL ${PGLITE_PG_MAJOR} (PGlite ${PGLITE_VERSION}). Export it with the Hiwar version that ` +
        'wrote it, or run that version against it; this one will not open it.',
    );
  }
  const manifest: Manifest = { format: 1, pgMajor: major, pglite: PGLITE_VERSION };
  const path = manifestPath(dataDir);
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const next = `${JSON.stringify(manifest, null, 2)}\n`;
  if (previous !== next) writeFileSync(path, next);
}

/**
 * Creating a PGlite folder runs initdb in-process and peaks near 800 MiB; a
 * short-lived child keeps that out of the server. From sources (tests) the
 * child script is not built, so it runs in-process.
 */
async function createPgliteFolder(dir: string): Promise<void> {
  const script = fileURLToPath(new URL('./pglite-init.js', import.meta.url));
  if (!existsSync(script)) {
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = await PGlite.create(dir, { postgresqlconf: PGLITE_CONF });
    await pglite.close();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const child = fork(script, [dir], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else
        reject(new DatabaseOpenError(`Could not create the embedded database in ${dir}: ${stderr.trim()}`));
    });
  });
}

/**
 * PGlite is one connection in one process: a pid file keeps a second process
 * (a CLI command while the server runs) from opening the same folder.
 */
function acquireLock(dataDir: string): () => void {
  const path = lockPath(dataDir);
  if (existsSync(path)) {
    const [pidText, host] = readFileSync(path, 'utf8').trim().split(' ');
    const pid = Number(pidText);
    if (pid !== process.pid && host === hostname() && isAlive(pid)) {
      throw new DatabaseOpenError(
        `The embedded database in ${dataDir} is in use by another Hiwar process (pid ${pid}). ` +
          'Stop the server before running this command, or set DATABASE_URL to use PostgreSQL, ' +
          'which many processes can share.',
      );
    }
  }
  writeFileSync(path, `${process.pid} ${hostname()}\n`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    rmSync(path, { force: true });
  };
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
