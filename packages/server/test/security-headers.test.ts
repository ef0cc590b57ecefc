import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AdminRouteName, adminRoutes, type PublicRouteName, publicRoutes } from '@hiwar/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { DEFAULT_CSP, HSTS } from '../src/http/security-headers.js';
import { ADMIN_CSP, DEFAULT_ADMIN_DIR } from '../src/static/admin-files.js';
import { DEFAULT_DEMO_DIR, DEMO_CSP } from '../src/static/demo-pages.js';
import { DEFAULT_WIDGET_DIR } from '../src/static/widget-files.js';
import { testConfig, useTestApp } from './harness.js';
import { ADMIN_ORIGIN, type SignedIn, signIn } from './helpers/admin.js';
import { bearer, commentBody, type Json, PAGE, postComment, threadPath } from './helpers/api.js';

/**
 * Every answer Hiwar gives carries its security headers: each route of the
 * protocol (public and admin, each called for real), the widget's files, the
 * dashboard, the demo pages, errors, 304s and preflights. A route added to the
 * protocol without a call here fails the first test; one whose answer lacks a
 * header fails its own.
 */

const t = useTestApp();

/** What a header set must say; `null`: the header must be absent. */
type Expected = Record<string, string | null>;

const API: Expected = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': DEFAULT_CSP,
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'strict-transport-security': null,
};

/** Loaded by other sites' pages: the widget's files and the avatars. */
const EMBEDDABLE: Expected = {
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'cross-origin',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': null,
};

const DASHBOARD: Expected = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': ADMIN_CSP,
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'strict-transport-security': null,
};

const DEMO_PAGE: Expected = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': DEMO_CSP,
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

function expectHeaders(label: string, res: Response, expected: Expected): void {
  const actual = Object.fromEntries(Object.keys(expected).map((name) => [name, res.headers.get(name)]));
  expect({ label, ...actual }).toEqual({ label, ...expected });
}

interface Seed {
  owner: SignedIn;
  /** A comment on {@link PAGE} and its edit token. */
  commentId: string;
  editToken: string;
  threadId: string;
}

interface Call {
  /** The status the call must get: proof that it reached its route. */
  status: number;
  send(seed: Seed): Promise<Response>;
  expected?: Expected;
}

const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const admin = (seed: Seed, path: string, init: RequestInit = {}) =>
  t.request(path, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), ...seed.owner.bearer },
  });

/** One real call of each route of the protocol; the compiler asks for a new route's. */
const CALLS: Record<PublicRouteName | AdminRouteName, Call> = {
  getThread: { status: 200, send: () => t.request(threadPath({ site: 'news', url: PAGE })) },
  getChallenge: { status: 200, send: () => t.request('/api/v1/challenge?site=news') },
  createComment: {
    status: 201,
    send: () => t.post('/api/v1/comments', commentBody({ body: 'تعليق جديد' })),
  },
  getComment: { status: 200, send: (s) => t.request(`/api/v1/comments/${s.commentId}`) },
  updateComment: {
    status: 200,
    send: (s) =>
      t.request(`/api/v1/comments/${s.commentId}`, json('PATCH', { body: 'مصحح' }, bearer(s.editToken))),
  },
  deleteComment: {
    status: 200,
    send: (s) =>
      t.request(`/api/v1/comments/${s.commentId}`, { method: 'DELETE', headers: bearer(s.editToken) }),
  },
  getCounts: {
    status: 200,
    send: () => t.request(`/api/v1/counts?site=news&url=${encodeURIComponent(PAGE)}`),
  },
  getAvatar: {
    status: 200,
    send: async () => {
      const page: Json = await (await t.request(threadPath({ site: 'news', url: PAGE }))).json();
      return t.request(page.comments[0].author.avatar);
    },
    expected: {
      ...EMBEDDABLE,
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    },
  },
  getOpenApi: { status: 200, send: () => t.request('/api/v1/openapi.json') },
  healthz: { status: 200, send: () => t.request('/healthz') },
  readyz: { status: 200, send: () => t.request('/readyz') },

  login: {
    status: 200,
    send: (s) =>
      t.request(
        '/api/v1/admin/login',
        json('POST', { username: s.owner.username, password: s.owner.password }, { origin: ADMIN_ORIGIN }),
      ),
  },
  logout: {
    status: 200,
    send: (s) => t.request('/api/v1/admin/logout', { method: 'POST', headers: s.owner.session }),
  },
  me: { status: 200, send: (s) => admin(s, '/api/v1/admin/me') },
  changePassword: {
    status: 200,
    send: (s) =>
      admin(
        s,
        '/api/v1/admin/me/password',
        json('POST', { currentPassword: s.owner.password, newPassword: 'a-new-password-long-enough' }),
      ),
  },
  listTokens: { status: 200, send: (s) => admin(s, '/api/v1/admin/tokens') },
  createToken: { status: 201, send: (s) => admin(s, '/api/v1/admin/tokens', json('POST', { name: 'نسخ' })) },
  revokeToken: {
    status: 200,
    send: async (s) => {
      const created: Json = await (
        await admin(s, '/api/v1/admin/tokens', json('POST', { name: 'مؤقت' }))
      ).json();
      return admin(s, `/api/v1/admin/tokens/${created.token.id}`, { method: 'DELETE' });
    },
  },
  listUsers: { status: 200, send: (s) => admin(s, '/api/v1/admin/users') },
  createUser: {
    status: 201,
    send: (s) =>
      admin(
        s,
        '/api/v1/admin/users',
        json('POST', {
          username: 'salma',
          password: 'password-123-long',
          role: 'moderator',
          sites: ['news'],
        }),
      ),
  },
  updateUser: {
    status: 200,
    send: async (s) => {
      const other = await signIn(t, { role: 'moderator', sites: ['news'] });
      return admin(s, `/api/v1/admin/users/${other.userId}`, json('PATCH', { displayName: 'سلمى' }));
    },
  },
  deleteUser: {
    status: 200,
    send: async (s) => {
      const other = await signIn(t, { role: 'moderator', sites: ['news'] });
      return admin(s, `/api/v1/admin/users/${other.userId}`, { method: 'DELETE' });
    },
  },
  listComments: { status: 200, send: (s) => admin(s, '/api/v1/admin/comments') },
  commentCounts: { status: 200, send: (s) => admin(s, '/api/v1/admin/comments/counts') },
  getAdminComment: { status: 200, send: (s) => admin(s, `/api/v1/admin/comments/${s.commentId}`) },
  moderate: {
    status: 200,
    send: (s) =>
      admin(s, '/api/v1/admin/comments/actions', json('POST', { action: 'pin', ids: [s.commentId] })),
  },
  editComment: {
    status: 200,
    send: (s) => admin(s, `/api/v1/admin/comments/${s.commentId}`, json('PATCH', { body: 'نص مصحح' })),
  },
  replyToComment: {
    status: 201,
    send: (s) => admin(s, `/api/v1/admin/comments/${s.commentId}/replies`, json('POST', { body: 'شكراً' })),
  },
  getCommenter: { status: 200, send: (s) => admin(s, `/api/v1/admin/comments/${s.commentId}/author`) },
  updateThread: {
    status: 200,
    send: (s) => admin(s, `/api/v1/admin/threads/${s.threadId}`, json('PATCH', { closed: true })),
  },
  listBans: { status: 200, send: (s) => admin(s, '/api/v1/admin/bans') },
  createBan: {
    status: 201,
    send: (s) =>
      admin(s, '/api/v1/admin/bans', json('POST', { kind: 'name', commentId: s.commentId, duration: 'day' })),
  },
  deleteBan: {
    status: 200,
    send: async (s) => {
      const body = { kind: 'name', commentId: s.commentId, duration: 'day' };
      const created: Json = await (await admin(s, '/api/v1/admin/bans', json('POST', body))).json();
      return admin(s, `/api/v1/admin/bans/${created.ban.id}`, { method: 'DELETE' });
    },
  },
  listSites: { status: 200, send: (s) => admin(s, '/api/v1/admin/sites') },
  createSite: {
    status: 201,
    send: (s) =>
      admin(s, '/api/v1/admin/sites', json('POST', { id: 'blog', origins: ['https://blog.example'] })),
  },
  updateSite: {
    status: 200,
    send: (s) => admin(s, '/api/v1/admin/sites/news', json('PATCH', { moderation: 'all' })),
  },
  listAudit: { status: 200, send: (s) => admin(s, '/api/v1/admin/audit') },
};

let seed: Seed;

beforeEach(async () => {
  await t.addSite({ id: 'news' });
  const owner = await signIn(t, { role: 'owner' });
  const posted = await postComment(t);
  expect(posted.status).toBe(201);
  const thread = await t.db.selectFrom('threads').select('id').executeTakeFirstOrThrow();
  seed = { owner, commentId: posted.id, editToken: posted.token, threadId: String(thread.id) };
});

describe('the API: every route of the protocol', () => {
  const names = Object.keys({ ...publicRoutes, ...adminRoutes }) as Array<PublicRouteName | AdminRouteName>;

  it('has a call here for every route, and no call for a route that is gone', () => {
    expect(Object.keys(CALLS).sort()).toEqual([...names].sort());
  });

  it.each(names)('%s answers with the API headers', async (name) => {
    const call = CALLS[name];
    const res = await call.send(seed);
    expect({ name, status: res.status }).toEqual({ name, status: call.status });
    expectHeaders(name, res, call.expected ?? API);
  });

  it('puts them on errors, preflights, 304s, 413s and unknown paths', async () => {
    const answers: Array<[string, Response, number]> = [
      ['unknown comment', await t.request('/api/v1/comments/999999'), 404],
      ['unknown path', await t.request('/api/v1/nothing-here'), 404],
      ['unknown avatar', await t.request('/api/v1/avatars/x.svg'), 404],
      ['invalid json', await t.post('/api/v1/comments', '{'), 400],
      ['not json', await t.request('/api/v1/comments', { method: 'POST', body: 'x' }), 415],
      ['too large', await t.post('/api/v1/comments', `"${'x'.repeat(600 * 1024)}"`), 413],
      ['admin, signed out', await t.request('/api/v1/admin/me'), 401],
      [
        'preflight',
        await t.request('/api/v1/comments', {
          method: 'OPTIONS',
          headers: { origin: 'https://news.example', 'access-control-request-method': 'POST' },
        }),
        204,
      ],
      ['HEAD', await t.request('/healthz', { method: 'HEAD' }), 200],
    ];
    const page = await t.request(threadPath({ site: 'news', url: PAGE }));
    const etag = page.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    answers.push([
      'thread, not modified',
      await t.request(threadPath({ site: 'news', url: PAGE }), { headers: { 'if-none-match': etag } }),
      304,
    ]);
    for (const [label, res, status] of answers) {
      expect({ label, status: res.status }).toEqual({ label, status });
      expectHeaders(label, res, API);
    }
  });
});

/** The files a build made, by URL path; the test needs `pnpm build` (scripts/test.mjs runs it). */
function builtFiles(dir: string, prefix: string, what: string): string[] {
  if (!existsSync(dir)) throw new Error(`${what} is not built (${dir}): run \`pnpm build\` first.`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => `${prefix}${entry.name}`);
}

describe('the static files', () => {
  it('serves the widget files and count.js for embedding, 304s included', async () => {
    const paths = builtFiles(DEFAULT_WIDGET_DIR, '/', 'The widget');
    expect(paths).toEqual(expect.arrayContaining(['/embed.js', '/count.js']));
    for (const path of paths) {
      const res = await t.request(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expectHeaders(path, res, { ...EMBEDDABLE, 'access-control-allow-origin': '*' });
      const again = await t.request(path, { headers: { 'if-none-match': res.headers.get('etag') ?? '' } });
      expect({ path, status: again.status }).toEqual({ path, status: 304 });
      expectHeaders(`${path} (304)`, again, EMBEDDABLE);
    }
  });

  it('serves the dashboard, its assets, its redirect and its 404s with its strict set', async () => {
    const assets = builtFiles(join(DEFAULT_ADMIN_DIR, 'assets'), '/admin/assets/', 'The dashboard');
    const expected: Array<[string, number]> = [
      ['/admin', 301],
      ['/admin/', 200],
      ['/admin/queue', 200],
      ['/admin/assets/missing-00000000.js', 404],
      ...assets.map((path): [string, number] => [path, 200]),
    ];
    for (const [path, status] of expected) {
      const res = await t.request(path);
      expect({ path, status: res.status }).toEqual({ path, status });
      expectHeaders(path, res, DASHBOARD);
    }
    const index = await t.request('/admin/');
    const again = await t.request('/admin/', {
      headers: { 'if-none-match': index.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
    expectHeaders('/admin/ (304)', again, DASHBOARD);
  });

  it('serves the demo pages as pages and their assets like the API', async () => {
    const articles = JSON.parse(readFileSync(join(DEFAULT_DEMO_DIR, 'articles.json'), 'utf8')) as Array<{
      path: string;
    }>;
    for (const path of [...articles.map((article) => article.path), '/listing']) {
      const res = await t.request(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expectHeaders(path, res, DEMO_PAGE);
    }
    for (const path of ['/demo.css', '/favicon.svg', '/no-such-page']) {
      const res = await t.request(path);
      expect({ path, status: res.status }).toEqual({ path, status: path === '/no-such-page' ? 404 : 200 });
      expectHeaders(path, res, API);
    }
  });
});

describe('Strict-Transport-Security', () => {
  it('is sent on every answer when HIWAR_PUBLIC_URL is https, and never when it is http', async () => {
    const { app } = createApp({
      db: t.db,
      config: testConfig({ publicUrl: 'https://comments.news.example' }),
      keys: t.keys,
      clock: t.clock,
    });
    for (const path of [
      '/healthz',
      '/api/v1/openapi.json',
      '/api/v1/nothing-here',
      '/admin/',
      '/embed.js',
      '/',
    ]) {
      const res = await app.request(path, {}, { incoming: { socket: { remoteAddress: '127.0.0.1' } } });
      expect({ path, hsts: res.headers.get('strict-transport-security') }).toEqual({ path, hsts: HSTS });
      const plain = await t.request(path);
      expect({ path, hsts: plain.headers.get('strict-transport-security') }).toEqual({ path, hsts: null });
    }
  });
});
