import {
  adminRoutes,
  CommentResponseSchema,
  CountsResponseSchema,
  CreateCommentResponseSchema,
  DeleteCommentResponseSchema,
  ErrorBodySchema,
  HealthSchema,
  publicRoutes,
  ReadySchema,
  RepliesPageSchema,
  ThreadPageSchema,
} from '@hiwar/protocol';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './harness.js';
import {
  bearer,
  getJson,
  type Json,
  PAGE,
  postComment,
  readBody,
  sendJson,
  threadPath,
} from './helpers/api.js';

const t = useTestApp();

const keys = (value: Json) => Object.keys(value).sort();

// The frozen public shapes. A new key is a deliberate change: update these lists with it.
const COMMENT_KEYS = [
  'author',
  'createdAt',
  'deleted',
  'editedAt',
  'html',
  'id',
  'parentId',
  'pinned',
  'status',
];
const THREAD_COMMENT_KEYS = [...COMMENT_KEYS, 'replies', 'replyCount', 'repliesCursor'].sort();
const AUTHOR_KEYS = ['avatar', 'moderator', 'name', 'website'];
const PAGE_KEYS = ['comments', 'nextCursor', 'site', 'thread'];
const SITE_KEYS = ['editWindowMinutes', 'lang'];
const THREAD_KEYS = ['closed', 'commentCount', 'id', 'title', 'url'];
const CREATE_KEYS = ['comment', 'editToken', 'editableUntil'];
const DELETE_KEYS = ['deleted', 'placeholder'];
const ERROR_KEYS = ['error'];
const ERROR_INNER_KEYS = ['code', 'message'];
const ERROR_INNER_WITH_DETAILS = ['code', 'details', 'message'];

function expectComment(comment: Json) {
  expect(keys(comment)).toEqual(COMMENT_KEYS);
  expect(keys(comment.author)).toEqual(AUTHOR_KEYS);
}

async function seedThread() {
  await t.addSite({ id: 'news' });
  const top = await postComment(t);
  const replies = [];
  for (let i = 0; i < 11; i++) replies.push(await postComment(t, { parentId: top.id, body: `رد ${i}` }));
  return { top, replies };
}

describe('public response shapes', () => {
  it('freezes the keys of a thread page, its comments and their replies', async () => {
    await seedThread();
    for (const sort of ['oldest', 'newest']) {
      const { status, json } = await getJson(t, threadPath({ site: 'news', url: PAGE, sort }));
      expect(status).toBe(200);
      expect(keys(json)).toEqual(PAGE_KEYS);
      expect(keys(json.site)).toEqual(SITE_KEYS);
      expect(keys(json.thread)).toEqual(THREAD_KEYS);
      const [comment] = json.comments;
      expect(keys(comment)).toEqual(THREAD_COMMENT_KEYS);
      expect(keys(comment.author)).toEqual(AUTHOR_KEYS);
      expect(comment.replies).toHaveLength(10);
      for (const reply of comment.replies) expectComment(reply);
      expect(ThreadPageSchema.parse(json)).toEqual(json);
    }
    const empty = await getJson(t, threadPath({ site: 'news', url: 'https://news.example/empty' }));
    expect(keys(empty.json)).toEqual(PAGE_KEYS);
    expect(keys(empty.json.thread)).toEqual(THREAD_KEYS);
    expect(ThreadPageSchema.parse(empty.json)).toEqual(empty.json);
  });

  it('freezes the keys of a replies page and of one comment', async () => {
    const { top, replies } = await seedThread();
    const page = await getJson(t, threadPath({ site: 'news', url: PAGE, parent: top.id }));
    expect(keys(page.json)).toEqual(PAGE_KEYS);
    expect(page.json.comments).toHaveLength(11);
    for (const reply of page.json.comments) expectComment(reply);
    expect(RepliesPageSchema.parse(page.json)).toEqual(page.json);

    for (const init of [{}, { headers: bearer((replies[0] as { token: string }).token) }]) {
      const one = await getJson(t, `/api/v1/comments/${replies[0]?.id}`, init);
      expect(keys(one.json)).toEqual(['comment']);
      expectComment(one.json.comment);
      expect(CommentResponseSchema.parse(one.json)).toEqual(one.json);
    }
  });

  it('freezes the keys of create, edit and delete answers', async () => {
    await t.addSite({ id: 'news' });
    const created = await postComment(t);
    expect(keys(created.json)).toEqual(CREATE_KEYS);
    expectComment(created.json.comment);
    expect(CreateCommentResponseSchema.parse(created.json)).toEqual(created.json);

    const edited = await readBody(
      await sendJson(t, 'PATCH', `/api/v1/comments/${created.id}`, { body: 'معدل' }, bearer(created.token)),
    );
    expect(keys(edited)).toEqual(['comment']);
    expectComment(edited.comment);
    expect(CommentResponseSchema.parse(edited)).toEqual(edited);

    const res = await t.request(`/api/v1/comments/${created.id}`, {
      method: 'DELETE',
      headers: bearer(created.token),
    });
    const deleted = await readBody(res);
    expect(keys(deleted)).toEqual(DELETE_KEYS);
    expect(DeleteCommentResponseSchema.parse(deleted)).toEqual(deleted);
  });

  it('freezes the keys of counts, errors, healthz and readyz', async () => {
    await t.addSite({ id: 'news' });
    const counts = await getJson(t, `/api/v1/counts?site=news&url=${encodeURIComponent(PAGE)}&id=x`);
    expect(keys(counts.json)).toEqual(['counts']);
    expect(keys(counts.json.counts)).toEqual([PAGE, 'x'].sort());
    expect(CountsResponseSchema.parse(counts.json)).toEqual(counts.json);

    const plain = await getJson(t, '/api/v1/comments/999');
    expect(keys(plain.json)).toEqual(ERROR_KEYS);
    expect(keys(plain.json.error)).toEqual(ERROR_INNER_KEYS);
    expect(ErrorBodySchema.parse(plain.json)).toEqual(plain.json);
    const detailed = await readBody(await t.post('/api/v1/comments', { site: 'news', url: PAGE }));
    expect(keys(detailed.error)).toEqual(ERROR_INNER_WITH_DETAILS);
    expect(keys(detailed.error.details)).toEqual(['fields']);
    expect(ErrorBodySchema.parse(detailed)).toEqual(detailed);
    const closed = await postComment(t);
    t.clock.advance(16 * 60_000);
    const late = await readBody(
      await sendJson(t, 'PATCH', `/api/v1/comments/${closed.id}`, { body: 'x' }, bearer(closed.token)),
    );
    expect(keys(late.error.details)).toEqual(['editableUntil']);
    expect(ErrorBodySchema.parse(late)).toEqual(late);

    const health = await getJson(t, '/healthz');
    expect(health.status).toBe(200);
    expect(HealthSchema.parse(health.json)).toEqual({ status: 'ok' });
    expect(keys(health.json)).toEqual(['status']);
    const ready = await getJson(t, '/readyz');
    expect(ready.status).toBe(200);
    expect(ReadySchema.parse(ready.json)).toEqual({ status: 'ready' });
    expect(keys(ready.json)).toEqual(['status']);
  });
});

/** Resolves a local JSON pointer (`#/a/b`) in `doc`. */
function resolvePointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: Json = doc;
  for (const raw of ref.slice(2).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return node;
}

function collectRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) collectRefs(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') out.push(inner);
      else collectRefs(inner, out);
    }
  }
  return out;
}

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document with every public and admin route and only resolvable $refs', async () => {
    const res = await t.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = await readBody(res);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    for (const [name, route] of Object.entries({ ...publicRoutes, ...adminRoutes })) {
      const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
      const operation = doc.paths?.[path]?.[route.method];
      expect(operation, `${name}: ${route.method} ${path}`).toBeDefined();
      expect(Object.keys(operation.responses).length, name).toBeGreaterThan(0);
      for (const param of path.matchAll(/\{([A-Za-z]+)\}/g)) {
        expect(
          operation.parameters.some((p: Json) => p.in === 'path' && p.name === param[1] && p.required),
          name,
        ).toBe(true);
      }
    }
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) expect(resolvePointer(doc, ref), ref).toBeDefined();
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Comment', 'ThreadPage', 'Error']),
    );
    expect(doc.paths['/api/v1/comments'].post.requestBody.content['application/json'].schema).toBeDefined();
  });
});

describe('GET /api/v1/avatars/:key.svg', () => {
  it('draws the identicon, cacheable and loadable cross-origin', async () => {
    await t.addSite({ id: 'news' });
    const created = await postComment(t);
    const path = created.json.comment.author.avatar as string;
    expect(path).toMatch(/^\/api\/v1\/avatars\/[A-Za-z0-9_-]{16,64}\.svg$/);
    const res = await t.request(path, { headers: { origin: 'https://anywhere.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get('cache-control') ?? '')?.[1]);
    expect(maxAge).toBeGreaterThanOrEqual(30 * 24 * 3_600);
    const svg = await res.text();
    expect(svg).toMatch(/<svg[\s>]/);
    expect(svg).not.toMatch(/<script|\bon[a-z]+\s*=|href\s*=|url\(/i);
    expect(await (await t.request(path)).text()).toBe(svg);
  });

  it('answers 404 not_found for a key of the wrong form', async () => {
    const good = 'AbCdEfGhIjKlMnOp';
    for (const path of [
      `/api/v1/avatars/${good}`,
      `/api/v1/avatars/${good}.png`,
      '/api/v1/avatars/short.svg',
      `/api/v1/avatars/${'a'.repeat(65)}.svg`,
      '/api/v1/avatars/someone%40example.org.svg',
      `/api/v1/avatars/${good}%2F..svg`,
      '/api/v1/avatars/.svg',
    ]) {
      const res = await t.request(path);
      expect(res.status, path).toBe(404);
      expect((await readBody(res)).error.code).toBe('not_found');
    }
  });
});
