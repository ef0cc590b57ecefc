import { createApp, deriveKeys, openDatabase, prepareDatabase } from '@hiwar/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../../scripts/pg-cluster.mjs';

const SECRET = 'fault-test-secret-of-at-least-thirty-two-chars';
const THREAD = '/api/v1/threads?site=news&url=https%3A%2F%2Fnews.example%2Fa%2F1';

type ErrorJson = { error: { code: string } };

let cluster: Awaited<ReturnType<typeof startCluster>>;
let handle: Awaited<ReturnType<typeof openDatabase>>;
let app: ReturnType<typeof createApp>['app'];

beforeAll(async () => {
  cluster = await startCluster();
  handle = await openDatabase({ databaseUrl: cluster.url, dataDir: '' });
  const keys = deriveKeys(SECRET);
  await prepareDatabase(handle.db, keys, 'postgres');
  await handle.db
    .insertInto('sites')
    // No form token or flood rule: this suite is about the database going away.
    .values({
      id: 'news',
      origins: ['https://news.example'],
      moderation: 'none',
      challenge: 'off',
      flood_seconds: 0,
    })
    .execute();
  ({ app } = createApp({
    db: handle.db,
    keys,
    config: {
      port: 0,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:8080',
      databaseUrl: cluster.url,
      dataDir: '',
      secret: SECRET,
      trustedProxies: [],
      akismetUrl: 'https://rest.akismet.com/1.1',
      spamCheckTimeoutMs: 3_000,
      logLevel: 'silent',
    },
  }));
});

afterAll(async () => {
  await handle?.close();
  await cluster?.destroy();
});

async function waitForReady(deadlineMs: number): Promise<number> {
  const until = Date.now() + deadlineMs;
  let status = 0;
  while (Date.now() < until) {
    status = (await app.request('/readyz')).status;
    if (status === 200) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return status;
}

describe('PostgreSQL stopped under a running server', () => {
  it('answers 503 unavailable while the database is down and recovers by itself', async () => {
    expect((await app.request('/readyz')).status).toBe(200);
    const post = () =>
      app.request('/api/v1/comments', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          site: 'news',
          url: 'https://news.example/a/1',
          body: 'قبل التوقف',
          author: { name: 'سارة', email: 'sara@example.org' },
        }),
      });
    expect((await post()).status).toBe(201);

    await cluster.stop();

    const ready = await app.request('/readyz');
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as ErrorJson).error.code).toBe('unavailable');
    const thread = await app.request(THREAD);
    expect(thread.status).toBe(503);
    expect(((await thread.json()) as ErrorJson).error.code).toBe('unavailable');
    expect(thread.headers.get('retry-after')).toBe('5');
    const write = await post();
    expect(write.status).toBe(503);
    expect(((await write.json()) as ErrorJson).error.code).toBe('unavailable');
    // The process is alive throughout.
    expect((await app.request('/healthz')).status).toBe(200);

    await cluster.start();

    expect(await waitForReady(20_000)).toBe(200);
    const after = await app.request(THREAD);
    expect(after.status).toBe(200);
    const page = (await after.json()) as { comments: Array<{ html: string }> };
    expect(page.comments.map((c) => c.html)).toEqual(['<p>قبل التوقف</p>\n']);
  });
});
