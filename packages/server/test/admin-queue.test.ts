import { describe, expect, it } from 'vitest';
import { useTestApp } from './harness.js';
import { bearer, PAGE, postComment } from './helpers/api.js';
import { type AdminJson, adminCall, useModerationCast } from './helpers/seed.js';

const t = useTestApp();
const cast = useModerationCast(t, 'all');

async function post(body: string, extra: Record<string, unknown> = {}) {
  t.clock.tick();
  const posted = await postComment(t, { body, ...extra });
  expect(posted.status).toBe(201);
  return posted;
}

async function postOther(body: string) {
  t.clock.tick();
  return postComment(t, { site: 'other', url: 'https://other.example/p', body });
}

async function postNamed(body: string, name: string) {
  return post(body, { author: { name, email: 'reader@example.org' } });
}

function queue(who: Record<string, string>, query: Record<string, string> = {}) {
  return adminCall(t, 'GET', `/api/v1/admin/comments?${new URLSearchParams(query)}`, who);
}

const ids = (json: AdminJson) => json.comments.map((c: AdminJson) => c.id);

describe('GET /api/v1/admin/comments', () => {
  it('answers 401 without a principal and 403 to a commenter’s edit token', async () => {
    const { token } = await post('x');
    expect((await queue({})).status).toBe(401);
    const res = await queue(bearer(token));
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('forbidden');
  });

  it('shows a moderator only their sites, and refuses a site they do not moderate', async () => {
    const news = await post('news comment');
    const other = await postOther('other comment');
    expect(ids((await queue(cast.mod.bearer)).json)).toEqual([news.id]);
    expect(ids((await queue(cast.otherMod.bearer)).json)).toEqual([other.id]);
    expect(ids((await queue(cast.owner.session)).json)).toEqual([other.id, news.id]);
    const refused = await queue(cast.mod.bearer, { site: 'other' });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('forbidden');
    expect((await queue(cast.owner.bearer, { site: 'nowhere' })).json.error.code).toBe('unknown_site');
    // A moderator naming a site that does not exist learns nothing more than "not yours".
    expect((await queue(cast.mod.bearer, { site: 'nowhere' })).status).toBe(403);
  });

  it('gives each comment its thread, parent, email and statuses', async () => {
    const top = await post('السؤال الأول طويل بعض الشيء');
    await adminCall(t, 'POST', '/api/v1/admin/comments/actions', cast.owner.bearer, {
      action: 'approve',
      ids: [top.id],
    });
    const reply = await post('الجواب', {
      parentId: top.id,
      author: { name: 'سارة', email: 'Sara@Example.org' },
    });
    const { json } = await queue(cast.mod.bearer, { status: 'pending' });
    expect(json.comments).toEqual([
      {
        id: reply.id,
        siteId: 'news',
        parentId: top.id,
        status: 'pending',
        statusBeforeDelete: null,
        author: {
          name: 'سارة',
          website: null,
          avatar: expect.stringMatching(/^\/api\/v1\/avatars\/[\w-]+\.svg$/),
          moderator: false,
          email: 'sara@example.org',
        },
        markdown: 'الجواب',
        html: '<p>الجواب</p>\n',
        createdAt: t.clock.now().toISOString(),
        editedAt: null,
        pinned: false,
        thread: { id: expect.any(String), url: PAGE, title: 'عنوان المقال', closed: false },
        parent: { id: top.id, authorName: 'أحمد', excerpt: 'السؤال الأول طويل بعض الشيء' },
      },
    ]);
    expect(json.nextCursor).toBeNull();
  });

  it('filters by status (everything but deleted by default), thread and dates', async () => {
    const a = await post('a');
    const b = await post('b');
    const c = await post('c');
    const call = (action: string, list: string[]) =>
      adminCall(t, 'POST', '/api/v1/admin/comments/actions', cast.owner.bearer, { action, ids: list });
    await call('approve', [a.id]);
    await call('spam', [b.id]);
    await call('delete', [c.id]);
    expect(ids((await queue(cast.owner.bearer)).json)).toEqual([b.id, a.id]);
    expect(ids((await queue(cast.owner.bearer, { status: 'deleted' })).json)).toEqual([c.id]);
    expect(ids((await queue(cast.owner.bearer, { status: 'spam' })).json)).toEqual([b.id]);
    const other = await postComment(t, { url: 'https://news.example/a/2', body: 'elsewhere' });
    const threadId = (await queue(cast.owner.bearer, { status: 'pending' })).json.comments[0].thread.id;
    expect(ids((await queue(cast.owner.bearer, { thread: threadId })).json)).toEqual([other.id]);

    const created = (
      await t.db.selectFrom('comments').select(['id', 'created_at']).orderBy('id').execute()
    ).map((r) => r.created_at.toISOString());
    expect(
      ids(
        (
          await queue(cast.owner.bearer, {
            from: created[1] as string,
            to: created[1] as string,
            status: 'spam',
          })
        ).json,
      ),
    ).toEqual([b.id]);
    expect(ids((await queue(cast.owner.bearer, { from: created[1] as string })).json)).toEqual([
      other.id,
      b.id,
    ]);
  });

  it('pages by id, newest or oldest first, with an opaque cursor', async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await post(`c${i}`)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: AdminJson } = await queue(cast.mod.bearer, {
        limit: '3',
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...ids(page.json));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());
    const oldest = await queue(cast.mod.bearer, { limit: '3', sort: 'oldest' });
    expect(ids(oldest.json)).toEqual(made.slice(0, 3));
    const next = await queue(cast.mod.bearer, { limit: '3', sort: 'oldest', cursor: oldest.json.nextCursor });
    expect(ids(next.json)).toEqual(made.slice(3, 6));
    // A cursor made for the other order, or forged, is refused.
    const crossed = await queue(cast.mod.bearer, { sort: 'newest', cursor: oldest.json.nextCursor });
    expect(crossed.json.error.details.fields).toEqual({ cursor: 'invalid' });
    for (const forged of [
      'xyz',
      Buffer.from('qn|0').toString('base64url'),
      Buffer.from('qn|1 or 1=1').toString('base64url'),
      'x'.repeat(501),
    ]) {
      expect((await queue(cast.mod.bearer, { cursor: forged })).status, forged).toBe(422);
    }
  });

  it('finds an author by email without regard to case or spaces, or by exact name', async () => {
    const a = await post('one', { author: { name: 'Lina', email: 'lina@example.org' } });
    await post('two', { author: { name: 'Omar', email: 'omar@example.org' } });
    expect(ids((await queue(cast.mod.bearer, { author: '  LINA@example.ORG ' })).json)).toEqual([a.id]);
    expect(ids((await queue(cast.mod.bearer, { author: 'Lina' })).json)).toEqual([a.id]);
    expect(ids((await queue(cast.mod.bearer, { author: 'lin' })).json)).toEqual([]);
  });

  it('refuses malformed, oversized and hostile queries with 422', async () => {
    const hostile: Array<Record<string, string>> = [
      { status: 'everything' },
      { sort: 'sideways' },
      { thread: '0' },
      { thread: '1;drop table comments' },
      { from: 'yesterday' },
      { site: '../etc' },
      { q: 'ي'.repeat(201) },
      { author: `${'a'.repeat(100)}@x.org` },
    ];
    for (const query of hostile) {
      const res = await queue(cast.owner.bearer, query);
      expect(res.status, JSON.stringify(query)).toBe(422);
      expect(res.json.error.code).toBe('validation_failed');
    }
    // Limits out of range are clamped, not refused; unknown parameters are ignored.
    expect(
      (await queue(cast.owner.bearer, { limit: '100000', __proto__: 'x', constructor: 'y' })).status,
    ).toBe(200);
  });
});

describe('the queue’s text search', () => {
  it('ignores diacritics, tatweel and alef, yeh, teh marbuta forms', async () => {
    const post = (body: string) => postNamed(body, 'Reader');
    const diacritics = await post('جاء مُحَمَّدٌ إلى المدرسة');
    const hamza = await post('قال أحمد كلمته');
    const alefMaqsura = await post('مشى على الطريق');
    const tatweel = await post('كلام جمـــيل');
    await post('unrelated text');
    const search = async (q: string) => ids((await queue(cast.mod.bearer, { q })).json);
    expect(await search('محمد')).toEqual([diacritics.id]);
    expect(await search('احمد')).toEqual([hamza.id]);
    expect(await search('أحمد')).toEqual([hamza.id]);
    expect(await search('علي')).toEqual([alefMaqsura.id]);
    expect(await search('جميل')).toEqual([tatweel.id]);
    expect(await search('المدرسه')).toEqual([diacritics.id]);
    expect(await search('مُحمّد المدرسة')).toEqual([diacritics.id]);
    expect(await search('محمد احمد')).toEqual([]);
  });

  it('matches the author name and Latin text without case, never the email', async () => {
    const a = await post('Hello World', { author: { name: 'Zaid', email: 'secret-handle@example.org' } });
    expect(ids((await queue(cast.mod.bearer, { q: 'WORLD' })).json)).toEqual([a.id]);
    expect(ids((await queue(cast.mod.bearer, { q: 'zaid' })).json)).toEqual([a.id]);
    expect(ids((await queue(cast.mod.bearer, { q: 'secret-handle' })).json)).toEqual([]);
    const row = await t.db
      .selectFrom('comments')
      .select('search_text')
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(row.search_text).toBe('hello world\nzaid');
  });

  it('refills the search text when the author edits the comment', async () => {
    const a = await post('قديم');
    const res = await t.request(`/api/v1/comments/${a.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...bearer(a.token) },
      body: JSON.stringify({ body: 'جديد' }),
    });
    expect(res.status).toBe(200);
    expect(ids((await queue(cast.mod.bearer, { q: 'جديد' })).json)).toEqual([a.id]);
    expect(ids((await queue(cast.mod.bearer, { q: 'قديم' })).json)).toEqual([]);
  });

  it('treats search characters literally', async () => {
    const a = await post('100% sure_thing');
    await post('other');
    expect(ids((await queue(cast.mod.bearer, { q: '%' })).json)).toEqual([a.id]);
    expect(ids((await queue(cast.mod.bearer, { q: '_' })).json)).toEqual([a.id]);
    expect(ids((await queue(cast.mod.bearer, { q: "'; select" })).json)).toEqual([]);
  });
});

describe('GET /api/v1/admin/comments/counts', () => {
  it('counts each status on the caller’s sites', async () => {
    const a = await post('a');
    await post('b');
    await postOther('c');
    await adminCall(t, 'POST', '/api/v1/admin/comments/actions', cast.owner.bearer, {
      action: 'spam',
      ids: [a.id],
    });
    expect((await adminCall(t, 'GET', '/api/v1/admin/comments/counts', cast.mod.bearer)).json).toEqual({
      counts: { approved: 0, pending: 1, spam: 1, deleted: 0 },
    });
    expect(
      (await adminCall(t, 'GET', '/api/v1/admin/comments/counts', cast.owner.bearer)).json.counts.pending,
    ).toBe(2);
    expect(
      (await adminCall(t, 'GET', '/api/v1/admin/comments/counts?site=other', cast.owner.bearer)).json.counts,
    ).toEqual({
      approved: 0,
      pending: 1,
      spam: 0,
      deleted: 0,
    });
    expect(
      (await adminCall(t, 'GET', '/api/v1/admin/comments/counts?site=other', cast.mod.bearer)).status,
    ).toBe(403);
    expect((await adminCall(t, 'GET', '/api/v1/admin/comments/counts', {})).status).toBe(401);
  });
});
