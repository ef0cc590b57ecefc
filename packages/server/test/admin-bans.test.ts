import { describe, expect, it } from 'vitest';
import { useTestApp } from './harness.js';
import { bearer, postComment } from './helpers/api.js';
import { type AdminJson, adminCall, databaseText, useModerationCast } from './helpers/seed.js';

const t = useTestApp();
const cast = useModerationCast(t);
const DAY = 86_400_000;

async function post(extra: Record<string, unknown> = {}, ip = '203.0.113.7') {
  t.clock.tick();
  return postComment(t, extra, { ip });
}

async function ban(body: Record<string, unknown>, who = cast.mod.session) {
  return adminCall(t, 'POST', '/api/v1/admin/bans', who, { duration: 'forever', ...body });
}

async function commentCount(): Promise<number> {
  return (await t.db.selectFrom('comments').select('id').execute()).length;
}

describe('authorization of the ban routes', () => {
  it('POST /api/v1/admin/bans, DELETE /api/v1/admin/bans/:id, GET /api/v1/admin/comments/:id/author', async () => {
    const { id, token } = await post();
    const create = (h: Record<string, string>) => ban({ kind: 'name', commentId: id }, h);
    for (const [headers, status] of [
      [{}, 401],
      [bearer(token), 403],
      [cast.otherMod.bearer, 403],
    ] as const) {
      expect((await create(headers)).status).toBe(status);
      expect((await adminCall(t, 'GET', `/api/v1/admin/comments/${id}/author`, headers)).status).toBe(status);
    }
    const made = await create(cast.mod.bearer);
    expect(made.status).toBe(201);
    expect((await create(cast.owner.session)).status).toBe(201);
    expect((await adminCall(t, 'GET', `/api/v1/admin/comments/${id}/author`, cast.mod.bearer)).status).toBe(
      200,
    );
    const path = `/api/v1/admin/bans/${made.json.ban.id}`;
    expect((await adminCall(t, 'DELETE', path, {})).status).toBe(401);
    expect((await adminCall(t, 'DELETE', path, cast.otherMod.bearer)).status).toBe(403);
    expect((await adminCall(t, 'DELETE', path, cast.mod.session)).status).toBe(200);
    expect((await adminCall(t, 'DELETE', path, cast.mod.session)).status).toBe(404);
    expect((await adminCall(t, 'DELETE', '/api/v1/admin/bans/abc', cast.mod.session)).status).toBe(404);
  });

  it('GET /api/v1/admin/bans lists a moderator’s sites only', async () => {
    const news = await post();
    const other = await postComment(t, { site: 'other', url: 'https://other.example/p', body: 'x' });
    await ban({ kind: 'email', commentId: news.id });
    await ban({ kind: 'name', commentId: other.id }, cast.otherMod.bearer);
    const list = async (h: Record<string, string>, q = '') =>
      adminCall(t, 'GET', `/api/v1/admin/bans${q}`, h);
    expect((await list({})).status).toBe(401);
    expect((await list(cast.mod.bearer)).json.bans.map((b: AdminJson) => b.siteId)).toEqual(['news']);
    expect((await list(cast.owner.bearer)).json.bans).toHaveLength(2);
    expect((await list(cast.mod.bearer, '?site=other')).status).toBe(403);
    expect((await list(cast.owner.bearer, '?site=nope')).json.error.code).toBe('unknown_site');
  });
});

describe('bans on the next POST /api/v1/comments', () => {
  it('refuses an email however it is typed, before anything is written', async () => {
    const first = await post({ author: { name: 'Spammer', email: 'Spam@Example.org' } });
    const res = await ban({ kind: 'email', commentId: first.id, reason: 'repeated spam' });
    expect(res.status).toBe(201);
    expect(res.json.ban).toMatchObject({
      siteId: 'news',
      kind: 'email',
      effect: 'ban',
      label: 'spam@example.org',
      reason: 'repeated spam',
      createdBy: cast.mod.username,
      expiresAt: null,
    });
    const before = await commentCount();
    for (const email of ['spam@example.org', ' SPAM@EXAMPLE.ORG ', 'sPaM@example.org']) {
      const refused = await post({ author: { name: 'Someone else', email } }, '198.51.100.1');
      expect(refused.status, email).toBe(403);
      expect(refused.json.error.code).toBe('banned');
    }
    const keyed = await t.post(
      '/api/v1/comments',
      {
        site: 'news',
        url: 'https://news.example/a/1',
        body: 'x',
        author: { name: 'n', email: 'spam@example.org' },
      },
      { headers: { 'idempotency-key': 'k1' } },
    );
    expect(keyed.status).toBe(403);
    expect(await commentCount()).toBe(before);
    expect(await t.db.selectFrom('idempotency_keys').selectAll().execute()).toEqual([]);
    expect((await post({ author: { name: 'Other', email: 'other@example.org' } })).status).toBe(201);
  });

  it('refuses every address of the IPv6 /64, and only it', async () => {
    const first = await post({ author: { name: 'A', email: 'a@example.org' } }, '2001:db8:1:2::10');
    await ban({ kind: 'ip', commentId: first.id });
    const same = await post({ author: { name: 'B', email: 'b@example.org' } }, '2001:db8:1:2:abcd::99');
    expect(same.status).toBe(403);
    expect(same.json.error.code).toBe('banned');
    expect((await post({ author: { name: 'C', email: 'c@example.org' } }, '2001:db8:1:3::10')).status).toBe(
      201,
    );
  });

  it('refuses an IPv4 address, and not its neighbour', async () => {
    const first = await post({}, '192.0.2.10');
    const res = await ban({ kind: 'ip', commentId: first.id });
    expect(res.json.ban.label).toBe(`IP of comment #${first.id}`);
    expect((await post({ author: { name: 'x', email: 'x@example.org' } }, '192.0.2.10')).status).toBe(403);
    expect((await post({ author: { name: 'x', email: 'x@example.org' } }, '192.0.2.11')).status).toBe(201);
  });

  it('refuses a name in any of its Arabic spellings', async () => {
    const first = await post({ author: { name: 'أحمد', email: 'a1@example.org' } });
    await ban({ kind: 'name', commentId: first.id });
    for (const name of ['أحمد', 'احمد', 'أَحْمَـد']) {
      expect(
        (await post({ author: { name, email: 'fresh@example.org' } }, '198.51.100.9')).status,
        name,
      ).toBe(403);
    }
    expect((await post({ author: { name: 'محمود', email: 'fresh@example.org' } })).status).toBe(201);
  });

  it('holds rather than refuses with the effect `hold`, on a site that publishes at once', async () => {
    const first = await postComment(t, { site: 'other', url: 'https://other.example/p', body: 'x' });
    expect(first.json.comment.status).toBe('approved');
    await ban({ kind: 'email', commentId: first.id, effect: 'hold' }, cast.otherMod.bearer);
    const next = await postComment(t, { site: 'other', url: 'https://other.example/p', body: 'y' });
    expect(next.status).toBe(201);
    expect(next.json.comment.status).toBe('pending');
  });

  it('lets bans expire with the clock: a day, a week, a month of 30 days', async () => {
    for (const [duration, ms] of [
      ['day', DAY],
      ['week', 7 * DAY],
      ['month', 30 * DAY],
    ] as const) {
      const first = await post({ author: { name: duration, email: `${duration}@example.org` } });
      // A bearer token: sessions end after a week without use, and the clock moves weeks here.
      const made = await ban({ kind: 'email', commentId: first.id, duration }, cast.mod.bearer);
      expect(made.status, JSON.stringify([first.json, made.json])).toBe(201);
      expect(made.json.ban.expiresAt).toBe(new Date(t.clock.now().getTime() + ms).toISOString());
      // Each post moves the clock 1 ms: the first lands 1 ms before expiry, the second on it.
      t.clock.advance(ms - 2);
      expect((await post({ author: { name: duration, email: `${duration}@example.org` } })).status).toBe(403);
      expect((await post({ author: { name: duration, email: `${duration}@example.org` } })).status).toBe(201);
      expect((await adminCall(t, 'GET', '/api/v1/admin/bans', cast.mod.bearer)).json.bans).toEqual([]);
    }
  });

  it('stops applying as soon as it is lifted, audited without the email', async () => {
    const first = await post({ author: { name: 'Lifted', email: 'lifted@example.org' } });
    const made = await ban({ kind: 'email', commentId: first.id, duration: 'week' });
    expect((await post({ author: { name: 'Lifted', email: 'lifted@example.org' } })).status).toBe(403);
    await adminCall(t, 'DELETE', `/api/v1/admin/bans/${made.json.ban.id}`, cast.mod.session);
    expect((await post({ author: { name: 'Lifted', email: 'lifted@example.org' } })).status).toBe(201);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after', 'target_id'])
      .where('action', 'like', 'ban.%')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      {
        action: 'ban.create',
        before: null,
        after: { kind: 'email', effect: 'ban', duration: 'week', commentId: first.id },
        target_id: made.json.ban.id,
      },
      {
        action: 'ban.delete',
        before: { kind: 'email', effect: 'ban', expiresAt: made.json.ban.expiresAt },
        after: null,
        target_id: made.json.ban.id,
      },
    ]);
  });

  it('refuses malformed ban requests', async () => {
    const { id } = await post();
    for (const body of [
      { kind: 'phone', commentId: id },
      { kind: 'email', commentId: id, duration: 'decade' },
      { kind: 'email', commentId: id, effect: 'shadow' },
      { kind: 'email', commentId: 'x' },
      { kind: 'email', commentId: id, reason: 'r'.repeat(501) },
    ]) {
      expect((await ban(body)).status, JSON.stringify(body)).toBe(422);
    }
    expect((await ban({ kind: 'email', commentId: '99999' })).status).toBe(404);
    // A moderator's reply has no email to ban.
    const reply = await adminCall(t, 'POST', `/api/v1/admin/comments/${id}/replies`, cast.mod.bearer, {
      body: 'r',
    });
    const noEmail = await ban({ kind: 'email', commentId: reply.json.comment.id });
    expect(noEmail.status).toBe(422);
  });
});

describe('GET /api/v1/admin/comments/:id/author', () => {
  it('gathers the author’s comments on the site through the blind index, with counts and bans', async () => {
    const a = await post({ author: { name: 'Huda', email: 'huda@example.org' } });
    const b = await post({
      url: 'https://news.example/a/2',
      author: { name: 'Huda H.', email: ' HUDA@example.org' },
    });
    await post({ author: { name: 'Huda', email: 'another@example.org' } });
    await postComment(t, {
      site: 'other',
      url: 'https://other.example/p',
      body: 'x',
      author: { name: 'Huda', email: 'huda@example.org' },
    });
    await adminCall(t, 'POST', '/api/v1/admin/comments/actions', cast.mod.bearer, {
      action: 'spam',
      ids: [a.id],
    });
    await ban({ kind: 'email', commentId: a.id, effect: 'hold' });
    await ban({ kind: 'name', commentId: b.id });

    const res = await adminCall(t, 'GET', `/api/v1/admin/comments/${a.id}/author`, cast.mod.bearer);
    expect(res.status).toBe(200);
    expect(res.json.author).toMatchObject({ name: 'Huda', email: 'huda@example.org' });
    expect(res.json.comments.map((c: AdminJson) => c.id)).toEqual([b.id, a.id]);
    expect(res.json.counts).toEqual({ approved: 0, pending: 1, spam: 1, deleted: 0 });
    // The email ban matches; the name ban was on "Huda H.", a different name.
    expect(res.json.bans.map((x: AdminJson) => [x.kind, x.effect])).toEqual([['email', 'hold']]);
  });

  it('falls back to the exact name for a comment without an email', async () => {
    const { id } = await post();
    const reply = await adminCall(t, 'POST', `/api/v1/admin/comments/${id}/replies`, cast.mod.bearer, {
      body: 'r',
    });
    const res = await adminCall(
      t,
      'GET',
      `/api/v1/admin/comments/${reply.json.comment.id}/author`,
      cast.owner.bearer,
    );
    expect(res.json.author.email).toBeNull();
    expect(res.json.comments.map((c: AdminJson) => c.id)).toEqual([reply.json.comment.id]);
  });
});

describe('privacy of bans', () => {
  it('keeps the email out of the ban row, the audit log and the database files', async () => {
    const email = `ban-canary-${Date.now()}@canary.example`;
    const first = await post({ author: { name: 'Canary', email } });
    const made = await ban({ kind: 'email', commentId: first.id, reason: 'marker-ban-reason' });
    expect(made.json.ban.label).toBe(email);
    const row = await t.db.selectFrom('bans').selectAll().executeTakeFirstOrThrow();
    expect(Buffer.from(row.label_enc).toString('latin1')).not.toContain(email);
    const audit = JSON.stringify(await t.db.selectFrom('audit_log').selectAll().execute());
    expect(audit).not.toContain(email);
    const text = await databaseText(t);
    expect(text).toContain('marker-ban-reason');
    expect(text.includes(email)).toBe(false);
    expect(text.includes(Buffer.from(email).toString('hex'))).toBe(false);
  });
});
