import { describe, expect, it } from 'vitest';
import { useTestApp } from './harness.js';
import { signIn } from './helpers/admin.js';
import { getJson, PAGE, postComment } from './helpers/api.js';
import { adminCall } from './helpers/seed.js';

const t = useTestApp();

/** `/api/v1/counts?site=news&url=…&id=…`, each value repeated as given. */
function countsPath(pages: { url?: string[]; id?: string[] }, site = 'news'): string {
  const params = new URLSearchParams({ site });
  for (const url of pages.url ?? []) params.append('url', url);
  for (const id of pages.id ?? []) params.append('id', id);
  return `/api/v1/counts?${params}`;
}

const counts = (pages: { url?: string[]; id?: string[] }, site?: string) =>
  getJson(t, countsPath(pages, site));

describe('GET /api/v1/counts', () => {
  it('answers many urls and ids in one request, keyed exactly as sent', async () => {
    await t.addSite({ id: 'news' });
    await postComment(t);
    await postComment(t, { body: 'ثانٍ' });
    await postComment(t, { url: 'https://news.example/a/2?b=1&a=2' });
    await postComment(t, { id: 'article-9', url: 'https://news.example/a/9' });

    const spellingA = PAGE;
    const spellingB = 'HTTPS://News.Example:443/a/1?utm_source=newsletter#comments';
    const { status, json, headers } = await counts({
      url: [spellingA, spellingB, 'https://news.example/a/2?a=2&b=1', 'https://news.example/unknown'],
      id: ['article-9', 'no-such-id'],
    });
    expect(status).toBe(200);
    expect(json).toEqual({
      counts: {
        [spellingA]: 2,
        [spellingB]: 2,
        'https://news.example/a/2?a=2&b=1': 1,
        'https://news.example/unknown': 0,
        'article-9': 1,
        'no-such-id': 0,
      },
    });
    expect(Object.keys(json.counts)).toHaveLength(6);
    expect(headers.get('cache-control')).toMatch(/max-age=\d+/);
    // Reading counts creates no thread.
    expect(await t.db.selectFrom('threads').select('id').execute()).toHaveLength(3);
  });

  it('counts approved replies but not pending or spam comments', async () => {
    await t.addSite({ id: 'news', moderation: 'none' });
    const top = await postComment(t);
    await postComment(t, { parentId: top.id, body: 'رد' });
    const reply = await postComment(t, { parentId: top.id, body: 'رد ثانٍ' });
    await postComment(t, { parentId: reply.id, body: 'رد على رد' });
    await t.db.updateTable('sites').set({ moderation: 'all' }).execute();
    const held = await postComment(t, { body: 'معلق' });
    const spam = await postComment(t, { body: 'مزعج' });
    await t.db.updateTable('comments').set({ status: 'spam' }).where('id', '=', spam.id).execute();
    expect(held.json.comment.status).toBe('pending');

    const statuses = await t.db.selectFrom('comments').select('status').orderBy('id').execute();
    expect(statuses.map((r) => r.status)).toEqual([
      'approved',
      'approved',
      'approved',
      'approved',
      'pending',
      'spam',
    ]);
    expect((await counts({ url: [PAGE] })).json).toEqual({ counts: { [PAGE]: 4 } });
  });

  it('follows deletes and answers the stored counter', async () => {
    await t.addSite({ id: 'news' });
    const one = await postComment(t);
    await postComment(t, { body: 'ثانٍ' });
    await t.request(`/api/v1/comments/${one.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${one.token}` },
    });
    expect((await counts({ url: [PAGE] })).json.counts[PAGE]).toBe(1);
    const stored = await t.db.selectFrom('threads').select('comment_count').executeTakeFirstOrThrow();
    expect(stored.comment_count).toBe(1);
  });

  it('answers a repeated question from a one-second cache, which any write through the API empties', async () => {
    await t.addSite({ id: 'news' });
    await postComment(t);
    const owner = await signIn(t, { role: 'owner' });
    const fromPage = { headers: { origin: 'https://news.example' } };
    const count = async (urls: string[] = [PAGE]) =>
      (await getJson(t, countsPath({ url: urls }), fromPage)).json;
    expect((await count()).counts[PAGE]).toBe(1);

    // Changed behind the server's back: the same question is answered from the cache,
    // another one (a different set of pages) is not.
    await t.db.updateTable('threads').set({ comment_count: 41 }).execute();
    expect((await count()).counts[PAGE]).toBe(1);
    expect((await count([PAGE, 'https://news.example/a/77'])).counts[PAGE]).toBe(41);

    // A comment through this server empties it: its author sees it counted at once.
    await postComment(t, { body: 'ثالث' });
    expect((await count()).counts[PAGE]).toBe(42);

    // An answer lives one second.
    await t.db.updateTable('threads').set({ comment_count: 7 }).execute();
    expect((await count()).counts[PAGE]).toBe(42);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await count()).counts[PAGE]).toBe(7);

    // A moderator's action empties it: a held comment, once approved, counts at once.
    await t.db.updateTable('sites').set({ moderation: 'all' }).execute();
    const held = await postComment(t, { body: 'معلق' });
    expect(held.json.comment.status).toBe('pending');
    expect((await count()).counts[PAGE]).toBe(7);
    const approved = await adminCall(t, 'POST', '/api/v1/admin/comments/actions', owner.bearer, {
      action: 'approve',
      ids: [held.id],
    });
    expect(approved.status).toBe(200);
    expect((await count()).counts[PAGE]).toBe(8);

    // So does a change to the site's settings: the origin is checked again.
    const patched = await adminCall(t, 'PATCH', '/api/v1/admin/sites/news', owner.bearer, {
      origins: ['https://elsewhere.example'],
    });
    expect(patched.status).toBe(200);
    const refused = await getJson(t, countsPath({ url: [PAGE] }), fromPage);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('forbidden_origin');
  });

  it('keeps sites apart', async () => {
    await t.addSite({ id: 'news' });
    await t.addSite({ id: 'other', origins: ['https://news.example'] });
    await postComment(t);
    expect((await counts({ url: [PAGE] }, 'other')).json).toEqual({ counts: { [PAGE]: 0 } });
  });

  it('takes up to 100 pages and refuses more with 422', async () => {
    await t.addSite({ id: 'news' });
    await postComment(t);
    const urls = Array.from({ length: 100 }, (_, i) => `https://news.example/a/${i + 1}`);
    const ok = await counts({ url: urls });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.json.counts)).toHaveLength(100);
    expect(ok.json.counts[PAGE]).toBe(1);
    expect(Object.values(ok.json.counts).reduce((a, b) => (a as number) + (b as number), 0)).toBe(1);

    for (const pages of [
      { url: [...urls, 'https://news.example/x'] },
      { url: urls.slice(0, 60), id: urls.slice(0, 41).map((_, i) => `id-${i}`) },
    ]) {
      const { status, json } = await counts(pages);
      expect(status).toBe(422);
      expect(json.error.code).toBe('validation_failed');
      expect(Object.values(json.error.details.fields)).toContain('too_long');
    }
  });

  it('refuses a request naming no page, or an invalid url, with 422', async () => {
    await t.addSite({ id: 'news' });
    const none = await counts({});
    expect(none.status).toBe(422);
    expect(none.json.error.details.fields).toEqual({ url: 'required' });
    const bad = await counts({ url: [PAGE, 'not a url'] });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details.fields).toEqual({ url: 'invalid_url' });
  });

  it('answers 404 unknown_site for an unknown site', async () => {
    const { status, json } = await counts({ url: [PAGE] }, 'nope');
    expect(status).toBe(404);
    expect(json.error.code).toBe('unknown_site');
  });
});
