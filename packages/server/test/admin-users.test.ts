import {
  adminRoutes,
  CreateTokenResponseSchema,
  TokensResponseSchema,
  UserResponseSchema,
  UsersResponseSchema,
} from '@hiwar/protocol';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './harness.js';
import { ADMIN_ORIGIN, type SignedIn, signIn } from './helpers/admin.js';
import { type Json, postComment } from './helpers/api.js';
import { adminCall } from './helpers/seed.js';

const t = useTestApp();

const USERS = adminRoutes.listUsers.path;
const TOKENS = adminRoutes.listTokens.path;
const ME = adminRoutes.me.path;
const userPath = (id: string) => `${USERS}/${id}`;
const tokenPath = (id: string) => `${TOKENS}/${id}`;

/** A JSON request to the admin API (test/helpers/seed.ts `adminCall`) on this file's app. */
const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  adminCall(t, method, path, headers, body);

/** Rows of every table these routes change, to prove a refused request changed nothing. */
async function snapshot() {
  const [users, grants, tokens, sessions, audit] = await Promise.all([
    t.db.selectFrom('users').selectAll().orderBy('id').execute(),
    t.db.selectFrom('user_sites').selectAll().orderBy('user_id').orderBy('site_id').execute(),
    t.db.selectFrom('api_tokens').selectAll().orderBy('id').execute(),
    t.db.selectFrom('sessions').select(['user_id', 'expires_at']).orderBy('user_id').execute(),
    t.db.selectFrom('audit_log').selectAll().orderBy('id').execute(),
  ]);
  return JSON.stringify({ users, grants, tokens, sessions, audit });
}

async function tokenId(user: SignedIn): Promise<string> {
  const row = await t.db
    .selectFrom('api_tokens')
    .select('id')
    .where('user_id', '=', user.userId)
    .executeTakeFirstOrThrow();
  return String(row.id);
}

interface RouteCase {
  name: string;
  method: string;
  level: 'admin' | 'owner';
  /** The path and body for a caller, given a spare user the call may change. */
  request(caller: SignedIn, spare: SignedIn): Promise<{ path: string; body?: unknown }>;
  ok: number;
}

const ROUTES: RouteCase[] = [
  {
    name: 'logout',
    method: 'POST',
    level: 'admin',
    ok: 200,
    request: async () => ({ path: adminRoutes.logout.path }),
  },
  { name: 'me', method: 'GET', level: 'admin', ok: 200, request: async () => ({ path: ME }) },
  {
    name: 'changePassword',
    method: 'POST',
    level: 'admin',
    ok: 200,
    request: async (caller) => ({
      path: adminRoutes.changePassword.path,
      body: { currentPassword: caller.password, newPassword: 'a new long password' },
    }),
  },
  { name: 'listTokens', method: 'GET', level: 'admin', ok: 200, request: async () => ({ path: TOKENS }) },
  {
    name: 'createToken',
    method: 'POST',
    level: 'admin',
    ok: 201,
    request: async () => ({ path: TOKENS, body: { name: 'ci' } }),
  },
  {
    name: 'revokeToken',
    method: 'DELETE',
    level: 'admin',
    ok: 200,
    request: async (caller) => ({ path: tokenPath(await tokenId(caller)) }),
  },
  { name: 'listUsers', method: 'GET', level: 'owner', ok: 200, request: async () => ({ path: USERS }) },
  {
    name: 'createUser',
    method: 'POST',
    level: 'owner',
    ok: 201,
    request: async () => ({
      path: USERS,
      body: { username: 'fresh', password: 'fresh password 1', role: 'moderator', sites: ['news'] },
    }),
  },
  {
    name: 'updateUser',
    method: 'PATCH',
    level: 'owner',
    ok: 200,
    request: async (_caller, spare) => ({ path: userPath(spare.userId), body: { displayName: 'Renamed' } }),
  },
  {
    name: 'deleteUser',
    method: 'DELETE',
    level: 'owner',
    ok: 200,
    request: async (_caller, spare) => ({ path: userPath(spare.userId) }),
  },
];

describe('authorization of the account and user routes', () => {
  it('covers every account and user route of the contract', () => {
    const names = Object.keys(adminRoutes).filter((name) =>
      (adminRoutes as Record<string, { tags: readonly string[] }>)[name]?.tags.some((tag) =>
        ['admin: account', 'admin: users'].includes(tag),
      ),
    );
    expect(ROUTES.map((r) => r.name).sort()).toEqual(names.filter((n) => n !== 'login').sort());
  });

  for (const route of ROUTES) {
    it(`${route.name}: anonymous 401, edit token 403, moderator ${route.level === 'owner' ? '403' : 'allowed'}, owner allowed`, async () => {
      await t.addSite({ id: 'news' });
      const owner = await signIn(t, { role: 'owner' });
      const moderator = await signIn(t, { role: 'moderator', sites: ['news'] });
      const spare = await signIn(t, { role: 'moderator' });
      const { token: editToken } = await postComment(t);
      const { path, body } = await route.request(owner, spare);

      const anonymous = await call(route.method, path, {}, body);
      expect(anonymous.status).toBe(401);
      expect(anonymous.json.error.code).toBe('unauthorized');
      expect(anonymous.headers.get('cache-control')).toBe('no-store');

      const edit = await call(route.method, path, { authorization: `Bearer ${editToken}` }, body);
      expect(edit.status).toBe(403);
      expect(edit.json.error.code).toBe('forbidden');

      const asModerator = await route.request(moderator, spare);
      const byModerator = await call(route.method, asModerator.path, moderator.bearer, asModerator.body);
      if (route.level === 'owner') {
        expect(byModerator.status).toBe(403);
        expect(byModerator.json.error.code).toBe('forbidden');
      } else {
        expect(byModerator.status).toBe(route.ok);
      }

      const byOwner = await call(route.method, path, owner.bearer, body);
      expect(byOwner.status).toBe(route.ok);
      expect(byOwner.headers.get('cache-control')).toBe('no-store');
    });
  }

  for (const route of ROUTES.filter((r) => r.method !== 'GET')) {
    it(`${route.name}: a cross-site or non-JSON write with a valid session cookie changes nothing`, async () => {
      await t.addSite({ id: 'news' });
      const owner = await signIn(t, { role: 'owner' });
      const spare = await signIn(t, { role: 'moderator' });
      const { path, body } = await route.request(owner, spare);
      const cookie = owner.session.cookie as string;
      const text = body === undefined ? '' : JSON.stringify(body);
      const before = await snapshot();
      const attempts: Array<[Record<string, string>, number]> = [
        [{ cookie, origin: 'https://evil.example', 'content-type': 'application/json' }, 403],
        [{ cookie, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, 403],
        [{ cookie, 'content-type': 'application/json' }, 403],
        [{ cookie, origin: 'https://evil.example', 'content-type': 'text/plain' }, 403],
        [
          { cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
          403,
        ],
      ];
      if (body !== undefined) {
        attempts.push([{ cookie, origin: ADMIN_ORIGIN, 'content-type': 'text/plain' }, 415]);
        attempts.push([
          { cookie, origin: ADMIN_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
          415,
        ]);
      }
      for (const [headers, status] of attempts) {
        const res = await t.request(path, { method: route.method, headers, body: text || undefined });
        expect(res.status).toBe(status);
      }
      expect(await snapshot()).toBe(before);
      // The same request from the dashboard goes through.
      const res = await t.request(path, {
        method: route.method,
        headers: { ...owner.session, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: text || undefined,
      });
      expect(res.status).toBe(route.ok);
    });
  }
});

describe('API tokens', () => {
  it('creates a token shown once, stored hashed, listed without its secret, and revoked at once', async () => {
    const moderator = await signIn(t, { role: 'moderator' });
    const created = await call('POST', TOKENS, moderator.bearer, { name: '  nightly export  ' });
    expect(created.status).toBe(201);
    const { token, secret } = CreateTokenResponseSchema.parse(created.json);
    expect(token.name).toBe('nightly export');
    expect(secret).toMatch(/^hiwar_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(token.prefix)).toBe(true);
    const rows = await t.db.selectFrom('api_tokens').selectAll().where('id', '=', token.id).execute();
    expect(JSON.stringify(rows)).not.toContain(secret.slice(12));

    const listed = await call('GET', TOKENS, { authorization: `Bearer ${secret}` });
    expect(listed.status).toBe(200);
    const tokens = TokensResponseSchema.parse(listed.json).tokens;
    expect(tokens.map((x) => x.id)).toContain(token.id);
    expect(JSON.stringify(listed.json)).not.toContain(secret.slice(12));
    expect(tokens.find((x) => x.id === token.id)?.lastUsedAt).toBe(t.clock.now().toISOString());

    const revoked = await call('DELETE', tokenPath(token.id), moderator.bearer);
    expect(revoked.status).toBe(200);
    const after = await call('GET', ME, { authorization: `Bearer ${secret}` });
    expect(after.status).toBe(401);
    expect((await call('GET', TOKENS, moderator.bearer)).json.tokens.map((x: Json) => x.id)).not.toContain(
      token.id,
    );
    // Revoking it again: nothing of the caller's has this id any more.
    expect((await call('DELETE', tokenPath(token.id), moderator.bearer)).status).toBe(404);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'before', 'after'])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['user.create', 'token.create', 'token.revoke']);
    expect(JSON.stringify(audit)).not.toContain(secret.slice(12));
  });

  it("a moderator cannot revoke another's token (404) but an owner can", async () => {
    const owner = await signIn(t, { role: 'owner' });
    const one = await signIn(t, { role: 'moderator' });
    const two = await signIn(t, { role: 'moderator' });
    const twoToken = await tokenId(two);
    const refused = await call('DELETE', tokenPath(twoToken), one.bearer);
    expect(refused.status).toBe(404);
    expect(refused.json.error.code).toBe('not_found');
    const missing = await call('DELETE', tokenPath('999999'), one.bearer);
    expect(missing.json).toEqual(refused.json);
    expect((await call('GET', ME, two.bearer)).status).toBe(200);
    expect((await call('DELETE', tokenPath(twoToken), owner.bearer)).status).toBe(200);
    expect((await call('GET', ME, two.bearer)).status).toBe(401);
    // Only one's own tokens are listed, even for an owner.
    const listed = await call('GET', TOKENS, owner.bearer);
    expect(listed.json.tokens.map((x: Json) => x.id)).toEqual([await tokenId(owner)]);
  });

  it('refuses malformed names and ids', async () => {
    const owner = await signIn(t, { role: 'owner' });
    for (const body of [
      {},
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(101) },
      { name: 'a\u0000b' },
      { name: 5 },
    ]) {
      expect((await call('POST', TOKENS, owner.bearer, body)).status).toBe(422);
    }
    for (const id of ['abc', '0', '-1', '1'.repeat(30), '1%00']) {
      expect((await call('DELETE', tokenPath(id), owner.bearer)).status).toBe(404);
    }
  });
});

describe('users', () => {
  it('lists, creates, updates and deletes, each with its audit entry', async () => {
    await t.addSite({ id: 'news' });
    await t.addSite({ id: 'sport' });
    const owner = await signIn(t, { role: 'owner' });
    const created = await call('POST', USERS, owner.bearer, {
      username: 'هدى.editor',
      password: 'a long enough password',
      role: 'moderator',
      sites: ['sport', 'news', 'news'],
      displayName: '  هدى  ',
    });
    expect(created.status).toBe(201);
    const user = UserResponseSchema.parse(created.json).user;
    expect(user).toMatchObject({
      username: 'هدى.editor',
      displayName: 'هدى',
      role: 'moderator',
      sites: ['news', 'sport'],
      disabled: false,
    });
    expect(JSON.stringify(created.json)).not.toMatch(/password|scrypt/);

    const list = UsersResponseSchema.parse((await call('GET', USERS, owner.bearer)).json).users;
    expect(list.map((u) => u.username)).toEqual([owner.username, 'هدى.editor']);
    expect(list[0]?.sites).toEqual(['news', 'sport']); // an owner moderates every site

    const updated = await call('PATCH', userPath(user.id), owner.bearer, {
      sites: ['sport'],
      displayName: 'Huda',
    });
    expect(updated.status).toBe(200);
    expect(updated.json.user).toMatchObject({ sites: ['sport'], displayName: 'Huda', role: 'moderator' });
    const promoted = await call('PATCH', userPath(user.id), owner.bearer, { role: 'owner' });
    expect(promoted.json.user).toMatchObject({ role: 'owner', sites: ['news', 'sport'] });
    expect(await t.db.selectFrom('user_sites').selectAll().where('user_id', '=', user.id).execute()).toEqual(
      [],
    );

    const deleted = await call('DELETE', userPath(user.id), owner.bearer);
    expect(deleted.status).toBe(200);
    expect((await call('DELETE', userPath(user.id), owner.bearer)).status).toBe(404);
    expect((await call('PATCH', userPath(user.id), owner.bearer, { displayName: 'x' })).status).toBe(404);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'target_id', 'before', 'after'])
      .where('target_type', '=', 'user')
      .where('target_id', '=', user.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['user.create', 'user.update', 'user.update', 'user.delete']);
    expect(audit.every((a) => a.actor === owner.username)).toBe(true);
    expect(audit[1]?.before).toMatchObject({ sites: ['news', 'sport'], displayName: 'هدى' });
    expect(audit[1]?.after).toMatchObject({ sites: ['sport'], displayName: 'Huda' });
    expect(JSON.stringify(audit)).not.toMatch(/password|scrypt/);
  });

  it('keeps usernames unique without regard to case, and refuses unknown sites', async () => {
    await t.addSite({ id: 'news' });
    const owner = await signIn(t, { role: 'owner', username: 'Owner' });
    const taken = await call('POST', USERS, owner.bearer, {
      username: 'oWNER',
      password: 'long password 12',
      role: 'moderator',
    });
    expect(taken.status).toBe(422);
    expect(taken.json.error.details.fields).toEqual({ username: 'invalid' });
    const site = await call('POST', USERS, owner.bearer, {
      username: 'new',
      password: 'long password 12',
      role: 'moderator',
      sites: ['nowhere'],
    });
    expect(site.status).toBe(404);
    expect(site.json.error.code).toBe('unknown_site');
    const users = await t.db.selectFrom('users').select('username').execute();
    expect(users.map((u) => u.username)).toEqual(['Owner']);
    // Concurrent creations of one name: one wins.
    const racing = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call('POST', USERS, owner.bearer, {
          username: i % 2 ? 'Twin' : 'twin',
          password: 'long password 12',
          role: 'moderator',
        }),
      ),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([201, 422, 422, 422, 422, 422, 422, 422]);
  });

  it('refuses hostile bodies: huge names, NUL, prototype keys, wrong types', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const moderator = await signIn(t, { role: 'moderator' });
    const bad: unknown[] = [
      { username: 'x'.repeat(65), password: 'long password 12', role: 'moderator' },
      { username: 'a\u0000b', password: 'long password 12', role: 'moderator' },
      { username: 'has space', password: 'long password 12', role: 'moderator' },
      { username: 'ok', password: 'short', role: 'moderator' },
      { username: 'ok', password: 'long password 12', role: 'admin' },
      { username: 'ok', password: 'long password 12', role: 'moderator', sites: 'news' },
      { username: ['ok'], password: 'long password 12', role: 'moderator' },
    ];
    for (const body of bad) expect((await call('POST', USERS, owner.bearer, body)).status).toBe(422);
    expect((await call('POST', USERS, owner.bearer, '{"username": "x"')).status).toBe(400);
    expect((await call('POST', USERS, owner.bearer, `{"username":"${'x'.repeat(600_000)}"}`)).status).toBe(
      413,
    );
    const proto = await call(
      'PATCH',
      userPath(moderator.userId),
      owner.bearer,
      '{"__proto__":{"role":"owner","disabled":true},"constructor":{"prototype":{"role":"owner"}},"displayName":"P"}',
    );
    expect(proto.status).toBe(200);
    expect(proto.json.user).toMatchObject({ role: 'moderator', disabled: false, displayName: 'P' });
    expect(({} as Json).role).toBeUndefined();
    expect((await t.db.selectFrom('users').select('id').execute()).length).toBe(2);
  });

  it('a new password or disabling ends the user’s sessions; disabling stops their tokens', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const moderator = await signIn(t, { role: 'moderator' });
    const session = { cookie: moderator.session.cookie as string };
    expect((await call('GET', ME, session)).status).toBe(200);
    expect(
      (await call('PATCH', userPath(moderator.userId), owner.bearer, { password: 'reset by owner 1' }))
        .status,
    ).toBe(200);
    expect((await call('GET', ME, session)).status).toBe(401);
    expect((await call('GET', ME, moderator.bearer)).status).toBe(200); // tokens are not sessions
    const update = await t.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'user.update')
      .executeTakeFirstOrThrow();
    expect(update.after).toMatchObject({ passwordChanged: true });
    expect(JSON.stringify(update.after)).not.toContain('reset by owner');

    expect((await call('PATCH', userPath(moderator.userId), owner.bearer, { disabled: true })).status).toBe(
      200,
    );
    expect((await call('GET', ME, moderator.bearer)).status).toBe(401);
    expect((await call('PATCH', userPath(moderator.userId), owner.bearer, { disabled: false })).status).toBe(
      200,
    );
    expect((await call('GET', ME, moderator.bearer)).status).toBe(200);
  });

  it('an owner setting their own password keeps the session making the change and ends the others', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const other = await t.post(
      adminRoutes.login.path,
      { username: owner.username, password: owner.password },
      { headers: { origin: ADMIN_ORIGIN }, ip: '198.51.100.20' },
    );
    const otherCookie = (other.headers.get('set-cookie') as string).split(';')[0] as string;
    const res = await call('PATCH', userPath(owner.userId), owner.session, {
      password: 'my own new password',
    });
    expect(res.status).toBe(200);
    expect((await call('GET', ME, { cookie: owner.session.cookie as string })).status).toBe(200);
    expect((await call('GET', ME, { cookie: otherCookie })).status).toBe(401);
  });

  it('never leaves the server without an enabled owner', async () => {
    const owner = await signIn(t, { role: 'owner' });
    await call('GET', ME, owner.bearer); // its first use stamps the token; the snapshot comes after
    const cases: Array<[string, string, unknown]> = [
      ['PATCH', userPath(owner.userId), { role: 'moderator' }],
      ['PATCH', userPath(owner.userId), { disabled: true }],
      ['DELETE', userPath(owner.userId), undefined],
    ];
    const before = await snapshot();
    for (const [method, path, body] of cases) {
      const res = await call(method, path, owner.bearer, body);
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('forbidden');
    }
    expect(await snapshot()).toBe(before);

    // A disabled owner does not count as one.
    const sleeping = await signIn(t, { role: 'owner' });
    await t.db.updateTable('users').set({ disabled: true }).where('id', '=', sleeping.userId).execute();
    expect((await call('DELETE', userPath(owner.userId), owner.bearer)).status).toBe(403);

    // With a second enabled owner, one may step down; then the other is the last.
    const second = await signIn(t, { role: 'owner' });
    expect((await call('PATCH', userPath(owner.userId), second.bearer, { role: 'moderator' })).status).toBe(
      200,
    );
    expect((await call('DELETE', userPath(second.userId), second.bearer)).status).toBe(403);
  });

  it('two owners demoting each other at once leave one owner', async () => {
    const one = await signIn(t, { role: 'owner' });
    const two = await signIn(t, { role: 'owner' });
    const answers = await Promise.all([
      call('PATCH', userPath(two.userId), one.bearer, { role: 'moderator' }),
      call('PATCH', userPath(one.userId), two.bearer, { role: 'moderator' }),
    ]);
    const statuses = answers.map((a) => a.status).sort();
    // Either the first demotion wins and the second caller, now a moderator, is refused
    // (403), or the second finds no other owner (403).
    expect(statuses).toEqual([200, 403]);
    const owners = await t.db.selectFrom('users').select('id').where('role', '=', 'owner').execute();
    expect(owners).toHaveLength(1);
  });

  it('writes the change and its audit entry in one transaction: a failing audit insert undoes the change', async () => {
    await t.addSite({ id: 'news' });
    const owner = await signIn(t, { role: 'owner' });
    const moderator = await signIn(t, { role: 'moderator', sites: ['news'] });
    await call('GET', ME, owner.bearer);
    await call('GET', ME, moderator.bearer);
    const before = await snapshot();
    await sql`alter table audit_log add constraint test_audit_refuses check (action not like 'user.%' and action not like 'token.%') not valid`.execute(
      t.db,
    );
    try {
      const attempts: Array<[string, string, unknown]> = [
        ['POST', USERS, { username: 'ghost', password: 'long password 12', role: 'moderator' }],
        ['PATCH', userPath(moderator.userId), { role: 'owner', password: 'a new password!!' }],
        ['PATCH', userPath(moderator.userId), { disabled: true }],
        ['DELETE', userPath(moderator.userId), undefined],
        ['POST', TOKENS, { name: 'ghost token' }],
        ['DELETE', tokenPath(await tokenId(moderator)), undefined],
      ];
      for (const [method, path, body] of attempts) {
        const res = await call(method, path, owner.bearer, body);
        expect(res.status).toBe(500);
        expect(res.json.error.code).toBe('internal');
      }
    } finally {
      await sql`alter table audit_log drop constraint test_audit_refuses`.execute(t.db);
    }
    expect(await snapshot()).toBe(before);
    expect((await call('GET', ME, moderator.bearer)).status).toBe(200);
    expect((await call('GET', ME, { cookie: moderator.session.cookie as string })).status).toBe(200);
  });

  it('logs no password', async () => {
    const owner = await signIn(t, { role: 'owner' });
    await call('POST', USERS, owner.bearer, {
      username: 'logged',
      password: 'secret-in-logs-1',
      role: 'moderator',
    });
    await t.post(
      adminRoutes.login.path,
      { username: 'logged', password: 'secret-in-logs-2' },
      { headers: { origin: ADMIN_ORIGIN } },
    );
    expect(t.logs.text).not.toContain('secret-in-logs');
  });
});
