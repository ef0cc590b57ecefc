// The thread page cache (threads.service.ts) keeps serialized pages per ETag. Two
// app instances over one database stand for two servers: every change made through
// one must show at once in the other's cached pages.
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { ManualClock, testConfig, useTestApp } from './harness.js';
import { signIn } from './helpers/admin.js';
import { getJson, type Json, PAGE, postComment, threadPath } from './helpers/api.js';
import { adminCall } from './helpers/seed.js';

const t = useTestApp();

/** A second server over the same database, with its own cache and a clock of its own. */
function otherInstance() {
  const clock = new ManualClock(t.clock.now());
  const { app } = createApp({ db: t.db, config: testConfig(), keys: t.keys, clock });
  return {
    clock,
    request: (path: string, init: RequestInit = {}) =>
      Promise.resolve(app.request(path, init, { incoming: { socket: { remoteAddress: '127.0.0.9' } } })),
  };
}

async function page(instance: { request(path: string): Promise<Response> }, query = {}): Promise<Json> {
  const res = await instance.request(threadPath({ site: 'news', url: PAGE, ...query }));
  expect(res.status).toBe(200);
  return res.json();
}

describe('the thread page cache', () => {
  let other: ReturnType<typeof otherInstance>;
  beforeEach(async () => {
    await t.addSite({ id: 'news', moderation: 'none' });
    other = otherInstance();
  });

  it('serves the same bytes again while nothing changed, and the answer matches a fresh one', async () => {
    await postComment(t, { body: 'أول' });
    const first = await t.request(threadPath({ site: 'news', url: PAGE }));
    const second = await t.request(threadPath({ site: 'news', url: PAGE }));
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(second.headers.get('content-type')).toMatch(/^application\/json/);
    const [a, b] = [await first.text(), await second.text()];
    expect(b).toBe(a);
    expect(JSON.parse(b)).toEqual(await page(other));
  });

  it('shows every kind of change made through another instance at once', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const top = await postComment(t, { body: 'الأول' });
    const reply = await postComment(t, { body: 'رد', parentId: top.id });
    const seen = (json: Json) =>
      json.comments.map((c: Json) => ({
        id: c.id,
        html: c.html,
        deleted: c.deleted,
        pinned: c.pinned,
        replies: c.replies.map((r: Json) => r.html),
      }));
    // Warm this instance's cache, then change things through the other one.
    let before = seen(await page(t));
    const steps: Array<[string, () => Promise<number>]> = [
      [
        'an author edit',
        async () =>
          (
            await other.request(`/api/v1/comments/${top.id}`, {
              method: 'PATCH',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${top.token}` },
              body: JSON.stringify({ body: 'الأول بعد التعديل' }),
            })
          ).status,
      ],
      [
        'a moderator edit',
        async () =>
          (
            await adminCall(other, 'PATCH', `/api/v1/admin/comments/${reply.id}`, owner.bearer, {
              body: 'رد معدّل',
            })
          ).status,
      ],
      [
        'a pin',
        async () =>
          (
            await adminCall(other, 'POST', '/api/v1/admin/comments/actions', owner.bearer, {
              action: 'pin',
              ids: [top.id],
            })
          ).status,
      ],
      [
        'a delete',
        async () =>
          (
            await adminCall(other, 'POST', '/api/v1/admin/comments/actions', owner.bearer, {
              action: 'delete',
              ids: [reply.id],
            })
          ).status,
      ],
    ];
    for (const [what, change] of steps) {
      expect(await change(), what).toBeLessThan(300);
      const after = seen(await page(t));
      expect(after, what).not.toEqual(before);
      expect(after, what).toEqual(seen(await page(other)));
      before = after;
    }
  });

  it('follows a change of the site settings and a thread being closed', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const top = await postComment(t);
    expect((await page(t)).site.editWindowMinutes).toBe(15);
    await adminCall(other, 'PATCH', '/api/v1/admin/sites/news', owner.bearer, { editWindowMinutes: 5 });
    expect((await page(t)).site.editWindowMinutes).toBe(5);
    const thread = (await page(t)).thread.id;
    expect(
      (await adminCall(other, 'PATCH', `/api/v1/admin/threads/${thread}`, owner.bearer, { closed: true }))
        .status,
    ).toBe(200);
    expect((await page(t)).thread.closed).toBe(true);
    expect(top.status).toBe(201);
  });

  it('keeps pages of different threads, sorts and cursors apart', async () => {
    for (let i = 0; i < 3; i++) await postComment(t, { body: `تعليق ${i}` });
    await postComment(t, { url: 'https://news.example/a/2', body: 'صفحة أخرى' });
    const oldest = await page(t, { sort: 'oldest' });
    const newest = await page(t, { sort: 'newest' });
    expect(newest.comments.map((c: Json) => c.id)).toEqual(oldest.comments.map((c: Json) => c.id).reverse());
    const small = await page(t, { limit: 2 });
    expect(small.comments).toHaveLength(2);
    const rest = await page(t, { limit: 2, cursor: small.nextCursor });
    expect(rest.comments).toHaveLength(1);
    const otherPage = await getJson(t, threadPath({ site: 'news', url: 'https://news.example/a/2' }));
    expect(otherPage.json.comments.map((c: Json) => c.html)).toEqual(['<p>صفحة أخرى</p>\n']);
  });
});
