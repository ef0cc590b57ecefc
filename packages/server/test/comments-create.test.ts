import { describe, expect, it } from 'vitest';
import { useTestApp } from './harness.js';
import type { Json } from './helpers/api.js';

const t = useTestApp();
const PAGE = 'https://news.example/a/1';

function body(overrides: Record<string, unknown> = {}) {
  return {
    site: 'news',
    url: PAGE,
    title: 'رئيسا روسيا والصين يُهاتفان رئيسي',
    body: 'تعليق **مهم** جداً',
    author: { name: 'أحمد', email: 'ahmad@example.org', website: 'https://ahmad.example' },
    ...overrides,
  };
}

describe('POST /api/v1/comments', () => {
  it('creates an approved comment on a site without moderation and counts it', async () => {
    await t.addSite({ id: 'news', moderation: 'none' });
    const res = await t.post('/api/v1/comments', body());
    expect(res.status).toBe(201);
    const json: Json = await res.json();
    expect(json.comment).toMatchObject({
      parentId: null,
      status: 'approved',
      author: { name: 'أحمد', website: 'https://ahmad.example', moderator: false },
      html: '<p>تعليق <strong>مهم</strong> جداً</p>\n',
      deleted: false,
      pinned: false,
      editedAt: null,
    });
    expect(json.comment.author.avatar).toMatch(/^\/api\/v1\/avatars\/[A-Za-z0-9_-]{16,64}\.svg$/);
    expect(typeof json.editToken).toBe('string');
    expect(json.editableUntil).toBe(new Date(t.clock.now().getTime() + 15 * 60_000).toISOString());

    const thread = await t.db.selectFrom('threads').selectAll().executeTakeFirstOrThrow();
    expect(thread).toMatchObject({ site_id: 'news', key: `u:${PAGE}`, url: PAGE, comment_count: 1 });
    const row = await t.db
      .selectFrom('comments')
      .select(['status', 'body_md', 'email_enc', 'email_bidx'])
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('approved');
    expect(row.body_md).toBe('تعليق **مهم** جداً');
    expect(Buffer.from(row.email_enc as Uint8Array).toString('utf8')).not.toContain('ahmad');
  });

  it('holds every comment for moderation on a site with moderation "all"', async () => {
    await t.addSite({ id: 'news', moderation: 'all' });
    const res = await t.post('/api/v1/comments', body());
    expect(res.status).toBe(201);
    expect(((await res.json()) as Json).comment.status).toBe('pending');
    const thread = await t.db.selectFrom('threads').select('comment_count').executeTakeFirstOrThrow();
    expect(thread.comment_count).toBe(0);
  });

  it('holds a first-time commenter, then approves one with an approved comment on the site', async () => {
    await t.addSite({ id: 'news', moderation: 'first-time' });
    const first: Json = await (await t.post('/api/v1/comments', body())).json();
    expect(first.comment.status).toBe('pending');
    await t.db
      .updateTable('comments')
      .set({ status: 'approved' })
      .where('id', '=', first.comment.id)
      .execute();
    const second = await t.post(
      '/api/v1/comments',
      body({ body: 'ثانٍ', author: { name: 'أحمد', email: '  AHMAD@Example.ORG ' } }),
    );
    expect(((await second.json()) as Json).comment.status).toBe('approved');
    const stranger = await t.post(
      '/api/v1/comments',
      body({ body: 'غريب', author: { name: 'س', email: 'other@example.org' } }),
    );
    expect(((await stranger.json()) as Json).comment.status).toBe('pending');
  });

  it('refuses an unknown site with 404 unknown_site and creates nothing', async () => {
    const res = await t.post('/api/v1/comments', body({ site: 'nope' }));
    expect(res.status).toBe(404);
    expect(((await res.json()) as Json).error.code).toBe('unknown_site');
    expect(await t.db.selectFrom('comments').select('id').execute()).toHaveLength(0);
  });

  it('refuses a page off the site origins with 422 url_not_allowed', async () => {
    await t.addSite({ id: 'news' });
    const res = await t.post('/api/v1/comments', body({ url: 'https://evil.example/a/1' }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as Json).error.code).toBe('url_not_allowed');
    expect(await t.db.selectFrom('threads').select('id').execute()).toHaveLength(0);
  });

  it('refuses a browser origin the site does not allow with 403 forbidden_origin', async () => {
    await t.addSite({ id: 'news' });
    const res = await t.post('/api/v1/comments', body(), { headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as Json).error.code).toBe('forbidden_origin');
    const ok = await t.post('/api/v1/comments', body(), { headers: { origin: 'https://news.example' } });
    expect(ok.status).toBe(201);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://news.example');
  });

  it('answers an Idempotency-Key retry with the first answer and creates one comment', async () => {
    await t.addSite({ id: 'news' });
    const headers = { 'idempotency-key': 'retry-1' };
    const first: Json = await (await t.post('/api/v1/comments', body(), { headers })).json();
    const again = await t.post('/api/v1/comments', body(), { headers });
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(first);
    expect(await t.db.selectFrom('comments').select('id').execute()).toHaveLength(1);
    const reused = await t.post('/api/v1/comments', body({ body: 'آخر' }), { headers });
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as Json).error.details.fields).toEqual({ 'Idempotency-Key': 'invalid' });
  });
});
