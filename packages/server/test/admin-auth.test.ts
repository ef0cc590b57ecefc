import { adminRoutes, MeResponseSchema } from '@hiwar/protocol';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../src/auth/principal.js';
import { type TestContext, testConfig, useTestApp } from './harness.js';
import { ADMIN_ORIGIN, signIn } from './helpers/admin.js';
import { type Json, postComment } from './helpers/api.js';

const t = useTestApp();

const LOGIN = adminRoutes.login.path;
const ME = adminRoutes.me.path;
const LOGOUT = adminRoutes.logout.path;
const PASSWORD = adminRoutes.changePassword.path;
const MINUTE = 60_000;

async function login(
  context: TestContext,
  username: string,
  password: string,
  init: { ip?: string; headers?: Record<string, string> } = {},
) {
  const res = await context.post(
    LOGIN,
    { username, password },
    { ip: init.ip, headers: { origin: ADMIN_ORIGIN, ...init.headers } },
  );
  const json: Json = await res.json();
  return { res, json, status: res.status, cookie: cookieOf(res) };
}

/** `name=value` of the response's session cookie, for the next request's `Cookie`. */
function cookieOf(res: Response): string | undefined {
  const header = res.headers.get('set-cookie');
  return header ? header.split(';')[0] : undefined;
}

const withCookie = (cookie: string | undefined) => ({ cookie: cookie ?? '', origin: ADMIN_ORIGIN });

async function sessionCount(userId: string): Promise<number> {
  const rows = await t.db.selectFrom('sessions').select('id_hash').where('user_id', '=', userId).execute();
  return rows.length;
}

describe('POST /api/v1/admin/login', () => {
  it('starts a session: an HttpOnly, SameSite=Strict cookie that opens the admin API', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const { status, json, res, cookie } = await login(t, owner.username, owner.password);
    expect(status).toBe(200);
    expect(MeResponseSchema.parse(json).user).toMatchObject({ id: owner.userId, role: 'owner' });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const setCookie = res.headers.get('set-cookie') as string;
    expect(setCookie).toMatch(/^hiwar_session=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain(`Max-Age=${SESSION_MAX_MS / 1000}`);
    expect(setCookie).not.toContain('Secure');
    const me = await t.request(ME, { headers: { cookie: cookie as string } });
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect(((await me.json()) as Json).user.username).toBe(owner.username);
    // Only the hash of the session id is stored.
    const value = (cookie as string).split('=')[1] as string;
    const stored = await t.db.selectFrom('sessions').select('id_hash').execute();
    expect(stored.some((row) => Buffer.from(row.id_hash).toString('utf8').includes(value))).toBe(false);
    // The login is in the audit log, without the password.
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'session.login')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(owner.password);
  });

  it('behind HTTPS names the cookie __Host- and marks it Secure', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const { app } = createApp({
      db: t.db,
      config: testConfig({ publicUrl: 'https://comments.example' }),
      keys: t.keys,
      clock: t.clock,
      logger: undefined,
    });
    const res = await app.request(
      LOGIN,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://comments.example' },
        body: JSON.stringify({ username: owner.username, password: owner.password }),
      },
      { incoming: { socket: { remoteAddress: '198.51.100.7' } } },
    );
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') as string;
    expect(setCookie).toMatch(
      /^__Host-hiwar_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; /,
    );
    expect(setCookie).toContain('; Secure');
    expect(setCookie).not.toContain('Domain=');
    const me = await app.request(ME, { headers: { cookie: setCookie.split(';')[0] as string } });
    expect(me.status).toBe(200);
    // The plain name is not read behind HTTPS.
    const plain = await app.request(ME, {
      headers: { cookie: (setCookie.split(';')[0] as string).replace('__Host-', '') },
    });
    expect(plain.status).toBe(401);
  });

  it('answers an unknown user, a wrong password and a disabled user alike', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const disabled = await signIn(t, { role: 'moderator' });
    await t.db.updateTable('users').set({ disabled: true }).where('id', '=', disabled.userId).execute();
    const unknown = await login(t, 'nobody', 'whatever-password', { ip: '198.51.100.1' });
    const wrong = await login(t, owner.username, 'not-the-password', { ip: '198.51.100.2' });
    const off = await login(t, disabled.username, disabled.password, { ip: '198.51.100.3' });
    for (const answer of [unknown, wrong, off]) {
      expect(answer.status).toBe(401);
      expect(answer.cookie).toBeUndefined();
    }
    expect(unknown.json).toEqual({
      error: { code: 'invalid_credentials', message: 'The username or the password is wrong.' },
    });
    expect(wrong.json).toEqual(unknown.json);
    expect(off.json).toEqual(unknown.json);
    expect(await t.db.selectFrom('sessions').select('id_hash').execute()).toHaveLength(2); // signIn's own
  });

  it('finds the user without regard to case', async () => {
    const owner = await signIn(t, { role: 'owner', username: 'Huda' });
    expect((await login(t, 'hUDA', owner.password)).status).toBe(200);
    // Outside ASCII, whatever the database's locale folds, the name as written works.
    const german = await signIn(t, { role: 'moderator', username: 'Ärzte' });
    expect((await login(t, 'Ärzte', german.password)).status).toBe(200);
    const arabic = await signIn(t, { role: 'moderator', username: 'هدى' });
    expect((await login(t, 'هدى', arabic.password)).status).toBe(200);
  });

  it('refuses a login from another origin, with no Origin, or as a form or text/plain', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const body = JSON.stringify({ username: owner.username, password: owner.password });
    const cases: Array<[string, Record<string, string>, number]> = [
      ['a cross-site Origin', { 'content-type': 'application/json', origin: 'https://evil.example' }, 403],
      [
        'no Origin, cross-site fetch',
        { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
        403,
      ],
      ['no Origin at all', { 'content-type': 'application/json' }, 403],
      ['Origin null', { 'content-type': 'application/json', origin: 'null' }, 403],
      ['text/plain', { 'content-type': 'text/plain', origin: ADMIN_ORIGIN }, 415],
      ['a form', { 'content-type': 'application/x-www-form-urlencoded', origin: ADMIN_ORIGIN }, 415],
    ];
    for (const [, headers, status] of cases) {
      const res = await t.request(LOGIN, { method: 'POST', headers, body });
      expect(res.status).toBe(status);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    expect(await sessionCount(owner.userId)).toBe(1);
  });

  it('answers malformed, oversized and hostile bodies with a clear code', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const post = (body: string) =>
      t.request(LOGIN, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ADMIN_ORIGIN },
        body,
      });
    expect((await post('{"username":')).status).toBe(400);
    expect((await post('[]')).status).toBe(422);
    expect((await post('null')).status).toBe(422);
    expect((await post(JSON.stringify({ username: 'a'.repeat(201), password: 'x' }))).status).toBe(422);
    expect((await post(JSON.stringify({ username: 'x', password: 'p'.repeat(1025) }))).status).toBe(422);
    expect((await post(JSON.stringify({ username: 'x'.repeat(600_000), password: 'x' }))).status).toBe(413);
    // NUL and a prototype key match nobody, and do not reach the database as errors.
    const nul = await post(JSON.stringify({ username: `${owner.username}\u0000`, password: owner.password }));
    expect(nul.status).toBe(401);
    const proto = await post(
      `{"__proto__":{"username":"${owner.username}"},"username":"zz","password":"${owner.password}"}`,
    );
    expect(proto.status).toBe(401);
    expect(((await proto.json()) as Json).error.code).toBe('invalid_credentials');
  });
});

describe('sessions', () => {
  it('logout ends this session only and clears the cookie', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const first = await login(t, owner.username, owner.password);
    const second = await login(t, owner.username, owner.password);
    const res = await t.request(LOGOUT, { method: 'POST', headers: withCookie(first.cookie) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('set-cookie')).toMatch(
      /^hiwar_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0/,
    );
    expect((await t.request(ME, { headers: withCookie(first.cookie) })).status).toBe(401);
    expect((await t.request(ME, { headers: withCookie(second.cookie) })).status).toBe(200);
  });

  it('logout with an API token answers 200 and ends nothing', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const res = await t.request(LOGOUT, { method: 'POST', headers: owner.bearer });
    expect(res.status).toBe(200);
    expect(await sessionCount(owner.userId)).toBe(1);
    expect((await t.request(ME, { headers: owner.bearer })).status).toBe(200);
  });

  it('a cross-site logout is refused and the session lives on', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const res = await t.request(LOGOUT, {
      method: 'POST',
      headers: { cookie: owner.session.cookie as string, origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(await sessionCount(owner.userId)).toBe(1);
  });

  it('ends a session unused for a week, and any session after 30 days', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const { cookie } = await login(t, owner.username, owner.password);
    // Used every six days, it lives on until its thirtieth day.
    for (let day = 6; day < 30; day += 6) {
      t.clock.advance(6 * 24 * 60 * MINUTE);
      expect((await t.request(ME, { headers: withCookie(cookie) })).status).toBe(200);
    }
    t.clock.advance(6 * 24 * 60 * MINUTE); // day 30
    expect((await t.request(ME, { headers: withCookie(cookie) })).status).toBe(401);

    const idle = await login(t, owner.username, owner.password);
    t.clock.advance(SESSION_IDLE_MS + 1);
    expect((await t.request(ME, { headers: withCookie(idle.cookie) })).status).toBe(401);
  });

  it('ignores a forged, overlong or empty cookie', async () => {
    for (const cookie of ['hiwar_session=forged', `hiwar_session=${'a'.repeat(5000)}`, 'hiwar_session=']) {
      const res = await t.request(ME, { headers: { cookie } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as Json).error.code).toBe('unauthorized');
    }
  });
});

describe('POST /api/v1/admin/me/password', () => {
  it('checks the current password, sets the new one and ends every other session', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const current = await login(t, owner.username, owner.password);
    const other = await login(t, owner.username, owner.password);
    const res = await t.post(
      PASSWORD,
      { currentPassword: owner.password, newPassword: 'a brand new password' },
      { headers: withCookie(current.cookie) },
    );
    expect(res.status).toBe(200);
    expect((await t.request(ME, { headers: withCookie(current.cookie) })).status).toBe(200);
    expect((await t.request(ME, { headers: withCookie(other.cookie) })).status).toBe(401);
    expect((await t.request(ME, { headers: { cookie: owner.session.cookie as string } })).status).toBe(401);
    expect((await login(t, owner.username, owner.password)).status).toBe(401);
    expect((await login(t, owner.username, 'a brand new password')).status).toBe(200);
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user.password')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toMatch(/brand new|scrypt/);
  });

  it('refuses a wrong current password with invalid_credentials, throttled like a login', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const change = (currentPassword: string) =>
      t.post(PASSWORD, { currentPassword, newPassword: 'another long password' }, { headers: owner.bearer });
    for (let i = 0; i < 5; i++) {
      const res = await change('wrong password');
      expect(res.status).toBe(401);
      expect(((await res.json()) as Json).error.code).toBe('invalid_credentials');
    }
    const sixth = await change(owner.password);
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    const row = await t.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', owner.userId)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toContain('ln=10'); // unchanged: still the test helper's hash
  });

  it('refuses a weak or hostile new password', async () => {
    const owner = await signIn(t, { role: 'owner' });
    for (const newPassword of ['short', 'x'.repeat(1025), 'has a NUL \u0000 inside']) {
      const res = await t.post(
        PASSWORD,
        { currentPassword: owner.password, newPassword },
        { headers: owner.bearer },
      );
      expect(res.status).toBe(422);
    }
  });
});

describe('login throttling', () => {
  const A = '203.0.113.10';

  it('refuses the sixth attempt in 15 minutes, even with the right password, and lifts after', async () => {
    const owner = await signIn(t, { role: 'owner' });
    for (let i = 0; i < 5; i++) {
      expect((await login(t, owner.username, `wrong-${i}-password`, { ip: A })).status).toBe(401);
      t.clock.advance(MINUTE);
    }
    const sixth = await login(t, owner.username, owner.password, { ip: A });
    expect(sixth.status).toBe(429);
    expect(sixth.json.error.code).toBe('rate_limited');
    expect(sixth.cookie).toBeUndefined();
    // The first failure leaves the window 15 minutes after it: 10 minutes from now.
    expect(sixth.res.headers.get('retry-after')).toBe(String(10 * 60));
    t.clock.advance(10 * MINUTE - 1000);
    expect((await login(t, owner.username, owner.password, { ip: A })).status).toBe(429);
    t.clock.advance(1000);
    expect((await login(t, owner.username, owner.password, { ip: A })).status).toBe(200);
  });

  it('does not lock the account: the owner logs in from another IPv4 and another IPv6 /64', async () => {
    const owner = await signIn(t, { role: 'owner' });
    for (let i = 0; i < 5; i++) await login(t, owner.username, 'wrong password!', { ip: A });
    expect((await login(t, owner.username, owner.password, { ip: A })).status).toBe(429);
    expect((await login(t, owner.username, owner.password, { ip: '203.0.113.11' })).status).toBe(200);
    const v6 = '2001:db8:aaaa:1::5';
    for (let i = 0; i < 5; i++) await login(t, owner.username, 'wrong password!', { ip: v6 });
    // Another address in the same /64 is the same network…
    expect((await login(t, owner.username, owner.password, { ip: '2001:db8:aaaa:1:ffff::9' })).status).toBe(
      429,
    );
    // …the next /64 is not.
    expect((await login(t, owner.username, owner.password, { ip: '2001:db8:aaaa:2::5' })).status).toBe(200);
  });

  it('throttles a different username from a throttled network', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const moderator = await signIn(t, { role: 'moderator' });
    for (let i = 0; i < 5; i++) await login(t, owner.username, 'wrong password!', { ip: A });
    expect((await login(t, moderator.username, moderator.password, { ip: A })).status).toBe(429);
    expect((await login(t, 'nobody-at-all', 'whatever it is', { ip: A })).status).toBe(429);
  });

  it('forgives the account a success, but keeps counting the network', async () => {
    const owner = await signIn(t, { role: 'owner' });
    for (let i = 0; i < 4; i++) await login(t, owner.username, 'wrong password!', { ip: A });
    expect((await login(t, owner.username, owner.password, { ip: A })).status).toBe(200);
    const pairs = await t.db.selectFrom('login_failures').select('id').execute();
    expect(pairs).toHaveLength(4); // the network's four; the account's are cleared, the success left none
    expect((await login(t, owner.username, 'wrong password!', { ip: A })).status).toBe(401);
    expect((await login(t, owner.username, owner.password, { ip: A })).status).toBe(429);
  });

  it('checks at most five of 100 concurrent wrong logins from one address', async () => {
    const owner = await signIn(t, { role: 'owner' });
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => login(t, owner.username, `guess number ${i}`, { ip: A })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(95);
    const rows = await t.db.selectFrom('login_failures').select('id').execute();
    expect(rows).toHaveLength(10); // five for the network, five for the account on it
  });

  it('purges failures older than the window', async () => {
    const owner = await signIn(t, { role: 'owner' });
    for (let i = 0; i < 3; i++) await login(t, owner.username, 'wrong password!', { ip: A });
    t.clock.advance(16 * MINUTE);
    await login(t, 'someone', 'wrong password!', { ip: '198.51.100.99' });
    const rows = await t.db.selectFrom('login_failures').select('at').execute();
    expect(rows).toHaveLength(2);
  });

  it('stores keyed hashes, not addresses or usernames', async () => {
    await login(t, 'visible-name', 'wrong password!', { ip: A });
    const rows = await t.db.selectFrom('login_failures').select('key_hash').execute();
    for (const row of rows) {
      const bytes = Buffer.from(row.key_hash);
      expect(bytes).toHaveLength(32);
      expect(bytes.toString('latin1')).not.toMatch(/visible|203\.0/);
    }
  });
});

describe('admin authentication', () => {
  it('answers 403 forbidden to a commenter edit token and 401 to an unknown API token', async () => {
    await t.addSite({ id: 'news' });
    const posted = await postComment(t);
    expect(posted.status).toBe(201);
    const edit = await t.request(ME, { headers: { authorization: `Bearer ${posted.token}` } });
    expect(edit.status).toBe(403);
    expect(((await edit.json()) as Json).error.code).toBe('forbidden');
    const unknown = await t.request(ME, { headers: { authorization: `Bearer hiwar_${'x'.repeat(43)}` } });
    expect(unknown.status).toBe(401);
    const basic = await t.request(ME, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.status).toBe(401);
  });

  it("stops a disabled user's session and tokens at once", async () => {
    const moderator = await signIn(t, { role: 'moderator' });
    await t.db.updateTable('users').set({ disabled: true }).where('id', '=', moderator.userId).execute();
    expect((await t.request(ME, { headers: moderator.bearer })).status).toBe(401);
    expect((await t.request(ME, { headers: { cookie: moderator.session.cookie as string } })).status).toBe(
      401,
    );
  });
});
