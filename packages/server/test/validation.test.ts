import { beforeEach, describe, expect, it } from 'vitest';
import { useTestApp } from './harness.js';
import {
  bearer,
  commentBody,
  type Json,
  PAGE,
  type Posted,
  postComment,
  readBody,
  sendJson,
  snapshot,
} from './helpers/api.js';

const t = useTestApp();

/** One approved comment exists before every test; the state after it is the baseline. */
let existing: Posted;
let baseline: unknown;

beforeEach(async () => {
  await t.addSite({ id: 'news' });
  await t.addSite({ id: 'other', origins: ['https://other.example'] });
  existing = await postComment(t);
  await postComment(t, { site: 'other', url: 'https://other.example/p' });
  baseline = await snapshot(t);
});

/** Asserts the error answer and that the tables are as they were. */
async function refused(
  res: Response,
  status: number,
  code: string,
  fields?: Record<string, string>,
): Promise<Json> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const json = JSON.parse(text);
  expect(json.error.code).toBe(code);
  expect(typeof json.error.message).toBe('string');
  if (fields) expect(json.error.details.fields).toEqual(fields);
  expect(await snapshot(t)).toEqual(baseline);
  return json;
}

const create = (overrides: Record<string, unknown>) => t.post('/api/v1/comments', commentBody(overrides));
const author = (fields: Record<string, unknown>) => ({
  author: { name: 'أحمد', email: 'ahmad@example.org', ...fields },
});
const withoutKey = (object: Record<string, unknown>, key: string) => {
  const copy = { ...object };
  delete copy[key];
  return copy;
};

describe('POST /api/v1/comments: fields', () => {
  it.each([
    ['a missing name', { author: { email: 'a@example.org' } }, { 'author.name': 'required' }],
    ['an empty name', author({ name: '' }), { 'author.name': 'required' }],
    ['a blank name', author({ name: '  \t ' }), { 'author.name': 'required' }],
    ['a name of 246 characters', author({ name: 'ب'.repeat(246) }), { 'author.name': 'too_long' }],
    ['a missing email', { author: { name: 'أحمد' } }, { 'author.email': 'required' }],
    [
      'an email of 101 characters',
      author({ email: `${'a'.repeat(89)}@example.org` }),
      { 'author.email': 'too_long' },
    ],
    ['an email without @', author({ email: 'not-an-email' }), { 'author.email': 'invalid_email' }],
    ['an email without domain', author({ email: 'a@' }), { 'author.email': 'invalid_email' }],
    [
      'a javascript: website',
      author({ website: 'javascript:alert(1)' }),
      { 'author.website': 'invalid_url' },
    ],
    ['an ftp: website', author({ website: 'ftp://x' }), { 'author.website': 'invalid_url' }],
    ['a relative website', author({ website: '/about' }), { 'author.website': 'invalid_url' }],
    ['a website without scheme', author({ website: 'ahmad.example' }), { 'author.website': 'invalid_url' }],
    [
      'a website of 201 characters',
      author({ website: `https://x.example/${'a'.repeat(183)}` }),
      { 'author.website': 'too_long' },
    ],
    ['an empty body', { body: '' }, { body: 'required' }],
    ['a blank body', { body: ' \n\t \n' }, { body: 'required' }],
    ['a body of 65 526 characters', { body: 'ا'.repeat(65_526) }, { body: 'too_long' }],
    ['a NUL in the body', { body: 'a\u0000b' }, { body: 'invalid_characters' }],
    ['a lone surrogate in the body', { body: 'a\ud800b' }, { body: 'invalid_characters' }],
    ['a lone low surrogate in the body', { body: 'a\udc00' }, { body: 'invalid_characters' }],
    ['a NUL in the name', author({ name: 'أحمد\u0000' }), { 'author.name': 'invalid_characters' }],
    ['no url and no id', { url: undefined }, { url: 'required' }],
    ['a javascript: url', { url: 'javascript:alert(1)' }, { url: 'invalid_url' }],
    ['a malformed parentId', { parentId: '12abc' }, { parentId: 'invalid' }],
    ['a body that is a number', { body: 42 }, { body: 'invalid' }],
  ])('refuses %s with 422 and its reason', async (_name, overrides, fields) => {
    await refused(await create(overrides), 422, 'validation_failed', fields);
  });

  it('refuses a body without site with 422 site: required', async () => {
    const res = await t.post('/api/v1/comments', withoutKey(commentBody(), 'site'));
    await refused(res, 422, 'validation_failed', { site: 'required' });
  });

  it('accepts every field at its limit', async () => {
    const name = 'ب'.repeat(245);
    const email = `${'a'.repeat(88)}@example.org`;
    const website = `https://x.example/${'a'.repeat(182)}`;
    const body = 'ا'.repeat(65_525);
    expect(email).toHaveLength(100);
    expect(website).toHaveLength(200);
    const res = await create({ body, author: { name, email, website } });
    expect(res.status).toBe(201);
    const json = await readBody(res);
    expect(json.comment.author).toMatchObject({ name, website });
    const row = await t.db
      .selectFrom('comments')
      .select(['author_name', 'body_md'])
      .where('id', '=', json.comment.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ author_name: name, body_md: body });
  });

  it('measures a name after NFC normalization and stores it normalized', async () => {
    const nfd = 'e\u0301'.repeat(245); // 490 code units, 245 once composed
    const res = await create(author({ name: nfd }));
    expect(res.status).toBe(201);
    const json = await readBody(res);
    expect(json.comment.author.name).toBe('\u00e9'.repeat(245));
    const row = await t.db
      .selectFrom('comments')
      .select('author_name')
      .where('id', '=', json.comment.id)
      .executeTakeFirstOrThrow();
    expect(row.author_name).toBe('\u00e9'.repeat(245));
    baseline = await snapshot(t);
    await refused(await create(author({ name: 'e\u0301'.repeat(246) })), 422, 'validation_failed', {
      'author.name': 'too_long',
    });
  });

  it('accepts an empty website and stores none', async () => {
    const res = await create(author({ website: '' }));
    expect(res.status).toBe(201);
    const json = await readBody(res);
    expect(json.comment.author.website).toBeNull();
    const row = await t.db
      .selectFrom('comments')
      .select('author_website')
      .where('id', '=', json.comment.id)
      .executeTakeFirstOrThrow();
    expect(row.author_website).toBeNull();
  });

  it('refuses a parent from another thread (404) and a page off the origins (422 url_not_allowed)', async () => {
    const elsewhere = await create({ url: 'https://news.example/a/2', parentId: existing.id });
    await refused(elsewhere, 404, 'not_found');
    const otherSite = (
      await t.db.selectFrom('comments').select('id').where('site_id', '=', 'other').executeTakeFirstOrThrow()
    ).id;
    await refused(await create({ parentId: otherSite }), 404, 'not_found');
    await refused(await create({ url: 'http://news.example/a/1' }), 422, 'url_not_allowed');
    await refused(await create({ url: 'https://news.example.evil.example/a/1' }), 422, 'url_not_allowed');
  });
});

describe('POST /api/v1/comments: the request itself', () => {
  it('refuses malformed JSON with 400 invalid_json', async () => {
    for (const text of ['{"site":', '{site: "news"}', "{'a':1}", '', '\u0000']) {
      await refused(await t.post('/api/v1/comments', text), 400, 'invalid_json');
    }
  });

  it('refuses a body that is not application/json with 415', async () => {
    const json = JSON.stringify(commentBody());
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
    ]) {
      const res = await t.request('/api/v1/comments', {
        method: 'POST',
        headers: { 'content-type': type },
        body: json,
      });
      await refused(res, 415, 'unsupported_media_type');
    }
    const untyped = await t.request('/api/v1/comments', {
      method: 'POST',
      body: new TextEncoder().encode(json),
    });
    await refused(untyped, 415, 'unsupported_media_type');
    const patch = await t.request(`/api/v1/comments/${existing.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'text/plain', ...bearer(existing.token) },
      body: JSON.stringify({ body: 'x' }),
    });
    await refused(patch, 415, 'unsupported_media_type');
    const charset = await t.post('/api/v1/comments', commentBody({ body: 'مع charset' }), {
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(charset.status).toBe(201);
  });

  it('refuses a body over 512 KiB with 413, on create and on edit', async () => {
    const big = JSON.stringify(commentBody({ body: 'a'.repeat(512 * 1024) }));
    await refused(await t.post('/api/v1/comments', big), 413, 'payload_too_large');
    const edit = await sendJson(
      t,
      'PATCH',
      `/api/v1/comments/${existing.id}`,
      { body: 'b'.repeat(600_000) },
      bearer(existing.token),
    );
    await refused(edit, 413, 'payload_too_large');
  });

  it('refuses JSON that is not an object with 422', async () => {
    for (const text of ['[]', '[{"site":"news"}]', '42', 'null', '"news"', 'true']) {
      await refused(await t.post('/api/v1/comments', text), 422, 'validation_failed');
    }
  });

  it('is not fooled by __proto__ or constructor keys', async () => {
    const valid = JSON.stringify(commentBody({ body: 'proto' })).slice(1, -1);
    const res = await t.post(
      '/api/v1/comments',
      `{"__proto__":{"polluted":true,"site":"other"},"constructor":{"prototype":{"polluted":true}},${valid}}`,
    );
    expect(res.status).toBe(201);
    const json = await readBody(res);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const row = await t.db
      .selectFrom('comments')
      .select(['site_id', 'body_md'])
      .where('id', '=', json.comment.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ site_id: 'news', body_md: 'proto' });

    baseline = await snapshot(t);
    const hiddenName =
      '{"site":"news","url":"https://news.example/a/1","body":"x","author":{"__proto__":{"name":"خفي"},"email":"a@example.org"}}';
    await refused(await t.post('/api/v1/comments', hiddenName), 422, 'validation_failed', {
      'author.name': 'required',
    });
  });
});

describe('odd input anywhere', () => {
  it('gets a 4xx with a code, never a 5xx, and changes nothing', async () => {
    const q = (query: string) => t.request(`/api/v1/threads?${query}`);
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const cases: Array<[string, Promise<Response>, number]> = [
      ['NUL in site', q(`site=%00&url=${encodeURIComponent(PAGE)}`), 422],
      ['a site id of 65 characters', q(`site=${'s'.repeat(65)}&url=${encodeURIComponent(PAGE)}`), 422],
      ['NUL in url', q('site=news&url=%00'), 422],
      ['a url that is not http', q('site=news&url=javascript:alert(1)'), 422],
      ['a url of 2 001 characters', q(`site=news&url=https://news.example/${'a'.repeat(1_982)}`), 422],
      ['a cursor of 501 characters', q(`site=news&id=x&cursor=${'A'.repeat(501)}`), 422],
      ['a thread id of invalid UTF-8', q('site=news&id=%ED%A0%80'), 200],
      ['counts with NUL in id', t.request('/api/v1/counts?site=news&id=%00'), 422],
      ['a title of 501 characters', create({ title: 'ع'.repeat(501) }), 422],
      ['an explicit id of 201 characters', create({ id: 'i'.repeat(201) }), 422],
      ['notifyReplies as a string', create({ notifyReplies: 'yes' }), 422],
      ['a parentId beyond any comment', create({ parentId: '999999999999999999' }), 404],
      ['a parentId of 19 digits', create({ parentId: '1234567890123456789' }), 422],
      ['deeply nested JSON', t.post('/api/v1/comments', deep), 422],
      [
        'an Idempotency-Key with spaces',
        t.post('/api/v1/comments', commentBody(), { headers: { 'idempotency-key': 'a b' } }),
        422,
      ],
      ['a PUT', t.request('/api/v1/comments', { method: 'PUT' }), 404],
      ['an unknown API path', t.request('/api/v1/nothing-here'), 404],
      [
        'a huge bearer token',
        t.request(`/api/v1/comments/${existing.id}`, { headers: bearer('t'.repeat(5_000)) }),
        401,
      ],
    ];
    for (const [name, pending, status] of cases) {
      const res = await pending;
      const text = await res.text();
      expect(res.status, `${name}: ${text.slice(0, 200)}`).toBe(status);
      expect(JSON.parse(text).error?.code ?? 'ok', name).toEqual(expect.any(String));
      expect(await snapshot(t), name).toEqual(baseline);
    }
  });
});

describe('site and origin checks on every route', () => {
  it('answers 404 unknown_site on threads, counts and create', async () => {
    await refused(
      await t.request(`/api/v1/threads?site=nope&url=${encodeURIComponent(PAGE)}`),
      404,
      'unknown_site',
    );
    await refused(
      await t.request(`/api/v1/counts?site=nope&url=${encodeURIComponent(PAGE)}`),
      404,
      'unknown_site',
    );
    await refused(await create({ site: 'nope' }), 404, 'unknown_site');
  });

  it('answers 422 when site is missing', async () => {
    await refused(
      await t.request(`/api/v1/threads?url=${encodeURIComponent(PAGE)}`),
      422,
      'validation_failed',
      { site: 'required' },
    );
    await refused(
      await t.request(`/api/v1/counts?url=${encodeURIComponent(PAGE)}`),
      422,
      'validation_failed',
      { site: 'required' },
    );
    await refused(await t.request('/api/v1/threads?site=news'), 422, 'validation_failed', {
      url: 'required',
    });
  });

  it('answers 403 forbidden_origin to a browser on another origin, on every route, and changes nothing', async () => {
    const origin = { origin: 'https://evil.example' };
    const q = `site=news&url=${encodeURIComponent(PAGE)}`;
    const cases: Array<[string, Promise<Response>]> = [
      ['GET threads', t.request(`/api/v1/threads?${q}`, { headers: origin })],
      ['GET counts', t.request(`/api/v1/counts?${q}`, { headers: origin })],
      ['GET comment', t.request(`/api/v1/comments/${existing.id}`, { headers: origin })],
      [
        'GET own comment',
        t.request(`/api/v1/comments/${existing.id}`, { headers: { ...origin, ...bearer(existing.token) } }),
      ],
      [
        'PATCH',
        sendJson(
          t,
          'PATCH',
          `/api/v1/comments/${existing.id}`,
          { body: 'x' },
          { ...origin, ...bearer(existing.token) },
        ),
      ],
      [
        'DELETE',
        t.request(`/api/v1/comments/${existing.id}`, {
          method: 'DELETE',
          headers: { ...origin, ...bearer(existing.token) },
        }),
      ],
      ['POST', t.post('/api/v1/comments', commentBody(), { headers: origin })],
      // An origin allowed by another site is not allowed here.
      [
        'GET threads from another site',
        t.request(`/api/v1/threads?${q}`, { headers: { origin: 'https://other.example' } }),
      ],
      [
        'a look-alike origin',
        t.request(`/api/v1/threads?${q}`, { headers: { origin: 'https://news.example.evil.example' } }),
      ],
      [
        'http instead of https',
        t.request(`/api/v1/threads?${q}`, { headers: { origin: 'http://news.example' } }),
      ],
      ['the null origin', t.request(`/api/v1/threads?${q}`, { headers: { origin: 'null' } })],
    ];
    for (const [name, pending] of cases) {
      const json = await refused(await pending, 403, 'forbidden_origin');
      expect(json.error.code, name).toBe('forbidden_origin');
    }
    const allowed = await t.request(`/api/v1/threads?${q}`, { headers: { origin: 'https://news.example' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://news.example');
  });

  it('answers a CORS preflight with the methods and headers the API reads', async () => {
    const res = await t.request('/api/v1/comments', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://news.example',
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'content-type, authorization, idempotency-key',
      },
    });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://news.example');
    const methods = (res.headers.get('access-control-allow-methods') ?? '').split(/,\s*/);
    expect(methods).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH', 'DELETE']));
    const headers = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/,\s*/);
    expect(headers).toEqual(
      expect.arrayContaining(['content-type', 'authorization', 'idempotency-key', 'if-none-match']),
    );
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(res.headers.get('vary')).toMatch(/origin/i);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(await snapshot(t)).toEqual(baseline);
  });

  it('lets an actual cross-origin response expose ETag to the widget', async () => {
    const res = await t.request(`/api/v1/threads?site=news&url=${encodeURIComponent(PAGE)}`, {
      headers: { origin: 'https://news.example' },
    });
    expect(res.headers.get('access-control-expose-headers')).toMatch(/etag/i);
    expect(res.headers.get('vary')).toMatch(/origin/i);
  });
});
