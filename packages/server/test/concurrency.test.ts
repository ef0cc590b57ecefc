import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestApp } from './harness.js';

const t = useTestApp();
let close: (() => Promise<void>) | undefined;

afterEach(async () => {
  await close?.();
  close = undefined;
});

/** Serves the test app on a real socket, so each request has its own source address. */
async function listen(): Promise<number> {
  return new Promise((resolve) => {
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(info.port),
    );
    close = () => new Promise((done) => server.close(() => done()));
  });
}

function post(port: number, body: unknown, sourceAddress: string, headers: Record<string, string> = {}) {
  const payload = JSON.stringify(body);
  return new Promise<{ status: number; json: { comment: { id: string }; editToken: string } }>(
    (resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/api/v1/comments',
          method: 'POST',
          localAddress: sourceAddress,
          agent: false,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            ...headers,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    },
  );
}

const comment = (n: number, extra: Record<string, unknown> = {}) => ({
  site: 'news',
  url: 'https://news.example/a/concurrent',
  body: `تعليق رقم ${n}`,
  author: { name: `قارئ ${n}`, email: `reader${n}@example.org` },
  ...extra,
});

describe('concurrent writes', () => {
  it('lands each of 100 concurrent POSTs to one new thread exactly once, from 100 source addresses', async () => {
    await t.addSite({ id: 'news' });
    const port = await listen();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => post(port, comment(i), `127.0.0.${i + 2}`)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(201));
    const ids = new Set(results.map((r) => r.json.comment.id));
    expect(ids.size).toBe(100);

    const threads = await t.db.selectFrom('threads').select(['id', 'comment_count']).execute();
    expect(threads).toHaveLength(1);
    expect(threads[0]?.comment_count).toBe(100);
    // Each comment's change to the counter was applied at its commit, and deleted.
    expect(await t.db.selectFrom('thread_count_changes').select('id').execute()).toEqual([]);
    const rows = await t.db.selectFrom('comments').select(['body_md', 'ip_hash']).execute();
    expect(rows).toHaveLength(100);
    expect(new Set(rows.map((r) => r.body_md)).size).toBe(100);
    // Each source address was seen as its own client.
    expect(new Set(rows.map((r) => Buffer.from(r.ip_hash as Uint8Array).toString('hex'))).size).toBe(100);
  });

  it('keeps the counters true when two replies to one parent race', async () => {
    await t.addSite({ id: 'news' });
    const port = await listen();
    const parent = await post(port, comment(0), '127.0.0.2');
    const parentId = parent.json.comment.id as string;
    const replies = await Promise.all([
      post(port, comment(1, { parentId }), '127.0.0.3'),
      post(port, comment(2, { parentId }), '127.0.0.4'),
    ]);
    expect(replies.map((r) => r.status)).toEqual([201, 201]);
    const row = await t.db
      .selectFrom('comments')
      .select(['children_count', 'replies_count'])
      .where('id', '=', parentId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ children_count: 2, replies_count: 2 });
    const thread = await t.db.selectFrom('threads').select('comment_count').executeTakeFirstOrThrow();
    expect(thread.comment_count).toBe(3);
  });

  it('creates one comment when the same Idempotency-Key is sent ten times at once', async () => {
    await t.addSite({ id: 'news' });
    const port = await listen();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post(port, comment(7), `127.0.1.${i + 2}`, { 'idempotency-key': 'same-key' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.json.comment.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.json.editToken)).size).toBe(1);
    expect(await t.db.selectFrom('comments').select('id').execute()).toHaveLength(1);
  });
});
