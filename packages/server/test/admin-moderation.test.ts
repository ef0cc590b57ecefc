import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './harness.js';
import { type SignedIn, signIn } from './helpers/admin.js';
import { bearer, getJson, PAGE, postComment, threadPath } from './helpers/api.js';
import { type AdminJson, adminCall, counterDrift, threadOf, useModerationCast } from './helpers/seed.js';

const t = useTestApp();
const cast = useModerationCast(t);

const ACTIONS = '/api/v1/admin/comments/actions';

async function post(body?: string, extra: Record<string, unknown> = {}) {
  t.clock.tick();
  const posted = await postComment(t, { ...(body === undefined ? {} : { body }), ...extra });
  expect(posted.status).toBe(201);
  return posted;
}

async function act(who: SignedIn, action: string, ids: string[]) {
  return adminCall(t, 'POST', ACTIONS, who.session, { action, ids });
}

async function publicThread() {
  return getJson(t, threadPath({ site: 'news', url: PAGE }));
}

async function publicCount(): Promise<number> {
  const { json } = await getJson(t, `/api/v1/counts?site=news&url=${encodeURIComponent(PAGE)}`);
  return json.counts[PAGE];
}

async function statusOf(id: string) {
  return t.db
    .selectFrom('comments')
    .select(['status', 'pinned', 'status_before_delete'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/**
 * The authorization matrix of one route: anonymous 401, a commenter's edit token 403,
 * a moderator of another site 403, a moderator of the site and an owner `ok`. `call`
 * builds fresh state for each caller, so writes do not see each other's effects.
 */
async function authMatrix(
  call: (headers: Record<string, string>) => Promise<{ status: number; json: AdminJson }>,
  ok: number,
) {
  const anonymous = await call({});
  expect(anonymous.status).toBe(401);
  expect(anonymous.json.error.code).toBe('unauthorized');
  const { token } = await post('edit token holder');
  const commenter = await call(bearer(token));
  expect(commenter.status).toBe(403);
  expect(commenter.json.error.code).toBe('forbidden');
  const stranger = await call(cast.otherMod.bearer);
  expect(stranger.status).toBe(403);
  expect(stranger.json.error.code).toBe('forbidden');
  expect((await call(cast.mod.bearer)).status).toBe(ok);
  expect((await call(cast.owner.session)).status).toBe(ok);
}

describe('authorization of the comment routes', () => {
  it('GET /api/v1/admin/comments/:id', async () => {
    const { id } = await post();
    await authMatrix((h) => adminCall(t, 'GET', `/api/v1/admin/comments/${id}`, h), 200);
  });

  it('PATCH /api/v1/admin/comments/:id', async () => {
    await authMatrix(async (h) => {
      const { id } = await post();
      return adminCall(t, 'PATCH', `/api/v1/admin/comments/${id}`, h, { body: 'edited' });
    }, 200);
  });

  it('POST /api/v1/admin/comments/:id/replies', async () => {
    await authMatrix(async (h) => {
      const { id } = await post();
      return adminCall(t, 'POST', `/api/v1/admin/comments/${id}/replies`, h, { body: 'reply' });
    }, 201);
  });

  it('PATCH /api/v1/admin/threads/:id', async () => {
    const { json } = await post();
    const threadId = await threadOf(t.db, json.comment.id);
    await authMatrix(
      (h) => adminCall(t, 'PATCH', `/api/v1/admin/threads/${threadId}`, h, { closed: true }),
      200,
    );
  });

  it('POST /api/v1/admin/comments/actions skips a stranger’s ids instead of refusing the whole request', async () => {
    const { id } = await post();
    expect((await adminCall(t, 'POST', ACTIONS, {}, { action: 'approve', ids: [id] })).status).toBe(401);
    const stranger = await adminCall(t, 'POST', ACTIONS, cast.otherMod.bearer, {
      action: 'approve',
      ids: [id],
    });
    expect(stranger.status).toBe(200);
    expect(stranger.json).toEqual({ comments: [], previous: [], skipped: [id] });
    expect((await statusOf(id)).status).toBe('pending');
    const done = await adminCall(t, 'POST', ACTIONS, cast.mod.bearer, { action: 'approve', ids: [id] });
    expect(done.json.comments.map((c: AdminJson) => c.id)).toEqual([id]);
  });

  it('refuses a session write without the dashboard’s Origin, changing nothing', async () => {
    const { id } = await post();
    const { origin: _origin, ...cookieOnly } = cast.owner.session;
    const res = await adminCall(t, 'POST', ACTIONS, cookieOnly, { action: 'approve', ids: [id] });
    expect(res.status).toBe(403);
    const crossSite = await adminCall(
      t,
      'POST',
      ACTIONS,
      { ...cookieOnly, origin: 'https://evil.example' },
      { action: 'approve', ids: [id] },
    );
    expect(crossSite.status).toBe(403);
    expect((await statusOf(id)).status).toBe('pending');
  });
});

describe('POST /api/v1/admin/comments/actions', () => {
  it('approve publishes a held comment: the public thread, counts and ETag follow', async () => {
    const { id } = await post('في الانتظار');
    const before = await publicThread();
    expect(before.json.comments).toEqual([]);
    expect(await publicCount()).toBe(0);

    const res = await act(cast.owner, 'approve', [id]);
    expect(res.status).toBe(200);
    expect(res.json.previous).toEqual([{ id, status: 'pending', pinned: false }]);
    expect(res.json.skipped).toEqual([]);
    expect(res.json.comments[0]).toMatchObject({ id, status: 'approved', siteId: 'news' });
    expect(res.json.comments[0].author.email).toBe('ahmad@example.org');

    const after = await publicThread();
    expect(after.json.comments.map((c: AdminJson) => c.id)).toEqual([id]);
    expect(after.json.thread.commentCount).toBe(1);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect(await publicCount()).toBe(1);
  });

  it('moves comments through every status and back, keeping counters true', async () => {
    const { id } = await post();
    const steps: Array<[string, string, number]> = [
      ['approve', 'approved', 1],
      ['unapprove', 'pending', 0],
      ['spam', 'spam', 0],
      ['not_spam', 'pending', 0],
      ['approve', 'approved', 1],
      ['delete', 'deleted', 0],
      ['restore', 'approved', 1],
      ['spam', 'spam', 0],
      ['delete', 'deleted', 0],
      ['restore', 'spam', 0],
    ];
    for (const [action, status, count] of steps) {
      const res = await act(cast.mod, action, [id]);
      expect(res.status, action).toBe(200);
      expect(res.json.comments[0]?.status, action).toBe(status);
      expect((await statusOf(id)).status, action).toBe(status);
      expect(await publicCount(), action).toBe(count);
    }
    expect(await counterDrift(t.db)).toEqual([]);
  });

  it('leaves comments an action does not apply to as they are, unlisted', async () => {
    const { id } = await post();
    const res = await act(cast.owner, 'unapprove', [id]);
    expect(res.json).toEqual({ comments: [], previous: [], skipped: [] });
    const deleted = await act(cast.owner, 'delete', [id]);
    expect(deleted.json.comments[0].statusBeforeDelete).toBe('pending');
    expect((await act(cast.owner, 'approve', [id])).json.comments).toEqual([]);
    expect((await statusOf(id)).status).toBe('deleted');
  });

  it('bulk-approves many comments at once and undoes through the previous statuses', async () => {
    const pending = await post('a');
    const spam = await post('b');
    const approved = await post('c');
    await act(cast.owner, 'spam', [spam.id]);
    await act(cast.owner, 'approve', [approved.id]);
    const ids = [pending.id, spam.id, approved.id];

    const res = await act(cast.owner, 'approve', [...ids, ids[0] as string]);
    expect(res.json.previous).toEqual([
      { id: pending.id, status: 'pending', pinned: false },
      { id: spam.id, status: 'spam', pinned: false },
    ]);
    expect(await publicCount()).toBe(3);

    // Undo: each previous status by the action that leads back to it.
    const back: Record<string, string> = { pending: 'unapprove', spam: 'spam' };
    for (const p of res.json.previous) await act(cast.owner, back[p.status] as string, [p.id]);
    expect((await statusOf(pending.id)).status).toBe('pending');
    expect((await statusOf(spam.id)).status).toBe('spam');
    expect(await publicCount()).toBe(1);
    expect(await counterDrift(t.db)).toEqual([]);
  });

  it('pins an approved top-level comment first on the public page, and unpins it', async () => {
    const first = await post('الأول');
    const second = await post('الثاني');
    await act(cast.owner, 'approve', [first.id, second.id]);
    const reply = await post('رد', { parentId: first.id });
    await act(cast.owner, 'approve', [reply.id]);
    const before = await publicThread();
    expect(before.json.comments.map((c: AdminJson) => c.id)).toEqual([first.id, second.id]);

    const pinned = await act(cast.mod, 'pin', [second.id, reply.id]);
    expect(pinned.json.previous).toEqual([{ id: second.id, status: 'approved', pinned: false }]);
    const after = await publicThread();
    expect(after.json.comments.map((c: AdminJson) => [c.id, c.pinned])).toEqual([
      [second.id, true],
      [first.id, false],
    ]);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    // The old ETag no longer matches: a cache must refetch.
    const revalidate = await t.request(threadPath({ site: 'news', url: PAGE }), {
      headers: { 'if-none-match': before.headers.get('etag') as string },
    });
    expect(revalidate.status).toBe(200);

    await act(cast.mod, 'unpin', [second.id]);
    expect((await publicThread()).json.comments.map((c: AdminJson) => c.id)).toEqual([first.id, second.id]);
  });

  it('skips unknown ids and reports them', async () => {
    const { id } = await post();
    const res = await act(cast.owner, 'approve', [id, '999999']);
    expect(res.json.skipped).toEqual(['999999']);
    expect(res.json.comments).toHaveLength(1);
  });

  it('writes one audit entry per changed comment with the status before and after', async () => {
    const a = await post();
    const b = await post();
    await act(cast.mod, 'spam', [a.id, b.id]);
    const entries = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'comment.spam')
      .orderBy('id')
      .execute();
    expect(entries.map((e) => [e.target_id, e.actor, e.site_id, e.before, e.after])).toEqual([
      [
        a.id,
        cast.mod.username,
        'news',
        { status: 'pending', pinned: false },
        { status: 'spam', pinned: false },
      ],
      [
        b.id,
        cast.mod.username,
        'news',
        { status: 'pending', pinned: false },
        { status: 'spam', pinned: false },
      ],
    ]);
  });

  it('rolls the whole action back, audit entries included, when it fails mid-way', async () => {
    const a = await post();
    const b = await post();
    await sql`create or replace function hiwar_test_fail() returns trigger language plpgsql as $$
      begin if new.id = ${sql.lit(Number(b.id))} then raise exception 'failing on purpose'; end if; return new; end $$`.execute(
      t.db,
    );
    await sql`create trigger hiwar_test_fail before update on comments for each row execute function hiwar_test_fail()`.execute(
      t.db,
    );
    try {
      const res = await act(cast.owner, 'approve', [a.id, b.id]);
      expect(res.status).toBe(500);
      expect(res.json.error.code).toBe('internal');
    } finally {
      await sql`drop trigger hiwar_test_fail on comments`.execute(t.db);
      await sql`drop function hiwar_test_fail()`.execute(t.db);
    }
    expect((await statusOf(a.id)).status).toBe('pending');
    expect(
      await t.db.selectFrom('audit_log').selectAll().where('action', 'like', 'comment.%').execute(),
    ).toEqual([]);
    expect(await publicCount()).toBe(0);
  });

  it.each([
    ['501 ids', { action: 'approve', ids: Array.from({ length: 501 }, (_, i) => String(i + 1)) }, 'ids'],
    ['no ids', { action: 'approve', ids: [] }, 'ids'],
    ['a non-digit id', { action: 'approve', ids: ['1', '1 or 1=1'] }, 'ids.1'],
    ['a negative id', { action: 'approve', ids: ['-1'] }, 'ids.0'],
    ['an id past bigint', { action: 'approve', ids: ['1234567890123456789012'] }, 'ids.0'],
    ['an unknown action', { action: 'nuke', ids: ['1'] }, 'action'],
    ['ids that are not a list', { action: 'approve', ids: { __proto__: ['1'] } }, 'ids'],
  ])('refuses %s with 422 and changes nothing', async (_name, body, field) => {
    const { id } = await post();
    const res = await act(cast.owner, 'approve', [id]).then(() =>
      adminCall(t, 'POST', ACTIONS, cast.owner.bearer, body),
    );
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('validation_failed');
    expect(Object.keys(res.json.error.details.fields)).toContain(field);
  });

  it('refuses bodies that are not JSON objects', async () => {
    const text = await t.request(ACTIONS, {
      method: 'POST',
      headers: { ...cast.owner.bearer, 'content-type': 'text/plain' },
      body: '{"action":"approve","ids":["1"]}',
    });
    expect(text.status).toBe(415);
    const broken = await adminCall(t, 'POST', ACTIONS, cast.owner.bearer, '{"action":');
    expect(broken.json.error.code).toBe('invalid_json');
    const proto = await adminCall(
      t,
      'POST',
      ACTIONS,
      cast.owner.bearer,
      '{"__proto__":{"action":"approve"},"ids":["1"]}',
    );
    expect(proto.status).toBe(422);
    const huge = await adminCall(t, 'POST', ACTIONS, cast.owner.bearer, {
      action: 'approve',
      ids: ['1'],
      pad: 'x'.repeat(600_000),
    });
    expect(huge.status).toBe(413);
  });

  it('keeps counters true when two moderators act on the same comments at once', async () => {
    const top = await post('root');
    await act(cast.owner, 'approve', [top.id]);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await post(`r${i}`, { parentId: i % 2 ? top.id : null })).id);
    const second = await signIn(t, { role: 'moderator', sites: ['news'] });
    const reversed = [...ids].reverse();
    const results = await Promise.all([
      act(cast.mod, 'approve', ids),
      adminCall(t, 'POST', ACTIONS, second.bearer, { action: 'spam', ids: reversed }),
      act(cast.mod, 'delete', ids.slice(0, 6)),
      adminCall(t, 'POST', ACTIONS, second.bearer, { action: 'approve', ids: [...ids, top.id] }),
      act(cast.owner, 'unapprove', reversed.slice(0, 4)),
    ]);
    for (const res of results) expect(res.status).toBe(200);
    expect(await counterDrift(t.db)).toEqual([]);
    const rows = await t.db
      .selectFrom('comments')
      .select('status')
      .where('thread_id', 'is not', null)
      .where('status', '=', 'approved')
      .execute();
    expect(await publicCount()).toBe(rows.length);
  });
});

describe('PATCH /api/v1/admin/comments/:id', () => {
  it('re-renders the text, marks it edited, refills the search text and audits both texts', async () => {
    const { id } = await post('نص قديم');
    await act(cast.owner, 'approve', [id]);
    const before = await publicThread();
    t.clock.advance(60_000);
    const res = await adminCall(t, 'PATCH', `/api/v1/admin/comments/${id}`, cast.mod.session, {
      body: 'نصٌّ **جديد**',
    });
    expect(res.status).toBe(200);
    expect(res.json.comment).toMatchObject({
      markdown: 'نصٌّ **جديد**',
      html: '<p>نصٌّ <strong>جديد</strong></p>\n',
    });
    expect(res.json.comment.editedAt).toBe(t.clock.now().toISOString());
    const after = await publicThread();
    expect(after.json.comments[0].html).toContain('<strong>جديد</strong>');
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    const row = await t.db
      .selectFrom('comments')
      .select('search_text')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.search_text).toContain('نص **جديد**');
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'comment.edit')
      .executeTakeFirstOrThrow();
    expect([audit.before, audit.after]).toEqual([{ markdown: 'نص قديم' }, { markdown: 'نصٌّ **جديد**' }]);
  });

  it('sanitizes what a moderator writes too', async () => {
    const { id } = await post();
    const res = await adminCall(t, 'PATCH', `/api/v1/admin/comments/${id}`, cast.owner.bearer, {
      body: '<script>alert(1)</script> [x](javascript:alert(1))',
    });
    expect(res.json.comment.html).not.toMatch(/<script|href="javascript:/);
    expect(res.json.comment.html).toContain('&lt;script&gt;');
  });

  it.each([
    ['an empty body', { body: '   ' }, 422],
    ['a body too long', { body: 'x'.repeat(65_526) }, 422],
    ['a missing body', {}, 422],
  ])('refuses %s', async (_name, body, status) => {
    const { id } = await post();
    expect(
      (await adminCall(t, 'PATCH', `/api/v1/admin/comments/${id}`, cast.owner.bearer, body)).status,
    ).toBe(status);
  });

  it('answers 404 for unknown, malformed and deleted comments', async () => {
    const { id } = await post();
    await act(cast.owner, 'delete', [id]);
    for (const path of [
      `/api/v1/admin/comments/${id}`,
      '/api/v1/admin/comments/999',
      '/api/v1/admin/comments/abc',
    ]) {
      const res = await adminCall(t, 'PATCH', path, cast.owner.bearer, { body: 'x' });
      expect(res.status, path).toBe(404);
    }
  });
});

describe('POST /api/v1/admin/comments/:id/replies', () => {
  it('publishes at once with the badge and the moderator’s name, never an email', async () => {
    const { id } = await post('سؤال');
    const res = await adminCall(t, 'POST', `/api/v1/admin/comments/${id}/replies`, cast.mod.session, {
      body: 'جواب',
    });
    expect(res.status).toBe(201);
    expect(res.json.comment).toMatchObject({
      parentId: id,
      status: 'approved',
      author: { name: cast.mod.username, moderator: true, email: null, website: null },
      parent: { id, authorName: 'أحمد', excerpt: 'سؤال' },
    });
    // Replying to a held comment approves it first, as WordPress's "Approve and Reply".
    expect((await statusOf(id)).status).toBe('approved');
    const page = await publicThread();
    expect(page.json.comments[0].replies[0]).toMatchObject({
      author: { moderator: true, name: cast.mod.username },
    });
    expect(page.json.thread.commentCount).toBe(2);
    const row = await t.db
      .selectFrom('comments')
      .select(['author_user_id', 'email_enc', 'email_bidx'])
      .where('id', '=', res.json.comment.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ author_user_id: cast.mod.userId, email_enc: null, email_bidx: null });
    const actions = (await t.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map(
      (r) => r.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['comment.approve', 'comment.reply']));
    expect(await counterDrift(t.db)).toEqual([]);
  });

  it('follows the site’s depth like a public reply, and works on a closed thread', async () => {
    await t.db.updateTable('sites').set({ max_depth: 2 }).where('id', '=', 'news').execute();
    const top = await post('top');
    await act(cast.owner, 'approve', [top.id]);
    const child = await adminCall(t, 'POST', `/api/v1/admin/comments/${top.id}/replies`, cast.owner.bearer, {
      body: 'level 1',
    });
    await t.db.updateTable('threads').set({ closed: true }).execute();
    const deeper = await adminCall(
      t,
      'POST',
      `/api/v1/admin/comments/${child.json.comment.id}/replies`,
      cast.owner.bearer,
      { body: 'level 2' },
    );
    expect(deeper.status).toBe(201);
    expect(deeper.json.comment.parentId).toBe(top.id);
  });

  it('refuses to answer spam or a deleted comment', async () => {
    const { id } = await post();
    await act(cast.owner, 'spam', [id]);
    const res = await adminCall(t, 'POST', `/api/v1/admin/comments/${id}/replies`, cast.owner.bearer, {
      body: 'x',
    });
    expect(res.status).toBe(422);
    expect(await t.db.selectFrom('comments').select('id').execute()).toHaveLength(1);
  });
});

describe('PATCH /api/v1/admin/threads/:id', () => {
  it('closes a thread to new comments and reopens it, bumping its ETag, audited', async () => {
    const { id } = await post();
    const threadId = await threadOf(t.db, id);
    const before = await publicThread();
    const closed = await adminCall(t, 'PATCH', `/api/v1/admin/threads/${threadId}`, cast.mod.session, {
      closed: true,
    });
    expect(closed.json.thread).toMatchObject({ id: threadId, siteId: 'news', closed: true, url: PAGE });
    const page = await publicThread();
    expect(page.json.thread.closed).toBe(true);
    expect(page.headers.get('etag')).not.toBe(before.headers.get('etag'));
    const refused = await postComment(t, { body: 'late' });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('thread_closed');

    await adminCall(t, 'PATCH', `/api/v1/admin/threads/${threadId}`, cast.mod.session, { closed: false });
    expect((await postComment(t, { body: 'again' })).status).toBe(201);
    const actions = await t.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('action', 'like', 'thread.%')
      .orderBy('id')
      .execute();
    expect(actions).toEqual([
      { action: 'thread.close', before: { closed: false }, after: { closed: true } },
      { action: 'thread.reopen', before: { closed: true }, after: { closed: false } },
    ]);
  });

  it('answers 404 for an unknown thread and 422 for a bad body', async () => {
    expect(
      (await adminCall(t, 'PATCH', '/api/v1/admin/threads/12345', cast.owner.bearer, { closed: true }))
        .status,
    ).toBe(404);
    const { id } = await post();
    const threadId = await threadOf(t.db, id);
    expect(
      (await adminCall(t, 'PATCH', `/api/v1/admin/threads/${threadId}`, cast.owner.bearer, { closed: 'yes' }))
        .status,
    ).toBe(422);
  });
});
