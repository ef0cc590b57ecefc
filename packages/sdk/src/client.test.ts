import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient, createLiteClient, isHiwarError } from './index.js';
import {
  apiError,
  comment,
  fakeFetch,
  hang,
  json,
  type Reply,
  threadPage,
} from './test-support/fake-fetch.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ARABIC_URL = 'https://news.example/أخبار/مقال?q=حوار عربي&x=a+b#تعليقات';

function clientWith(...replies: Reply[]) {
  const fetch = fakeFetch(...replies);
  const client = createClient({ baseUrl: 'https://comments.example', site: 'news', fetch });
  return { client, requests: fetch.requests };
}

function queryOf(url: string) {
  return new URL(url).searchParams;
}

/** The query parameters of a URL as an object, in the order they were sent. */
function paramsOf(url: string | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  queryOf(url ?? '').forEach((value, key) => {
    params[key] = value;
  });
  return params;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('threads.get', () => {
  it('asks for the thread of a page URL on the client’s site', async () => {
    const { client, requests } = clientWith(json(200, threadPage(null, ['7'])));

    const page = await client.threads.get({ url: 'https://news.example/a/1' });

    expect(page.comments.map((c) => c.id)).toEqual(['7']);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe(
      'https://comments.example/api/v1/threads?site=news&url=https%3A%2F%2Fnews.example%2Fa%2F1',
    );
  });

  it('encodes Arabic text and the characters that mean something in a query', async () => {
    const { client, requests } = clientWith(json(200, threadPage(null)));

    await client.threads.get({ url: ARABIC_URL, id: 'مقال 1 & 2 = 3 + 4 % 5' });

    const url = requests[0]?.url ?? '';
    expect(url).toMatch(/^[!-~]+$/); // printable ASCII only: no space, no raw Arabic
    expect(url).not.toMatch(/[#+]/);
    expect(queryOf(url).get('url')).toBe(ARABIC_URL);
    expect(queryOf(url).get('id')).toBe('مقال 1 & 2 = 3 + 4 % 5');
  });

  it('sends sort, limit and cursor when given and leaves absent ones out', async () => {
    const { client, requests } = clientWith(json(200, threadPage(null)));

    await client.threads.get({ id: 'a-1', sort: 'newest', limit: 20, cursor: 'c/1=' });
    await client.threads.get({ id: 'a-1', cursor: null });

    expect(paramsOf(requests[0]?.url)).toEqual({
      site: 'news',
      id: 'a-1',
      sort: 'newest',
      limit: '20',
      cursor: 'c/1=',
    });
    expect(Object.keys(paramsOf(requests[1]?.url))).toEqual(['site', 'id']);
  });

  it('asks for JSON and sends no body or Content-Type', async () => {
    const { client, requests } = clientWith(json(200, threadPage(null)));

    await client.threads.get({ id: 'a-1' });

    expect(requests[0]?.headers.get('Accept')).toBe('application/json');
    expect(requests[0]?.headers.has('Content-Type')).toBe(false);
    expect(requests[0]?.body).toBeUndefined();
  });

  it('keeps a path prefix of the base URL and ignores its trailing slashes', async () => {
    const fetch = fakeFetch(json(200, threadPage(null)));
    const client = createClient({ baseUrl: 'https://news.example/comments//', site: 'news', fetch });

    await client.threads.get({ id: 'a-1' });

    expect(fetch.requests[0]?.url).toBe('https://news.example/comments/api/v1/threads?site=news&id=a-1');
  });

  it('uses the global fetch as it is when the call is made', async () => {
    const client = createClient({ baseUrl: 'https://comments.example', site: 'news' });
    const fetch = fakeFetch(json(200, threadPage(null)));
    vi.stubGlobal('fetch', fetch);

    await client.threads.get({ id: 'a-1' });

    expect(fetch.requests).toHaveLength(1);
  });
});

describe('threads.pages', () => {
  // A three-page thread: no cursor → c2 → c3 → end.
  const byCursor: Reply = (request) => {
    const cursor = queryOf(request.url).get('cursor');
    const next = { start: 'c2', c2: 'c3', c3: null }[cursor ?? 'start'] ?? null;
    return json(200, threadPage(next, [`after-${cursor ?? 'start'}`]))(request);
  };

  it('yields every page, following nextCursor until it is null', async () => {
    const { client, requests } = clientWith(byCursor);

    const pages = [];
    for await (const page of client.threads.pages({ url: 'https://news.example/a/1', limit: 2 }))
      pages.push(page);

    expect(pages.map((page) => page.comments[0]?.id)).toEqual(['after-start', 'after-c2', 'after-c3']);
    expect(requests.map((r) => queryOf(r.url).get('cursor'))).toEqual([null, 'c2', 'c3']);
    expect(requests.every((r) => queryOf(r.url).get('limit') === '2')).toBe(true);
  });

  it('starts from the cursor in the query', async () => {
    const { client, requests } = clientWith(byCursor);

    const pages = [];
    for await (const page of client.threads.pages({ id: 'a-1', cursor: 'c3' })) pages.push(page);

    expect(pages).toHaveLength(1);
    expect(queryOf(requests[0]?.url ?? '').get('cursor')).toBe('c3');
  });

  it('asks for no further page once the caller stops iterating', async () => {
    const { client, requests } = clientWith(byCursor);

    for await (const _page of client.threads.pages({ id: 'a-1' })) break;

    expect(requests).toHaveLength(1);
  });

  it('fails instead of looping when the server hands back the cursor it was given', async () => {
    const { client, requests } = clientWith(json(200, threadPage('same')));

    const walk = async () => {
      let pages = 0;
      for await (const _page of client.threads.pages({ id: 'a-1' })) if (++pages > 5) break;
    };

    await expect(walk()).rejects.toMatchObject({ name: 'HiwarError', code: 'internal' });
    expect(requests).toHaveLength(2);
  });
});

describe('threads.replies', () => {
  it('asks the thread route for the replies of one comment', async () => {
    const { client, requests } = clientWith(json(200, { ...threadPage(null), comments: [comment('9')] }));

    const page = await client.threads.replies({
      url: 'https://news.example/a/1',
      parent: '7',
      cursor: 'r1',
      limit: 5,
    });

    expect(page.comments[0]?.id).toBe('9');
    expect(paramsOf(requests[0]?.url)).toEqual({
      site: 'news',
      url: 'https://news.example/a/1',
      parent: '7',
      limit: '5',
      cursor: 'r1',
    });
    expect(new URL(requests[0]?.url ?? '').pathname).toBe('/api/v1/threads');
  });
});

describe('threads.allReplies', () => {
  it('yields every page of replies and keeps asking for the same parent', async () => {
    const { client, requests } = clientWith(json(200, threadPage('r2')), json(200, threadPage(null)));

    let count = 0;
    for await (const _page of client.threads.allReplies({ id: 'a-1', parent: '7', cursor: 'r1' })) count++;

    expect(count).toBe(2);
    expect(requests.map((r) => [queryOf(r.url).get('parent'), queryOf(r.url).get('cursor')])).toEqual([
      ['7', 'r1'],
      ['7', 'r2'],
    ]);
  });
});

describe('comments.create', () => {
  const created = json(201, {
    comment: comment('42'),
    editToken: 'tok',
    editableUntil: '2025-01-01T00:15:00.000Z',
  });
  const body = {
    url: ARABIC_URL,
    body: 'مقال رائع',
    author: { name: 'سلمى', email: 'salma@example.com' },
  };

  it('posts the comment as JSON for the client’s site and returns the edit token', async () => {
    const { client, requests } = clientWith(created);

    const result = await client.comments.create(body);

    expect(result.editToken).toBe('tok');
    expect(result.comment.id).toBe('42');
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('https://comments.example/api/v1/comments');
    expect(request?.headers.get('Content-Type')).toBe('application/json');
    expect(request?.headers.get('Accept')).toBe('application/json');
    expect(request?.body).toEqual({ ...body, site: 'news' });
  });

  it('lets one call name another site', async () => {
    const { client, requests } = clientWith(created);

    await client.comments.create({ ...body, site: 'other' });

    expect(requests[0]?.body).toMatchObject({ site: 'other' });
  });

  it('makes up a fresh Idempotency-Key for each comment', async () => {
    const { client, requests } = clientWith(created);

    await client.comments.create(body);
    await client.comments.create(body);

    const keys = requests.map((r) => r.headers.get('Idempotency-Key'));
    expect(keys[0]).toMatch(UUID);
    expect(keys[1]).toMatch(UUID);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('sends the caller’s Idempotency-Key when given one', async () => {
    const { client, requests } = clientWith(created);

    await client.comments.create(body, { idempotencyKey: 'draft-17' });

    expect(requests[0]?.headers.get('Idempotency-Key')).toBe('draft-17');
  });

  it('makes a v4 UUID key where crypto.randomUUID is missing (a page on plain http)', async () => {
    const { getRandomValues } = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: getRandomValues.bind(globalThis.crypto) });
    const { client, requests } = clientWith(created);

    await client.comments.create(body);

    expect(requests[0]?.headers.get('Idempotency-Key')).toMatch(UUID);
  });
});

describe('comments.get', () => {
  it('returns the comment itself, not its envelope', async () => {
    const { client, requests } = clientWith(json(200, { comment: comment('42') }));

    const result = await client.comments.get('42');

    expect(result.id).toBe('42');
    expect(requests[0]?.url).toBe('https://comments.example/api/v1/comments/42');
    expect(requests[0]?.headers.has('Authorization')).toBe(false);
  });

  it('sends the edit token as a bearer token so the author sees a pending comment', async () => {
    const { client, requests } = clientWith(json(200, { comment: comment('42', { status: 'pending' }) }));

    const result = await client.comments.get('42', { editToken: 'tok' });

    expect(result.status).toBe('pending');
    expect(requests[0]?.headers.get('Authorization')).toBe('Bearer tok');
  });

  it('keeps an odd id inside its path segment', async () => {
    const { client, requests } = clientWith(json(200, { comment: comment('1') }));

    await client.comments.get('../admin?x=1');

    expect(new URL(requests[0]?.url ?? '').pathname).toBe('/api/v1/comments/..%2Fadmin%3Fx%3D1');
  });
});

describe('comments.update', () => {
  it('patches the body with the edit token and returns the edited comment', async () => {
    const { client, requests } = clientWith(
      json(200, { comment: comment('42', { editedAt: '2025-01-01T00:05:00Z' }) }),
    );

    const result = await client.comments.update('42', { body: 'نص مصحح' }, { editToken: 'tok' });

    expect(result.editedAt).toBe('2025-01-01T00:05:00Z');
    const [request] = requests;
    expect(request?.method).toBe('PATCH');
    expect(request?.url).toBe('https://comments.example/api/v1/comments/42');
    expect(request?.body).toEqual({ body: 'نص مصحح' });
    expect(request?.headers.get('Authorization')).toBe('Bearer tok');
    expect(request?.headers.get('Content-Type')).toBe('application/json');
    expect(request?.headers.has('Idempotency-Key')).toBe(false);
  });
});

describe('comments.remove', () => {
  it('deletes with the edit token and no body', async () => {
    const { client, requests } = clientWith(json(200, { deleted: true, placeholder: true }));

    const result = await client.comments.remove('42', { editToken: 'tok' });

    expect(result).toEqual({ deleted: true, placeholder: true });
    const [request] = requests;
    expect(request?.method).toBe('DELETE');
    expect(request?.headers.get('Authorization')).toBe('Bearer tok');
    expect(request?.headers.has('Content-Type')).toBe(false);
    expect(request?.body).toBeUndefined();
  });
});

describe('challenge.get', () => {
  const challenge = {
    formToken: 'AQID.c2ln',
    expiresAt: '2025-01-01T12:00:00.000Z',
    pow: { algorithm: 'SHA-256', difficulty: 16 },
  };

  it('asks for a form token for the client’s site, or the one named, and returns the answer as sent', async () => {
    const { client, requests } = clientWith(json(200, challenge));

    expect(await client.challenge.get()).toEqual(challenge);
    await client.challenge.get({ site: 'other' });

    expect(requests.map((r) => [r.method, r.url])).toEqual([
      ['GET', 'https://comments.example/api/v1/challenge?site=news'],
      ['GET', 'https://comments.example/api/v1/challenge?site=other'],
    ]);
    expect(requests[0]?.body).toBeUndefined();
  });

  it('fails with the server’s code, and stops when the caller aborts', async () => {
    const { client } = clientWith(apiError(404, 'unknown_site'));
    const error = await client.challenge.get().catch((e: unknown) => e);
    expect(isHiwarError(error) && [error.code, error.status]).toEqual(['unknown_site', 404]);

    const waiting = clientWith(hang()).client;
    const controller = new AbortController();
    const asked = waiting.challenge.get({}, { signal: controller.signal });
    controller.abort();
    await expect(asked).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('is one of the lite client’s calls', async () => {
    const fetch = fakeFetch(json(200, { ...challenge, pow: null }));
    const lite = createLiteClient({ baseUrl: 'https://comments.example/', site: 'news', fetch });

    expect((await lite.challenge.get()).pow).toBeNull();
    expect(fetch.requests[0]?.url).toBe('https://comments.example/api/v1/challenge?site=news');
  });
});

describe('counts', () => {
  it('repeats url and id parameters in one request and returns the counts', async () => {
    const counts = { 'https://news.example/a/1': 3, [ARABIC_URL]: 0, 'a-2': 5 };
    const { client, requests } = clientWith(json(200, { counts }));

    const result = await client.counts({ urls: ['https://news.example/a/1', ARABIC_URL], ids: ['a-2'] });

    expect(result).toEqual(counts);
    expect(requests).toHaveLength(1);
    const query = queryOf(requests[0]?.url ?? '');
    expect(new URL(requests[0]?.url ?? '').pathname).toBe('/api/v1/counts');
    expect(query.get('site')).toBe('news');
    expect(query.getAll('url')).toEqual(['https://news.example/a/1', ARABIC_URL]);
    expect(query.getAll('id')).toEqual(['a-2']);
  });

  it('answers {} without a request when no page is named', async () => {
    const { client, requests } = clientWith(json(200, { counts: {} }));

    expect(await client.counts({ urls: [], ids: [] })).toEqual({});
    expect(await client.counts({})).toEqual({});
    expect(requests).toHaveLength(0);
  });
});

describe('avatarUrl', () => {
  it('resolves an avatar path against the base URL, path prefix included', () => {
    const plain = createClient({ baseUrl: 'https://comments.example', site: 'news' });
    const prefixed = createClient({ baseUrl: 'https://news.example/comments/', site: 'news' });

    expect(plain.avatarUrl('/api/v1/avatars/k.svg')).toBe('https://comments.example/api/v1/avatars/k.svg');
    expect(prefixed.avatarUrl('/api/v1/avatars/k.svg')).toBe(
      'https://news.example/comments/api/v1/avatars/k.svg',
    );
  });

  it('leaves an absolute address alone and a same-origin client’s path as a path', () => {
    const client = createClient({ baseUrl: 'https://comments.example', site: 'news' });
    const sameOrigin = createClient({ baseUrl: '', site: 'news' });

    expect(client.avatarUrl('https://cdn.example/a.svg')).toBe('https://cdn.example/a.svg');
    expect(sameOrigin.avatarUrl('/api/v1/avatars/k.svg')).toBe('/api/v1/avatars/k.svg');
  });
});
