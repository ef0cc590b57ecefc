import { describe, expect, it } from 'vitest';
import { useTestApp } from './harness.js';
import { getJson, type Json, PAGE, postComment, readBody, threadPath } from './helpers/api.js';
import { at, seedComments, seedThread } from './helpers/seed.js';

const t = useTestApp();

const page = (query: Record<string, string | number | undefined>) =>
  getJson(t, threadPath({ site: 'news', ...query }));
const ids = (comments: Json[]) => comments.map((c) => c.id);

describe('GET /api/v1/threads', () => {
  it('answers an unknown thread with an empty page and the site block, not 404, and creates nothing', async () => {
    await t.addSite({ id: 'news', lang: 'en', edit_window_minutes: 30 });
    const { status, json } = await page({ url: 'https://NEWS.example/never?utm_source=x' });
    expect(status).toBe(200);
    expect(json).toEqual({
      site: { lang: 'en', editWindowMinutes: 30 },
      thread: { id: null, url: 'https://news.example/never', title: null, closed: false, commentCount: 0 },
      comments: [],
      nextCursor: null,
    });
    expect(await t.db.selectFrom('threads').select('id').execute()).toHaveLength(0);
  });

  it('finds a thread by its url and shows its comments with the stored title and count', async () => {
    await t.addSite({ id: 'news' });
    const created = await postComment(t);
    const { status, json } = await page({ url: PAGE });
    expect(status).toBe(200);
    expect(json.site).toEqual({ lang: 'ar', editWindowMinutes: 15 });
    const thread = await t.db.selectFrom('threads').selectAll().executeTakeFirstOrThrow();
    expect(json.thread).toEqual({
      id: thread.id,
      url: PAGE,
      title: 'عنوان المقال',
      closed: false,
      commentCount: 1,
    });
    expect(ids(json.comments)).toEqual([created.id]);
    expect(json.comments[0]).toMatchObject({ replies: [], replyCount: 0, repliesCursor: null });
  });

  it('identifies a thread by its explicit id when a comment gave both id and url', async () => {
    await t.addSite({ id: 'news' });
    const created = await postComment(t, { id: 'article-42', url: `${PAGE}#comments` });
    expect(created.status).toBe(201);
    const row = await t.db.selectFrom('threads').select(['key', 'url']).executeTakeFirstOrThrow();
    expect(row).toEqual({ key: 'i:article-42', url: PAGE });

    const byId = await page({ id: 'article-42' });
    expect(byId.json.thread).toMatchObject({ url: PAGE, commentCount: 1 });
    expect(ids(byId.json.comments)).toEqual([created.id]);
    // The url alone names another (empty) thread: the explicit id is the identity.
    const byUrl = await page({ url: PAGE });
    expect(byUrl.json.comments).toEqual([]);
    expect(byUrl.json.thread.id).toBeNull();
    const both = await page({ id: 'article-42', url: 'https://news.example/elsewhere' });
    expect(ids(both.json.comments)).toEqual([created.id]);
  });

  it('finds a comment posted on one spelling of the url by every other spelling', async () => {
    await t.addSite({ id: 'news' });
    const created = await postComment(t, {
      url: 'HTTPS://News.EXAMPLE:443/a/1?utm_source=tw&b=2&fbclid=F&a=1&gclid=G&UTM_Medium=m#top',
    });
    expect(created.status).toBe(201);
    const row = await t.db.selectFrom('threads').select(['key', 'url']).executeTakeFirstOrThrow();
    expect(row).toEqual({
      key: 'u:https://news.example/a/1?a=1&b=2',
      url: 'https://news.example/a/1?a=1&b=2',
    });

    for (const spelling of [
      'https://news.example/a/1?a=1&b=2',
      'https://news.example:443/a/1?b=2&a=1',
      'https://NEWS.example/a/1?b=2&utm_campaign=c&a=1#fragment',
      'HTTPS://news.example/a/1?gclid=x&a=1&b=2',
    ]) {
      const { json } = await page({ url: spelling });
      expect(ids(json.comments), spelling).toEqual([created.id]);
    }
    // The path is kept as written: another case is another page.
    expect((await page({ url: 'https://news.example/A/1?a=1&b=2' })).json.comments).toEqual([]);
    expect((await page({ url: 'https://news.example/a/1?a=1' })).json.comments).toEqual([]);
    expect((await page({ url: 'http://news.example/a/1?a=1&b=2' })).json.comments).toEqual([]);
  });

  it('orders top-level comments oldest first by default and newest first on request', async () => {
    await t.addSite({ id: 'news' });
    const posted: string[] = [];
    for (const n of [1, 2, 3]) {
      t.clock.advance(60_000);
      posted.push((await postComment(t, { body: `رقم ${n}` })).id);
    }
    expect(ids((await page({ url: PAGE })).json.comments)).toEqual(posted);
    expect(ids((await page({ url: PAGE, sort: 'oldest' })).json.comments)).toEqual(posted);
    expect(ids((await page({ url: PAGE, sort: 'newest' })).json.comments)).toEqual([...posted].reverse());
    const bad = await page({ url: PAGE, sort: 'random' });
    expect(bad.status).toBe(422);
    expect(bad.json.error).toMatchObject({
      code: 'validation_failed',
      details: { fields: { sort: 'invalid' } },
    });
  });

  it('clamps limit to 1..100 and falls back to 50 for junk', async () => {
    await t.addSite({ id: 'news' });
    const threadId = await seedThread(t.db, { url: PAGE, commentCount: 120 });
    await seedComments(
      t.db,
      Array.from({ length: 120 }, (_, i) => ({ threadId, createdAt: at(i) })),
    );
    const cases: Array<[string | undefined, number]> = [
      [undefined, 50],
      ['0', 1],
      ['-3', 1],
      ['1', 1],
      ['37', 37],
      ['100', 100],
      ['1000', 100],
      ['junk', 50],
      ['2.5', 50],
    ];
    for (const [limit, expected] of cases) {
      const { status, json } = await page({ url: PAGE, limit });
      expect(status, `limit=${limit}`).toBe(200);
      expect(json.comments, `limit=${limit}`).toHaveLength(expected);
      expect(json.nextCursor, `limit=${limit}`).toEqual(expect.any(String));
    }
  });

  it('puts pinned comments first, in either sort, and only on the first page', async () => {
    await t.addSite({ id: 'news' });
    const threadId = await seedThread(t.db, { url: PAGE, commentCount: 5 });
    const [a, b, c, d, e] = await seedComments(
      t.db,
      [0, 1, 2, 3, 4].map((i) => ({ threadId, createdAt: at(i) })),
    );
    await t.db
      .updateTable('comments')
      .set({ pinned: true })
      .where('id', 'in', [d as string, b as string])
      .execute();

    const oldest = await page({ url: PAGE });
    expect(ids(oldest.json.comments)).toEqual([b, d, a, c, e]);
    expect(oldest.json.comments.map((x: Json) => x.pinned)).toEqual([true, true, false, false, false]);
    expect(ids((await page({ url: PAGE, sort: 'newest' })).json.comments)).toEqual([d, b, e, c, a]);

    const first = await page({ url: PAGE, limit: 2 });
    expect(ids(first.json.comments)).toEqual([b, d, a, c]);
    const second = await page({ url: PAGE, limit: 2, cursor: first.json.nextCursor });
    expect(ids(second.json.comments)).toEqual([e]);
    expect(second.json.nextCursor).toBeNull();
  });

  it('carries a first batch of 10 replies with replyCount and a cursor for the rest', async () => {
    await t.addSite({ id: 'news' });
    const threadId = await seedThread(t.db, { url: PAGE, commentCount: 17 });
    const [big, small] = await seedComments(t.db, [
      { threadId, createdAt: at(0), repliesCount: 12, childrenCount: 12 },
      { threadId, createdAt: at(1), repliesCount: 3, childrenCount: 3 },
    ]);
    const bigReplies = await seedComments(
      t.db,
      Array.from({ length: 12 }, (_, i) => ({ threadId, parentId: big, createdAt: at(100 - i) })),
    );
    const smallReplies = await seedComments(
      t.db,
      Array.from({ length: 3 }, (_, i) => ({ threadId, parentId: small, createdAt: at(10 + i) })),
    );
    const inOrder = [...bigReplies].reverse(); // seeded newest first, shown oldest first

    const { json } = await page({ url: PAGE });
    const [first, second] = json.comments;
    expect(ids(first.replies)).toEqual(inOrder.slice(0, 10));
    expect(first.replies.every((r: Json) => r.parentId === big && !('replies' in r))).toBe(true);
    expect(first).toMatchObject({ replyCount: 12, repliesCursor: expect.any(String) });
    expect(ids(second.replies)).toEqual(smallReplies);
    expect(second).toMatchObject({ replyCount: 3, repliesCursor: null });

    const rest = await page({ url: PAGE, parent: big, cursor: first.repliesCursor });
    expect(rest.status).toBe(200);
    expect(ids(rest.json.comments)).toEqual(inOrder.slice(10));
    expect(rest.json.nextCursor).toBeNull();
    expect(rest.json.thread.commentCount).toBe(17);

    const all = await page({ url: PAGE, parent: big, limit: 5 });
    expect(ids(all.json.comments)).toEqual(inOrder.slice(0, 5));
    const next = await page({ url: PAGE, parent: big, limit: 5, cursor: all.json.nextCursor });
    expect(ids(next.json.comments)).toEqual(inOrder.slice(5, 10));
  });

  it('answers 404 for replies of a comment that is not a visible top-level comment of this page', async () => {
    await t.addSite({ id: 'news' });
    const top = await postComment(t);
    const reply = await postComment(t, { parentId: top.id });
    const other = await postComment(t, { url: 'https://news.example/a/2' });
    for (const parent of [reply.id, other.id, '999999']) {
      const { status, json } = await page({ url: PAGE, parent });
      expect(status, parent).toBe(404);
      expect(json.error.code).toBe('not_found');
    }
    expect((await page({ url: PAGE, parent: 'abc' })).status).toBe(422);
  });

  it('attaches replies deeper than the site limit (default 5) at the last level', async () => {
    await t.addSite({ id: 'news' });
    const chain = [await postComment(t)];
    for (let depth = 1; depth <= 6; depth++) {
      const parent = chain[depth - 1] as { id: string };
      chain.push(await postComment(t, { parentId: parent.id, body: `عمق ${depth}` }));
    }
    const rows = await t.db
      .selectFrom('comments')
      .select(['id', 'parent_id', 'root_id', 'depth'])
      .orderBy('id')
      .execute();
    const root = chain[0]?.id;
    expect(rows.map((r) => r.depth)).toEqual([0, 1, 2, 3, 4, 4, 4]);
    // Depth 5 and 6 asked for: both land beside the depth-4 comment, under the depth-3 one.
    expect(rows.map((r) => r.parent_id)).toEqual([
      null,
      root,
      chain[1]?.id,
      chain[2]?.id,
      chain[3]?.id,
      chain[3]?.id,
      chain[3]?.id,
    ]);
    expect(rows.slice(1).every((r) => r.root_id === root)).toBe(true);
    expect(chain[5]?.json.comment.parentId).toBe(chain[3]?.id);

    const { json } = await page({ url: PAGE });
    expect(json.comments).toHaveLength(1);
    expect(ids(json.comments[0].replies)).toEqual(chain.slice(1).map((c) => c.id));
    expect(json.comments[0].replyCount).toBe(6);
    expect(json.thread.commentCount).toBe(7);
  });

  it('honours a site max_depth of 2', async () => {
    await t.addSite({ id: 'news', max_depth: 2 });
    const top = await postComment(t);
    const reply = await postComment(t, { parentId: top.id });
    const deeper = await postComment(t, { parentId: reply.id });
    expect(deeper.json.comment.parentId).toBe(top.id);
    const row = await t.db
      .selectFrom('comments')
      .select(['depth', 'parent_id'])
      .where('id', '=', deeper.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ depth: 1, parent_id: top.id });
  });

  it('shows a deleted comment with replies as a placeholder and drops one without', async () => {
    await t.addSite({ id: 'news' });
    const threadId = await seedThread(t.db, { url: PAGE, commentCount: 2 });
    const [withReplies, alone, kept] = await seedComments(t.db, [
      { threadId, createdAt: at(0), status: 'deleted', childrenCount: 1, repliesCount: 1, name: 'محذوف' },
      { threadId, createdAt: at(1), status: 'deleted' },
      { threadId, createdAt: at(2) },
    ]);
    const [reply] = await seedComments(t.db, [{ threadId, parentId: withReplies, createdAt: at(3) }]);
    const { json } = await page({ url: PAGE });
    expect(ids(json.comments)).toEqual([withReplies, kept]);
    expect(ids(json.comments).includes(alone)).toBe(false);
    expect(json.comments[0]).toEqual({
      id: withReplies,
      parentId: null,
      status: 'deleted',
      author: { name: '', website: null, avatar: '', moderator: false },
      html: '',
      createdAt: at(0).toISOString(),
      editedAt: null,
      deleted: true,
      pinned: false,
      replies: [expect.objectContaining({ id: reply, deleted: false })],
      replyCount: 1,
      repliesCursor: null,
    });
  });

  it('answers 304 to a matching If-None-Match and changes the ETag when a comment arrives', async () => {
    await t.addSite({ id: 'news' });
    await postComment(t);
    const path = threadPath({ site: 'news', url: PAGE });
    const first = await t.request(path);
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');

    const cached = await t.request(path, { headers: { 'if-none-match': etag } });
    expect(cached.status).toBe(304);
    expect(await cached.text()).toBe('');
    expect(cached.headers.get('etag')).toBe(etag);
    const listed = await t.request(path, { headers: { 'if-none-match': `W/"other", ${etag}` } });
    expect(listed.status).toBe(304);

    const newest = await t.request(threadPath({ site: 'news', url: PAGE, sort: 'newest' }), {
      headers: { 'if-none-match': etag },
    });
    expect(newest.status).toBe(200);

    await postComment(t, { body: 'جديد' });
    const after = await t.request(path, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect((await readBody(after)).comments).toHaveLength(2);
  });

  it('refuses a cursor made for the other sort, and garbage, with 422 on cursor', async () => {
    await t.addSite({ id: 'news' });
    const threadId = await seedThread(t.db, { url: PAGE, commentCount: 3 });
    await seedComments(
      t.db,
      [0, 1, 2].map((i) => ({ threadId, createdAt: at(i) })),
    );
    const oldest = await page({ url: PAGE, limit: 1 });
    const before = await t.db.selectFrom('comments').selectAll().orderBy('id').execute();

    const forged = (text: string) => Buffer.from(text).toString('base64url');
    for (const cursor of [
      oldest.json.nextCursor,
      'garbage!!',
      '',
      forged('o|not-a-date|1'),
      forged('o|2025-06-01T00:00:00.000Z|0'),
      forged('o|2025-06-01T00:00:00.000Z|-1'),
      forged('x|2025-06-01T00:00:00.000Z|1'),
      'A'.repeat(400),
    ]) {
      const { status, json } = await page({ url: PAGE, sort: 'newest', cursor });
      expect(status, cursor).toBe(422);
      expect(json.error.code).toBe('validation_failed');
      expect(json.error.details.fields).toEqual({ cursor: 'invalid' });
    }
    expect(await t.db.selectFrom('comments').selectAll().orderBy('id').execute()).toEqual(before);
  });

  it('answers a well-formed cursor at the edges of the date range with 200 or 422, never a 5xx', async () => {
    await t.addSite({ id: 'news' });
    const threadId = await seedThread(t.db, { url: PAGE, commentCount: 1 });
    await seedComments(t.db, [{ threadId, createdAt: at(0) }]);
    const times = [
      '-271821-04-20T00:00:00.000Z',
      '-004714-01-01T00:00:00.000Z',
      '0000-01-01T00:00:00.000Z',
      '+275760-09-13T00:00:00.000Z',
    ];
    const statuses: Record<string, number> = {};
    for (const time of times) {
      const cursor = Buffer.from(`o|${time}|1`).toString('base64url');
      statuses[time] = (await page({ url: PAGE, cursor })).status;
    }
    for (const time of times)
      expect([200, 422], `cursor time ${time}: ${JSON.stringify(statuses)}`).toContain(statuses[time]);
  });
});
