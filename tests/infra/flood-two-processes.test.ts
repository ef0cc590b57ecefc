import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveKeys, openDatabase, prepareDatabase } from '@hiwar/server';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgCluster, startCluster } from '../../scripts/pg-cluster.mjs';
import { freePort, type HiwarProcess, MAIN, startHiwar } from '../browser/support/hiwar-process.js';

/**
 * Two Hiwar server processes on one PostgreSQL database share the flood limits:
 * they are counted from the comments table under advisory locks, not in a process's
 * memory. Runs the built server (`pnpm build` first; `pnpm test` builds).
 */

const SECRET = 'flood-two-processes-secret-of-at-least-32-chars';
const ORIGIN = 'https://news.example';
const PAGE = 'https://news.example/a/1';

/** `node packages/server/dist/main.js` on `databaseUrl`, trusting X-Forwarded-For from 127.0.0.1. */
async function startServer(databaseUrl: string, dataDir: string): Promise<HiwarProcess> {
  return startHiwar({
    dataDir,
    port: await freePort(),
    timeoutMs: 60_000,
    env: { DATABASE_URL: databaseUrl, HIWAR_SECRET: SECRET, HIWAR_TRUSTED_PROXIES: '127.0.0.1' },
  });
}

let cluster: PgCluster | undefined;
let adminUrl: string;
let databaseUrl: string;
let dataDir: string;
const databaseName = `hiwar_flood_${process.pid}`;
const servers: HiwarProcess[] = [];

beforeAll(async () => {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`pnpm build\` first (\`pnpm test\` does).`);
  if (process.env.HIWAR_TEST_PG_URL) adminUrl = process.env.HIWAR_TEST_PG_URL;
  else {
    cluster = await startCluster();
    adminUrl = cluster.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${databaseName} with (force)`);
  await admin.query(`create database ${databaseName}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  databaseUrl = url.toString();

  // Migrated and given its site before either server starts: neither races to migrate.
  const handle = await openDatabase({ databaseUrl, dataDir: '' });
  try {
    await prepareDatabase(handle.db, deriveKeys(SECRET), 'postgres');
    await handle.db
      .insertInto('sites')
      .values({
        id: 'news',
        origins: [ORIGIN],
        moderation: 'none',
        // Long enough that no request of this file outlives the window on a slow machine.
        flood_seconds: 3_600,
        challenge: 'off',
        pow_mode: 'off',
      })
      .execute();
  } finally {
    await handle.close();
  }
  dataDir = mkdtempSync(join(tmpdir(), 'hiwar-flood-'));
  servers.push(await startServer(databaseUrl, dataDir), await startServer(databaseUrl, dataDir));
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  if (adminUrl) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${databaseName} with (force)`);
    await admin.end();
  }
  await cluster?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

let sent = 0;

/** POSTs a new comment (new author, new text) as forwarded for `client` by the proxy at 127.0.0.1. */
async function post(
  server: HiwarProcess,
  client: string,
): Promise<{ status: number; json: { error?: { details?: unknown } } }> {
  sent += 1;
  const res = await fetch(`${server.apiUrl}/api/v1/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, 'x-forwarded-for': client },
    body: JSON.stringify({
      site: 'news',
      url: PAGE,
      body: `تعليق رقم ${sent}`,
      author: { name: 'قارئ', email: `reader${sent}@example.org` },
    }),
  });
  return { status: res.status, json: (await res.json()) as { error?: { details?: unknown } } };
}

async function commentCount(): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('select count(*)::int as n from comments');
    return rows[0]?.n ?? Number.NaN;
  } finally {
    await client.end();
  }
}

describe('flood limits across two server processes on one PostgreSQL', () => {
  it('refuses on one process a comment the other has just taken from the same address', async () => {
    const [a, b] = servers as [HiwarProcess, HiwarProcess];
    const first = await post(a, '198.51.100.8');
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    const second = await post(b, '198.51.100.8');
    expect(second.status, `${JSON.stringify(second.json)}\n${b.output()}`).toBe(429);
    expect(second.json.error?.details).toMatchObject({ reason: 'network' });
    // Another address is not held back on either process.
    expect((await post(b, '198.51.100.9')).status).toBe(201);
  });

  it('takes exactly one of 20 comments sent at once from one address to both processes', async () => {
    const before = await commentCount();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(servers[i % 2] as HiwarProcess, '203.0.113.50')),
    );
    const statuses = results.map((result) => result.status).sort();
    expect(statuses, servers.map((server) => server.output()).join('\n')).toEqual([
      201,
      ...Array(19).fill(429),
    ]);
    expect(await commentCount()).toBe(before + 1);
  });
});
