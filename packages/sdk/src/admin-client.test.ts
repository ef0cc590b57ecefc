import { type AdminRouteName, type AdminUser, adminRoutes } from '@hiwar/protocol';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type AdminClient, type AdminResult, createAdminClient, HiwarError, isHiwarError } from './index.js';
import {
  apiError,
  fakeFetch,
  hang,
  instantSleep,
  json,
  networkDown,
  type RecordedRequest,
  type Reply,
  text,
} from './test-support/fake-fetch.js';

const BASE = 'https://comments.example';
const OK = json(200, { ok: true });

function adminWith(options: { token?: string; retries?: number }, ...replies: Reply[]) {
  const fetch = fakeFetch(...replies);
  const sleep = instantSleep();
  const admin = createAdminClient({ baseUrl: BASE, fetch, sleep, ...options });
  return { admin, requests: fetch.requests, sleep };
}

/** What a request asked for, in the contract's terms. */
function described(request: RecordedRequest | undefined) {
  const url = new URL(request?.url ?? '');
  const query: string[][] = [];
  url.searchParams.forEach((value, key) => {
    query.push([key, value]);
  });
  return {
    method: request?.method,
    path: url.pathname,
    query,
    body: request?.body,
  };
}

/** A call of every route, with what it must send: method, path (ids filled in), query and body. */
const CALLS: Record<
  AdminRouteName,
  { call: (admin: AdminClient) => Promise<unknown>; path?: string; query?: string[][]; body?: unknown }
> = {
  login: {
    call: (a) => a.login({ username: 'مدير', password: 'كلمة سر طويلة جدا' }),
    body: { username: 'مدير', password: 'كلمة سر طويلة جدا' },
  },
  logout: { call: (a) => a.logout() },
  me: { call: (a) => a.me() },
  changePassword: {
    call: (a) => a.changePassword({ currentPassword: 'old-password', newPassword: 'new-password-1' }),
    body: { currentPassword: 'old-password', newPassword: 'new-password-1' },
  },
  listTokens: { call: (a) => a.listTokens() },
  createToken: { call: (a) => a.createToken({ name: 'تصدير ليلي' }), body: { name: 'تصدير ليلي' } },
  revokeToken: { call: (a) => a.revokeToken('12'), path: '/api/v1/admin/tokens/12' },
  listUsers: { call: (a) => a.listUsers() },
  createUser: {
    call: (a) =>
      a.createUser({ username: 'salma', password: 'password-123', role: 'moderator', sites: ['news'] }),
    body: { username: 'salma', password: 'password-123', role: 'moderator', sites: ['news'] },
  },
  updateUser: {
    call: (a) => a.updateUser('7', { disabled: true }),
    path: '/api/v1/admin/users/7',
    body: { disabled: true },
  },
  deleteUser: { call: (a) => a.deleteUser('7'), path: '/api/v1/admin/users/7' },
  listComments: {
    call: (a) =>
      a.listComments({ site: 'news', status: 'pending', q: 'أحمد & co', limit: 20, author: undefined }),
    query: [
      ['site', 'news'],
      ['status', 'pending'],
      ['q', 'أحمد & co'],
      ['limit', '20'],
    ],
  },
  commentCounts: { call: (a) => a.commentCounts({ site: 'news' }), query: [['site', 'news']] },
  getAdminComment: { call: (a) => a.getAdminComment('42'), path: '/api/v1/admin/comments/42' },
  moderate: {
    call: (a) => a.moderate({ action: 'approve', ids: ['1', '2'] }),
    body: { action: 'approve', ids: ['1', '2'] },
  },
  editComment: {
    call: (a) => a.editComment('42', { body: 'نص مصحح' }),
    path: '/api/v1/admin/comments/42',
    body: { body: 'نص مصحح' },
  },
  replyToComment: {
    call: (a) => a.replyToComment('42', { body: 'شكراً لك' }),
    path: '/api/v1/admin/comments/42/replies',
    body: { body: 'شكراً لك' },
  },
  getCommenter: { call: (a) => a.getCommenter('42'), path: '/api/v1/admin/comments/42/author' },
  updateThread: {
    call: (a) => a.updateThread('9', { closed: true }),
    path: '/api/v1/admin/threads/9',
    body: { closed: true },
  },
  listBans: { call: (a) => a.listBans({}), query: [] },
  createBan: {
    call: (a) => a.createBan({ kind: 'email', commentId: '42', duration: 'week' }),
    body: { kind: 'email', commentId: '42', duration: 'week' },
  },
  deleteBan: { call: (a) => a.deleteBan('3'), path: '/api/v1/admin/bans/3' },
  listSites: { call: (a) => a.listSites() },
  createSite: {
    call: (a) => a.createSite({ id: 'news', origins: ['https://news.example'], moderation: 'all' }),
    body: { id: 'news', origins: ['https://news.example'], moderation: 'all' },
  },
  updateSite: {
    call: (a) => a.updateSite('news', { holdWords: ['كازينو'] }),
    path: '/api/v1/admin/sites/news',
    body: { holdWords: ['كازينو'] },
  },
  listAudit: {
    call: (a) => a.listAudit({ site: 'news', cursor: 'abc/=' }),
    query: [
      ['site', 'news'],
      ['cursor', 'abc/='],
    ],
  },
};

describe('createAdminClient', () => {
  it('has one method per route of the contract, named as the route', () => {
    const { admin } = adminWith({}, OK);
    const methods = Object.keys(admin)
      .filter((name) => name !== 'queue')
      .sort();
    expect(methods).toEqual(Object.keys(adminRoutes).sort());
  });

  describe.each(Object.entries(CALLS) as [AdminRouteName, (typeof CALLS)[AdminRouteName]][])(
    '%s',
    (name, expected) => {
      const route = adminRoutes[name];

      it(`sends ${route.method.toUpperCase()} ${route.path} with its query and JSON body`, async () => {
        const { admin, requests } = adminWith({ token: 'hwr_secret' }, OK);

        await expected.call(admin);

        expect(requests).toHaveLength(1);
        const sent = described(requests[0]);
        expect(sent.method).toBe(route.method.toUpperCase());
        expect(sent.path).toBe(expected.path ?? route.path);
        expect(sent.query).toEqual(expected.query ?? []);
        expect(sent.body).toEqual(expected.body);
        const headers = requests[0]?.headers;
        expect(headers?.get('Authorization')).toBe('Bearer hwr_secret');
        expect(headers?.get('Accept')).toBe('application/json');
        expect(headers?.get('Content-Type')).toBe(expected.body === undefined ? null : 'application/json');
      });

      it('throws one HiwarError with the code, status and details of an error answer', async () => {
        const { admin } = adminWith({}, apiError(403, 'forbidden', { reason: 'last_owner' }));

        const error = await expected.call(admin).catch((e: unknown) => e);

        expect(isHiwarError(error)).toBe(true);
        expect(error).toMatchObject({ code: 'forbidden', status: 403, details: { reason: 'last_owner' } });
      });
    },
  );

  it('answers with the route’s JSON as it came', async () => {
    const user = {
      id: '1',
      username: 'owner',
      displayName: 'المالك',
      role: 'owner',
      sites: [],
      disabled: false,
      createdAt: '2026-01-01T00:00:00.000Z',
    } satisfies AdminUser;
    const { admin } = adminWith({}, json(200, { users: [user] }));

    const answer = await admin.listUsers();

    expect(answer).toEqual({ users: [user] });
    expectTypeOf(answer).toEqualTypeOf<{ users: AdminUser[] }>();
    expectTypeOf<AdminResult<'createToken'>['secret']>().toBeString();
  });

  it('keeps an odd id inside its own path segment', async () => {
    const { admin, requests } = adminWith({}, OK);

    await admin.deleteUser('1/../../sites?x=#');
    await admin.updateSite('site 1', {});

    expect(requests[0]?.url).toBe(`${BASE}/api/v1/admin/users/1%2F..%2F..%2Fsites%3Fx%3D%23`);
    expect(requests[1]?.url).toBe(`${BASE}/api/v1/admin/sites/site%201`);
  });

  it('leaves undefined and null query values out and encodes the rest', async () => {
    const { admin, requests } = adminWith({}, json(200, { comments: [], nextCursor: null }));

    await admin.listComments({ q: 'بحث+عن=شيء&آخر', from: undefined, cursor: undefined });
    await admin.listComments();

    expect(requests[0]?.url).toMatch(/^[!-~]+$/);
    expect(described(requests[0]).query).toEqual([['q', 'بحث+عن=شيء&آخر']]);
    expect(requests[1]?.url).toBe(`${BASE}/api/v1/admin/comments`);
  });
});

describe('signing in', () => {
  it('sends no Authorization and the same-origin cookie without a token', async () => {
    const fetch = fakeFetch(OK);
    const inits: RequestInit[] = [];
    const admin = createAdminClient({
      baseUrl: '',
      fetch: (input, init) => {
        inits.push(init ?? {});
        return fetch(`${BASE}${String(input)}`, init);
      },
    });

    await admin.me();

    expect(fetch.requests[0]?.headers.has('Authorization')).toBe(false);
    expect(inits[0]?.credentials).toBe('same-origin');
    expect(fetch.requests[0]?.url).toBe(`${BASE}/api/v1/admin/me`);
  });

  it('maps a refused login to invalid_credentials and a missing session to unauthorized', async () => {
    const { admin } = adminWith({}, apiError(401, 'invalid_credentials'), apiError(401, 'unauthorized'));

    await expect(admin.login({ username: 'x', password: 'y' })).rejects.toMatchObject({
      code: 'invalid_credentials',
      status: 401,
    });
    await expect(admin.me()).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
  });

  it('hands validation_failed fields over for the form to show', async () => {
    const { admin } = adminWith(
      {},
      apiError(422, 'validation_failed', {
        fields: { 'origins.0': 'invalid_url', autoCloseDays: 'too_large' },
      }),
    );

    const error = await admin.updateSite('news', { origins: ['nope'] }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HiwarError);
    expect((error as HiwarError).fields).toEqual({ 'origins.0': 'invalid_url', autoCloseDays: 'too_large' });
  });
});

describe('retries', () => {
  it('repeats a GET after a network failure or a 503', async () => {
    const { admin, requests } = adminWith(
      {},
      networkDown(),
      apiError(503, 'unavailable'),
      json(200, { sites: [] }),
    );

    await expect(admin.listSites()).resolves.toEqual({ sites: [] });
    expect(requests).toHaveLength(3);
  });

  it.each([
    ['moderate', (a: AdminClient) => a.moderate({ action: 'spam', ids: ['1'] })],
    ['updateUser', (a: AdminClient) => a.updateUser('7', { role: 'owner' })],
    ['revokeToken', (a: AdminClient) => a.revokeToken('3')],
    ['login', (a: AdminClient) => a.login({ username: 'x', password: 'y' })],
  ])('never repeats a write (%s), not even one that got no answer', async (_, write) => {
    const { admin, requests } = adminWith({}, networkDown(), OK);

    await expect(write(admin)).rejects.toMatchObject({ code: 'unavailable', status: 0 });
    expect(requests).toHaveLength(1);
  });

  it('gives up after `retries` and reports the last failure', async () => {
    const { admin, requests } = adminWith({ retries: 1 }, apiError(502, 'unavailable'));

    await expect(admin.me()).rejects.toMatchObject({ code: 'unavailable', status: 502 });
    expect(requests).toHaveLength(2);
  });

  it('turns an answer that is not JSON into a HiwarError from its status', async () => {
    const { admin } = adminWith({ retries: 0 }, text(403, '<h1>Forbidden</h1>'));

    await expect(admin.listUsers()).rejects.toMatchObject({ code: 'forbidden', status: 403 });
  });

  it('rethrows the caller’s abort as it is', async () => {
    const { admin } = adminWith({}, hang());
    const controller = new AbortController();

    const pending = admin.listAudit({}, { signal: controller.signal });
    controller.abort();

    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('queue', () => {
  const page = (ids: string[], nextCursor: string | null): Reply =>
    json(200, { comments: ids.map((id) => ({ id })), nextCursor });

  it('yields every comment of every page, following nextCursor with the same filters', async () => {
    const { admin, requests } = adminWith(
      { token: 't' },
      page(['5', '4'], 'c1'),
      page(['3', '2'], 'c2'),
      page(['1'], null),
    );

    const ids: string[] = [];
    for await (const comment of admin.queue({ site: 'news', status: 'pending', limit: 2 }))
      ids.push(comment.id);

    expect(ids).toEqual(['5', '4', '3', '2', '1']);
    expect(requests.map((r) => described(r).query)).toEqual([
      [
        ['site', 'news'],
        ['status', 'pending'],
        ['limit', '2'],
      ],
      [
        ['site', 'news'],
        ['status', 'pending'],
        ['limit', '2'],
        ['cursor', 'c1'],
      ],
      [
        ['site', 'news'],
        ['status', 'pending'],
        ['limit', '2'],
        ['cursor', 'c2'],
      ],
    ]);
  });

  it('asks for no further page once the caller stops', async () => {
    const { admin, requests } = adminWith({}, page(['2', '1'], 'c1'));

    for await (const comment of admin.queue()) {
      expect(comment.id).toBe('2');
      break;
    }

    expect(requests).toHaveLength(1);
  });

  it('walks an empty queue without yielding', async () => {
    const { admin } = adminWith({}, page([], null));

    const seen: unknown[] = [];
    for await (const comment of admin.queue({ status: 'spam' })) seen.push(comment);

    expect(seen).toEqual([]);
  });

  it('fails instead of looping when the server hands back the cursor it was given', async () => {
    const { admin } = adminWith({}, page(['2'], 'same'));

    const walk = async () => {
      for await (const _ of admin.queue({ cursor: 'same' })) {
        // keep walking
      }
    };

    await expect(walk()).rejects.toMatchObject({ code: 'internal' });
  });

  it('stops with the HiwarError of a failed page', async () => {
    const { admin } = adminWith({ retries: 0 }, page(['2'], 'c1'), apiError(403, 'forbidden'));

    const ids: string[] = [];
    const walk = async () => {
      for await (const comment of admin.queue()) ids.push(comment.id);
    };

    await expect(walk()).rejects.toMatchObject({ code: 'forbidden' });
    expect(ids).toEqual(['2']);
  });
});
