import { type Kysely, sql, type Transaction } from 'kysely';
import { describe, expect, it } from 'vitest';
import { enforceFloodLimits } from '../src/abuse/flood.js';
import { createApp } from '../src/app.js';
import { ipNetHash } from '../src/comments/author-keys.js';
import type { Database } from '../src/db/schema.js';
import { ApiError } from '../src/http/api-error.js';
import { testConfig, useTestApp } from './harness.js';
import { signIn } from './helpers/admin.js';
import { type Json, PAGE, postComment, snapshot } from './helpers/api.js';
import { adminCall } from './helpers/seed.js';

const t = useTestApp();

const SECOND = 1000;
const MINUTE = 60 * SECOND;

let authors = 0;
/** A new author each call, so that only the rule under test can refuse. */
function author(email = `reader${++authors}@example.org`) {
  return { name: 'قارئ', email };
}

/** POSTs a comment on site `news` (or `site`) from `ip`, by a new author unless one is given. */
function post(ip: string, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return postComment(t, { author: author(), ...overrides }, { ip, headers });
}

function expectCreated(posted: { status: number; json: Json }) {
  expect(posted.status, JSON.stringify(posted.json)).toBe(201);
}

/** A 429 `rate_limited` naming `reason`, with the same wait in the header and the details. */
async function expectLimited(
  posting: Promise<{ status: number; json: Json }> | { status: number; json: Json },
  reason: string,
  retryAfter: number,
) {
  const posted = await posting;
  expect(posted.status, JSON.stringify(posted.json)).toBe(429);
  expect(posted.json.error.code).toBe('rate_limited');
  expect(posted.json.error.details).toEqual({ reason, retryAfter });
}

async function rows(): Promise<number> {
  return (await t.db.selectFrom('comments').select('id').execute()).length;
}

describe('POST /api/v1/comments: one comment per flood_seconds per network', () => {
  it('refuses a second comment from the address inside the window, and lets it through after', async () => {
    await t.addSite({ id: 'news', flood_seconds: 15 });
    expectCreated(await post('203.0.113.7'));
    await expectLimited(post('203.0.113.7'), 'network', 15);
    t.clock.advance(10 * SECOND);
    await expectLimited(post('203.0.113.7'), 'network', 5);
    t.clock.advance(4_500);
    // Whole seconds, rounded up: never "0", which would invite an immediate retry.
    await expectLimited(post('203.0.113.7'), 'network', 1);
    t.clock.advance(500);
    expectCreated(await post('203.0.113.7'));
    expect(await rows()).toBe(2);
  });

  it('sends Retry-After, readable by the widget on another origin', async () => {
    await t.addSite({ id: 'news', flood_seconds: 15 });
    expectCreated(await post('203.0.113.7'));
    t.clock.advance(3 * SECOND);
    const res = await t.post(
      '/api/v1/comments',
      { site: 'news', url: PAGE, body: 'مرة أخرى', author: author() },
      { ip: '203.0.113.7', headers: { origin: 'https://news.example' } },
    );
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('12');
    expect(res.headers.get('access-control-expose-headers')).toMatch(/\bRetry-After\b/);
    expect(((await res.json()) as Json).error.details).toEqual({ reason: 'network', retryAfter: 12 });
  });

  it('counts an IPv6 /64 as one network, and another /64 apart', async () => {
    await t.addSite({ id: 'news', flood_seconds: 15 });
    expectCreated(await post('2001:db8:1:2::1'));
    await expectLimited(post('2001:db8:1:2:ffff:eeee:dddd:9'), 'network', 15);
    await expectLimited(post('2001:DB8:1:2::abcd'), 'network', 15);
    expectCreated(await post('2001:db8:1:3::1'));
  });

  it('leaves other addresses and other sites alone', async () => {
    await t.addSite({ id: 'news', flood_seconds: 15 });
    await t.addSite({ id: 'blog', origins: ['https://blog.example'], flood_seconds: 15 });
    expectCreated(await post('203.0.113.7'));
    expectCreated(await post('203.0.113.8'));
    expectCreated(await post('203.0.113.7', { site: 'blog', url: 'https://blog.example/p/1' }));
    await expectLimited(post('203.0.113.7'), 'network', 15);
  });

  it('counts held and spam comments too', async () => {
    await t.addSite({ id: 'news', flood_seconds: 15, moderation: 'all' });
    const held = await post('203.0.113.7');
    expect(held.json.comment.status).toBe('pending');
    await expectLimited(post('203.0.113.7'), 'network', 15);
  });

  it('is off with flood_seconds 0', async () => {
    await t.addSite({ id: 'news', flood_seconds: 0 });
    const me = author();
    for (let i = 0; i < 5; i++) expectCreated(await post('203.0.113.7', { author: me }));
  });
});

describe('POST /api/v1/comments: one comment per flood_seconds per author', () => {
  it('refuses the same email from another address inside the window, and lets it through after', async () => {
    await t.addSite({ id: 'news', flood_seconds: 30 });
    expectCreated(await post('203.0.113.7', { author: author('salma@example.org') }));
    t.clock.advance(20 * SECOND);
    // The address's case does not make another author.
    await expectLimited(post('198.51.100.1', { author: author('SALMA@example.org') }), 'author', 10);
    t.clock.advance(10 * SECOND);
    expectCreated(await post('198.51.100.2', { author: author('salma@example.org') }));
  });

  it('limits the author on this site only', async () => {
    await t.addSite({ id: 'news', flood_seconds: 30 });
    await t.addSite({ id: 'blog', origins: ['https://blog.example'], flood_seconds: 30 });
    expectCreated(await post('203.0.113.7', { author: author('salma@example.org') }));
    expectCreated(
      await post('198.51.100.1', {
        site: 'blog',
        url: 'https://blog.example/p/1',
        author: author('salma@example.org'),
      }),
    );
  });
});

describe('POST /api/v1/comments: hourly ceilings', () => {
  it('takes at most thread_hourly_limit comments an hour on a thread', async () => {
    await t.addSite({ id: 'news', thread_hourly_limit: 3 });
    for (let i = 1; i <= 3; i++) {
      expectCreated(await post(`198.51.100.${i}`));
      t.clock.advance(MINUTE);
    }
    // The oldest of the three leaves the hour 57 minutes from now.
    await expectLimited(post('198.51.100.9'), 'thread', 57 * 60);
    expectCreated(await post('198.51.100.9', { url: 'https://news.example/a/2' }));
    t.clock.advance(57 * MINUTE - SECOND);
    await expectLimited(post('198.51.100.10'), 'thread', 1);
    t.clock.advance(SECOND);
    expectCreated(await post('198.51.100.10'));
    // Freed for one comment only: the second of the first three is still in the hour.
    await expectLimited(post('198.51.100.11'), 'thread', 60);
  });

  it('takes at most site_hourly_limit comments an hour on the site, leaving other sites alone', async () => {
    await t.addSite({ id: 'news', site_hourly_limit: 2 });
    await t.addSite({ id: 'blog', origins: ['https://blog.example'], site_hourly_limit: 2 });
    expectCreated(await post('198.51.100.1', { url: 'https://news.example/a/1' }));
    t.clock.advance(10 * MINUTE);
    expectCreated(await post('198.51.100.2', { url: 'https://news.example/a/2' }));
    await expectLimited(post('198.51.100.3', { url: 'https://news.example/a/3' }), 'site', 50 * 60);
    expectCreated(await post('198.51.100.3', { site: 'blog', url: 'https://blog.example/p/1' }));
    t.clock.advance(50 * MINUTE);
    expectCreated(await post('198.51.100.3', { url: 'https://news.example/a/3' }));
  });

  it('has no ceiling at 0', async () => {
    await t.addSite({ id: 'news', thread_hourly_limit: 0, site_hourly_limit: 0 });
    for (let i = 1; i <= 12; i++) expectCreated(await post(`198.51.100.${i}`));
    expect(await rows()).toBe(12);
  });

  it('answers with the limit that keeps its window shut longest', async () => {
    await t.addSite({ id: 'news', flood_seconds: 15, thread_hourly_limit: 1 });
    expectCreated(await post('203.0.113.7'));
    t.clock.advance(5 * SECOND);
    await expectLimited(post('203.0.113.7'), 'thread', 3_595);
  });
});

describe('POST /api/v1/comments: flood limits and the client address', () => {
  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    await t.addSite({ id: 'news', flood_seconds: 15 });
    expectCreated(await post('203.0.113.7', {}, { 'x-forwarded-for': '198.51.100.1' }));
    await expectLimited(post('203.0.113.7', {}, { 'x-forwarded-for': '198.51.100.2' }), 'network', 15);
  });

  it('counts the forwarded client behind a trusted proxy', async () => {
    await t.addSite({ id: 'news', flood_seconds: 15 });
    const { app } = createApp({
      db: t.db,
      keys: t.keys,
      clock: t.clock,
      config: testConfig({ trustedProxies: ['10.0.0.1'], logLevel: 'silent' }),
    });
    const viaProxy = async (client: string) => {
      const res = await app.request(
        '/api/v1/comments',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
          body: JSON.stringify({ site: 'news', url: PAGE, body: `من ${client}`, author: author() }),
        },
        { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
      );
      return { status: res.status, json: (await res.json()) as Json };
    };
    expectCreated(await viaProxy('198.51.100.1'));
    expectCreated(await viaProxy('198.51.100.2'));
    await expectLimited(viaProxy('198.51.100.1'), 'network', 15);
  });
});

describe('POST /api/v1/comments: flood limits under concurrency', () => {
  it('takes exactly one of 100 comments sent at once from one address', async () => {
    await t.addSite({ id: 'news', flood_seconds: 15 });
    // The thread exists first: otherwise its creation alone would line the 100 up.
    expectCreated(await post('198.51.100.200'));
    const results = await Promise.all(Array.from({ length: 100 }, () => post('203.0.113.7')));
    const statuses = results.map((posted) => posted.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 429)).toHaveLength(99);
    expect(await rows()).toBe(2);
  });

  it('takes exactly N of 100 comments sent at once to a thread with a ceiling of N', async () => {
    await t.addSite({ id: 'news', thread_hourly_limit: 7 });
    expectCreated(await post('198.51.100.200'));
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => post(`198.51.100.${i + 1}`)));
    const statuses = results.map((posted) => posted.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(6);
    expect(statuses.filter((status) => status === 429)).toHaveLength(94);
    expect(await rows()).toBe(7);
    const thread = await t.db.selectFrom('threads').select('comment_count').executeTakeFirstOrThrow();
    expect(thread.comment_count).toBe(7);
  });

  it('makes a comment wait for one being written from the same network, then counts it', async () => {
    await t.addSite({ id: 'news', flood_seconds: 15 });
    expectCreated(await post('198.51.100.200'));
    const thread = await t.db.selectFrom('threads').select('id').executeTakeFirstOrThrow();
    const netHash = ipNetHash(t.keys, '203.0.113.7');
    let racing: Promise<{ status: number; json: Json }> | undefined;
    // A comment from 203.0.113.7 passes the limits and is inserted, but not yet committed,
    // while another from the same address arrives.
    await t.db.transaction().execute(async (trx) => {
      const subject = { siteId: 'news', threadId: thread.id, netHash, emailIndex: null };
      await enforceFloodLimits(
        trx,
        { flood_seconds: 15, thread_hourly_limit: 0, site_hourly_limit: 0 },
        subject,
        t.clock.now(),
      );
      await insertComment(trx, thread.id, { ip_net_hash: netHash });
      racing = post('203.0.113.7');
      if (t.kind === 'postgres') await settledOrWaitingOnLock(racing);
    });
    // PGlite has one connection: there the POST simply runs after the commit.
    await expectLimited(racing as NonNullable<typeof racing>, 'network', 15);
  });
});

/**
 * Resolves once `request` has settled or another session waits on an advisory lock:
 * polls pg_locks from a pool connection (no fixed sleep decides the outcome).
 */
async function settledOrWaitingOnLock(request: Promise<unknown>): Promise<void> {
  let settled = false;
  request.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  while (!settled) {
    const waiting = await sql<{ n: number }>`
      select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`.execute(t.db);
    if ((waiting.rows[0]?.n ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A bare comment row, as another request's transaction would insert it. */
async function insertComment(
  db: Kysely<Database> | Transaction<Database>,
  threadId: string,
  values: { ip_net_hash?: Buffer | null } = {},
): Promise<void> {
  await db
    .insertInto('comments')
    .values({
      site_id: 'news',
      thread_id: threadId,
      parent_id: null,
      root_id: null,
      depth: 0,
      status: 'approved',
      status_before_delete: null,
      body_md: 'bare',
      body_html: '<p>bare</p>',
      author_name: 'مجهول',
      author_website: null,
      email_enc: null,
      email_bidx: null,
      avatar_key: 'x',
      ip_hash: null,
      ip_net_hash: null,
      ...values,
      created_at: t.clock.tick(),
    })
    .execute();
}

describe('POST /api/v1/comments: a refused comment', () => {
  it('leaves nothing behind: no comment, no thread, no idempotency key, counts unchanged', async () => {
    await t.addSite({ id: 'news', flood_seconds: 15 });
    expectCreated(await post('203.0.113.7'));
    const before = await snapshot(t);
    const res = await t.post(
      '/api/v1/comments',
      { site: 'news', url: 'https://news.example/a/2', body: 'صفحة جديدة', author: author() },
      { ip: '203.0.113.7', headers: { 'idempotency-key': 'refused-once' } },
    );
    expect(res.status).toBe(429);
    expect(await snapshot(t)).toEqual(before);
    // Nor does it extend the wait: the window still frees 15 s after the first comment.
    t.clock.advance(15 * SECOND);
    expectCreated(await post('203.0.113.7'));
  });
});

describe('moderators and the flood limits', () => {
  it('lets a moderator reply many times quickly, and leaves the ceilings to the public', async () => {
    await t.addSite({ id: 'news', flood_seconds: 15, thread_hourly_limit: 2 });
    const owner = await signIn(t, { role: 'owner' });
    const first = await post('203.0.113.7');
    expectCreated(first);
    for (let i = 0; i < 8; i++) {
      const reply = await adminCall(t, 'POST', `/api/v1/admin/comments/${first.id}/replies`, owner.bearer, {
        body: `رد المشرف ${i}`,
      });
      expect(reply.status, JSON.stringify(reply.json)).toBe(201);
    }
    expectCreated(await post('203.0.113.8'));
    await expectLimited(post('203.0.113.9'), 'thread', 3_600);
    expect(await rows()).toBe(10);
  });
});

describe('enforceFloodLimits', () => {
  const subject = (threadId: string) => ({ siteId: 'news', threadId, netHash: null, emailIndex: null });

  async function threadWithComments(count: number): Promise<string> {
    const thread = await t.db
      .insertInto('threads')
      .values({ site_id: 'news', key: 'i:anon', created_at: t.clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < count; i++) await insertComment(t.db, thread.id);
    return thread.id;
  }

  const check = (
    site: { flood_seconds: number; thread_hourly_limit: number; site_hourly_limit: number },
    id: string,
  ) => t.db.transaction().execute((trx) => enforceFloodLimits(trx, site, subject(id), t.clock.now()));

  it('limits a comment with neither email nor network by the ceilings only', async () => {
    await t.addSite({ id: 'news' });
    const threadId = await threadWithComments(3);
    await expect(
      check({ flood_seconds: 86_400, thread_hourly_limit: 0, site_hourly_limit: 0 }, threadId),
    ).resolves.toBeUndefined();
    await expect(
      check({ flood_seconds: 86_400, thread_hourly_limit: 4, site_hourly_limit: 4 }, threadId),
    ).resolves.toBeUndefined();
    const refused = await check(
      { flood_seconds: 86_400, thread_hourly_limit: 0, site_hourly_limit: 3 },
      threadId,
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).details).toMatchObject({ reason: 'site' });
    expect((refused as ApiError).headers).toEqual({
      'Retry-After': String((refused as ApiError).details?.retryAfter),
    });
  });
});
