import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { createApp } from '../src/app.js';
import type { Config } from '../src/config.js';
import type { Clock } from '../src/context.js';
import { deriveKeys, type Keys } from '../src/crypto/keys.js';
import { type DatabaseHandle, type DatabaseKind, openDatabase } from '../src/db/open-database.js';
import { prepareDatabase } from '../src/db/prepare.js';
import type { Database } from '../src/db/schema.js';
import { createLogger } from '../src/http/logger.js';

/** Which database this run targets: the same suites run on both. */
export const TEST_DB: DatabaseKind = process.env.HIWAR_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

import { TEST_SECRET } from './test-secret.js';

export { TEST_SECRET };

export class ManualClock implements Clock {
  constructor(public current = new Date('2026-01-01T12:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  /** Moves on by one millisecond at each call, so comments get distinct times. */
  tick(): Date {
    this.advance(1);
    return this.now();
  }
}

export interface TestDatabase {
  db: Kysely<Database>;
  kind: DatabaseKind;
  keys: Keys;
  /** PostgreSQL: the URL of this file's own database. PGlite: the data folder. */
  location: string;
  handle: DatabaseHandle;
}

const TABLES = [
  'audit_log',
  'login_failures',
  'bans',
  'api_tokens',
  'sessions',
  'user_sites',
  'users',
  'idempotency_keys',
  'used_form_tokens',
  'thread_count_changes',
  'edit_tokens',
  'comments',
  'threads',
  'sites',
];

/**
 * A migrated database for one test file, emptied before each test: a fresh
 * PostgreSQL database on the test cluster, or a PGlite folder in a temp dir.
 */
export async function openTestDatabase(
  secret = TEST_SECRET,
): Promise<TestDatabase & { drop(): Promise<void> }> {
  const keys = deriveKeys(secret);
  if (TEST_DB === 'postgres') {
    const base = process.env.HIWAR_TEST_PG_URL;
    if (!base) throw new Error('HIWAR_TEST_DB=postgres needs HIWAR_TEST_PG_URL (scripts/test.mjs sets it).');
    const name = `hiwar_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 20 });
    await prepareDatabase(handle.db, keys, 'postgres');
    return {
      db: handle.db,
      kind: 'postgres',
      keys,
      location: url.toString(),
      handle,
      drop: async () => {
        await handle.close();
        const client = new pg.Client({ connectionString: base });
        await client.connect();
        await client.query(`drop database if exists ${name} with (force)`);
        await client.end();
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'hiwar-test-'));
  // A copy of the run's migrated template (made with TEST_SECRET) when there is one.
  const template = secret === TEST_SECRET ? inject('pgliteTemplate') : undefined;
  if (template && existsSync(template)) cpSync(template, dataDir, { recursive: true });
  const handle = await openDatabase({ dataDir });
  await prepareDatabase(handle.db, keys, 'pglite');
  return {
    db: handle.db,
    kind: 'pglite',
    keys,
    location: dataDir,
    handle,
    drop: async () => {
      await handle.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function truncateAll(db: Kysely<Database>): Promise<void> {
  await sql`truncate ${sql.join(TABLES.map((t) => sql.table(t)))} restart identity cascade`.execute(db);
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    publicUrl: 'http://localhost:8080',
    databaseUrl: undefined,
    dataDir: '',
    secret: TEST_SECRET,
    trustedProxies: [],
    akismetUrl: 'https://rest.akismet.com/1.1',
    spamCheckTimeoutMs: 3_000,
    logLevel: 'info',
    ...overrides,
  };
}

/** Collects every log line the app writes, to check nothing private is logged. */
export class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestContext extends TestDatabase {
  app: ReturnType<typeof createApp>['app'];
  lifecycle: ReturnType<typeof createApp>['lifecycle'];
  clock: ManualClock;
  logs: LogCapture;
  /** `app.request` with a client address, as the Node server would give it. */
  request(path: string, init?: RequestInit & { ip?: string }): Promise<Response>;
  /** POST JSON. */
  post(path: string, body: unknown, init?: RequestInit & { ip?: string }): Promise<Response>;
  addSite(site: {
    id: string;
    origins?: string[];
    moderation?: 'none' | 'first-time' | 'all';
    edit_window_minutes?: number;
    max_depth?: number;
    hold_links?: number;
    lang?: 'ar' | 'en';
    flood_seconds?: number;
    thread_hourly_limit?: number;
    site_hourly_limit?: number;
    challenge?: 'off' | 'hold' | 'require';
    min_fill_seconds?: number;
    pow_mode?: 'off' | 'flood' | 'always';
    pow_difficulty?: number;
    pow_flood_threshold?: number;
    spam_checker?: 'off' | 'akismet';
    spam_check_email?: boolean;
  }): Promise<void>;
}

/**
 * Registers the hooks of a storage/API test file: one database for the file,
 * emptied before each test, and an app over it with a manual clock.
 */
export function useTestApp(): TestContext {
  const context = {} as TestContext;
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const database = await openTestDatabase();
    drop = database.drop;
    Object.assign(context, database);
  });
  afterAll(async () => {
    await drop();
  });
  beforeEach(async () => {
    await truncateAll(context.db);
    const clock = new ManualClock();
    const logs = new LogCapture();
    const logger = createLogger('debug', logs);
    const { app, lifecycle } = createApp({
      db: context.db,
      config: testConfig(),
      keys: context.keys,
      clock,
      logger,
    });
    Object.assign(context, {
      app,
      lifecycle,
      clock,
      logs,
      request: (path: string, init: RequestInit & { ip?: string } = {}) => {
        const { ip = '127.0.0.1', ...rest } = init;
        return Promise.resolve(app.request(path, rest, { incoming: { socket: { remoteAddress: ip } } }));
      },
      post: (path: string, body: unknown, init: RequestInit & { ip?: string } = {}) =>
        context.request(path, {
          method: 'POST',
          ...init,
          headers: {
            'content-type': 'application/json',
            ...(init.headers as Record<string, string> | undefined),
          },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      addSite: async (site: Parameters<TestContext['addSite']>[0]) => {
        await context.db
          .insertInto('sites')
          // The abuse rules that would get in the way of tests about something else are
          // off unless a test turns them on (flood limits, the form token, proof of work);
          // a site made through the admin API or the CLI gets the real defaults.
          .values({
            origins: ['https://news.example'],
            moderation: 'none',
            flood_seconds: 0,
            challenge: 'off',
            pow_mode: 'off',
            ...site,
          })
          .execute();
      },
    });
  });
  return context;
}
