import { sql } from 'kysely';
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
  snapshot,
  threadPath,
} from './helpers/api.js';

const t = useTestApp();
const WINDOW_MS = 15 * 60_000;

const commentRow = (id: string) =>
  t.db
    .selectFrom('comments')
    .select(['status', 'status_before_delete', 'body_md', 'body_html', 'edited_at', 'deleted_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
const threadCount = async () =>
  (await t.db.selectFrom('threads').select('comment_count').executeTakeFirstOrThrow()).comment_count;
const threadIds = async () => {
  const { json } = await getJson(t, threadPath({ site: 'news', url: PAGE }));
  return json.comments.map((c: Json) => c.id);
};
const patch = (id: string, body: unknown, token?: string) =>
  sendJson(t, 'PATCH', `/api/v1/comments/${id}`, body, token === undefined ? {} : bearer(token));
const remove = (id: string, token?: string) =>
  t.request(`/api/v1/comments/${id}`, {
    method: 'DELETE',
    headers: token === undefined ? {} : bearer(token),
  });

/** What a moderator's approval does: the status and the thread's counter. */
async function approve(id: string) {
  await t.db.updateTable('comments').set({ status: 'approved' }).where('id', '=', id).execute();
  await t.db.updateTable('threads').set({ comment_count: sql`comment_count + 1` }).execute();
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const json = await readBody(res);
  expect(json.error.code).toBe(code);
  return json;
}

describe('GET /api/v1/comments/:id', () => {
  it('shows an approved comment to anyone', async () => {
    await t.addSite({ id: 'news' });
    const created = await postComment(t);
    const { status, json, headers } = await getJson(t, `/api/v1/comments/${created.id}`);
    expect(status).toBe(200);
    expect(json).toEqual({ comment: created.json.comment });
    expect(headers.get('cache-control')).toBe('no-store');
  });

  it('hides a pending comment (404) except from its author holding the edit token', async () => {
    await t.addSite({ id: 'news', moderation: 'all' });
    const created = await postComment(t);
    const hidden = await t.request(`/api/v1/comments/${created.id}`);
    await expectError(hidden, 404, 'not_found');
    const own = await getJson(t, `/api/v1/comments/${created.id}`, { headers: bearer(created.token) });
    expect(own.status).toBe(200);
    expect(own.json.comment).toMatchObject({ id: created.id, status: 'pending' });
    expect((await commentRow(created.id)).status).toBe('pending');
  });

  it('refuses a wrong token, and the token of another comment, with 401 invalid_token', async () => {
    await t.addSite({ id: 'news', moderation: 'all' });
    const mine = await postComment(t);
    const theirs = await postComment(t, { body: 'آخر' });
    for (const token of ['not-the-token', theirs.token, `${mine.token}x`]) {
      const res = await t.request(`/api/v1/comments/${mine.id}`, { headers: bearer(token) });
      await expectError(res, 401, 'invalid_token');
    }
  });

  it('answers 404 for malformed and unknown ids', async () => {
    await t.addSite({ id: 'news' });
    await postComment(t);
    for (const id of ['abc', '0', '01', '-1', '1.0', '12345678901234567890', '999999']) {
      await expectError(await t.request(`/api/v1/comments/${id}`), 404, 'not_found');
    }
  });
});

describe('PATCH /api/v1/comments/:id', () => {
  it('re-renders the body, marks it edited and bumps the thread ETag, inside the window', async () => {
    await t.addSite({ id: 'news' });
    const created = await postComment(t);
    const etag = (await t.request(threadPath({ site: 'news', url: PAGE }))).headers.get('etag');
    t.clock.advance(WINDOW_MS - 1_000);
    const res = await patch(created.id, { body: 'مصحح *قليلاً*' }, created.token);
    expect(res.status).toBe(200);
    const { comment } = await readBody(res);
    expect(comment).toMatchObject({
      id: created.id,
      status: 'approved',
      html: '<p>مصحح <em>قليلاً</em></p>\n',
      editedAt: t.clock.now().toISOString(),
      createdAt: created.json.comment.createdAt,
    });
    const row = await commentRow(created.id);
    expect(row).toMatchObject({ status: 'approved', body_md: 'مصحح *قليلاً*', body_html: comment.html });
    expect(row.edited_at?.toISOString()).toBe(t.clock.now().toISOString());
    expect(await threadCount()).toBe(1);
    const after = await t.request(threadPath({ site: 'news', url: PAGE }), {
      headers: { 'if-none-match': etag as string },
    });
    expect(after.status).toBe(200);
    expect((await readBody(after)).comments[0].html).toBe(comment.html);
  });

  it('on a first-time site keeps an edit approved only for an author with another approved comment', async () => {
    await t.addSite({ id: 'news', moderation: 'first-time' });
    const known = await postComment(t, { author: { name: 'معروف', email: 'known@example.org' } });
    await approve(known.id);
    const second = await postComment(t, {
      body: 'ثانٍ',
      author: { name: 'معروف', email: 'KNOWN@example.org' },
    });
    expect(second.json.comment.status).toBe('approved');
    const fresh = await postComment(t, { body: 'أول', author: { name: 'جديد', email: 'fresh@example.org' } });
    await approve(fresh.id);
    expect(await threadCount()).toBe(3);

    const kept = await patch(second.id, { body: 'ثانٍ معدل' }, second.token);
    expect((await readBody(kept)).comment.status).toBe('approved');
    // Approve-then-edit: the only approved comment of this author does not vouch for itself.
    const held = await patch(fresh.id, { body: 'رابط مزعج https://spam.example' }, fresh.token);
    expect(held.status).toBe(200);
    expect((await readBody(held)).comment.status).toBe('pending');
    expect((await commentRow(fresh.id)).status).toBe('pending');
    expect(await threadCount()).toBe(2);
    expect(await threadIds()).toEqual([known.id, second.id]);
  });

  it('on an "all" site sends an edited approved comment back to pending and drops the count', async () => {
    await t.addSite({ id: 'news', moderation: 'none' });
    const created = await postComment(t);
    expect(await threadCount()).toBe(1);
    await t.db.updateTable('sites').set({ moderation: 'all' }).where('id', '=', 'news').execute();
    const res = await patch(created.id, { body: 'تعديل' }, created.token);
    expect(res.status).toBe(200);
    expect((await readBody(res)).comment.status).toBe('pending');
    expect((await commentRow(created.id)).status).toBe('pending');
    expect(await threadCount()).toBe(0);
    expect(await threadIds()).toEqual([]);
    await expectError(await t.request(`/api/v1/comments/${created.id}`), 404, 'not_found');
  });

  it('refuses an edit after the window with 403 edit_window_closed and changes nothing', async () => {
    await t.addSite({ id: 'news' });
    const created = await postComment(t);
    t.clock.advance(WINDOW_MS + 1);
    const before = await snapshot(t);
    const json = await expectError(
      await patch(created.id, { body: 'متأخر' }, created.token),
      403,
      'edit_window_closed',
    );
    expect(json.error.details.editableUntil).toBe(created.json.editableUntil);
    expect(await snapshot(t)).toEqual(before);
  });

  it('refuses a missing or wrong token with 401 invalid_token and changes nothing', async () => {
    await t.addSite({ id: 'news' });
    const created = await postComment(t);
    const other = await postComment(t, { body: 'آخر' });
    const before = await snapshot(t);
    await expectError(await patch(created.id, { body: 'x' }), 401, 'invalid_token');
    await expectError(await patch(created.id, { body: 'x' }, other.token), 401, 'invalid_token');
    await expectError(
      await sendJson(
        t,
        'PATCH',
        `/api/v1/comments/${created.id}`,
        { body: 'x' },
        { authorization: `Basic ${created.token}` },
      ),
      401,
      'invalid_token',
    );
    await expectError(await remove(created.id), 401, 'invalid_token');
    await expectError(await remove(created.id, other.token), 401, 'invalid_token');
    expect(await snapshot(t)).toEqual(before);
  });

  it('refuses an empty body with 422 and changes nothing', async () => {
    await t.addSite({ id: 'news' });
    const created = await postComment(t);
    const before = await snapshot(t);
    const json = await expectError(
      await patch(created.id, { body: '  \n ' }, created.token),
      422,
      'validation_failed',
    );
    expect(json.error.details.fields).toEqual({ body: 'required' });
    expect(await snapshot(t)).toEqual(before);
  });

  it('answers 404 when editing or deleting a deleted comment', async () => {
    await t.addSite({ id: 'news' });
    const created = await postComment(t);
    expect((await remove(created.id, created.token)).status).toBe(200);
    const before = await snapshot(t);
    await expectError(await patch(created.id, { body: 'عودة' }, created.token), 404, 'not_found');
    await expectError(await remove(created.id, created.token), 404, 'not_found');
    expect(await snapshot(t)).toEqual(before);
  });

  it('refuses edits and new comments on a closed thread with 403 thread_closed', async () => {
    await t.addSite({ id: 'news' });
    const created = await postComment(t);
    await t.db.updateTable('threads').set({ closed: true }).execute();
    const before = await snapshot(t);
    await expectError(await patch(created.id, { body: 'بعد الإغلاق' }, created.token), 403, 'thread_closed');
    const post = await postComment(t, { body: 'جديد' });
    expect(post.status).toBe(403);
    expect(post.json.error.code).toBe('thread_closed');
    const reply = await postComment(t, { body: 'رد', parentId: created.id });
    expect(reply.json.error.code).toBe('thread_closed');
    expect(await snapshot(t)).toEqual(before);
    const { json } = await getJson(t, threadPath({ site: 'news', url: PAGE }));
    expect(json.thread.closed).toBe(true);
  });
});

describe('DELETE /api/v1/comments/:id', () => {
  it('removes a comment without replies from the thread and decrements the count', async () => {
    await t.addSite({ id: 'news' });
    const kept = await postComment(t);
    const gone = await postComment(t, { body: 'سيحذف' });
    expect(await threadCount()).toBe(2);
    const res = await remove(gone.id, gone.token);
    expect(res.status).toBe(200);
    expect(await readBody(res)).toEqual({ deleted: true, placeholder: false });
    const row = await commentRow(gone.id);
    expect(row).toMatchObject({ status: 'deleted', status_before_delete: 'approved' });
    expect(row.deleted_at?.toISOString()).toBe(t.clock.now().toISOString());
    expect(await threadCount()).toBe(1);
    expect(await threadIds()).toEqual([kept.id]);
    await expectError(await t.request(`/api/v1/comments/${gone.id}`), 404, 'not_found');
  });

  it('leaves a placeholder for a comment with replies, until its last reply goes too', async () => {
    await t.addSite({ id: 'news' });
    const parent = await postComment(t);
    const reply = await postComment(t, { body: 'رد', parentId: parent.id });
    const res = await remove(parent.id, parent.token);
    expect(await readBody(res)).toEqual({ deleted: true, placeholder: true });
    expect(await threadCount()).toBe(1);

    const { json } = await getJson(t, threadPath({ site: 'news', url: PAGE }));
    expect(json.comments).toHaveLength(1);
    expect(json.comments[0]).toMatchObject({
      id: parent.id,
      deleted: true,
      status: 'deleted',
      html: '',
      author: { name: '', website: null, avatar: '' },
      replyCount: 1,
    });
    expect(json.comments[0].replies.map((r: Json) => r.id)).toEqual([reply.id]);
    const one = await getJson(t, `/api/v1/comments/${parent.id}`);
    expect(one.json.comment).toMatchObject({ deleted: true, html: '', author: { name: '' } });

    expect(await readBody(await remove(reply.id, reply.token))).toEqual({
      deleted: true,
      placeholder: false,
    });
    expect(await threadCount()).toBe(0);
    expect(await threadIds()).toEqual([]);
    const counters = await t.db
      .selectFrom('comments')
      .select(['children_count', 'replies_count'])
      .where('id', '=', parent.id)
      .executeTakeFirstOrThrow();
    expect(counters).toEqual({ children_count: 0, replies_count: 0 });
  });

  it('refuses a delete after the window with 403 edit_window_closed and changes nothing', async () => {
    await t.addSite({ id: 'news' });
    const created = await postComment(t);
    t.clock.advance(WINDOW_MS + 1);
    const before = await snapshot(t);
    await expectError(await remove(created.id, created.token), 403, 'edit_window_closed');
    expect(await snapshot(t)).toEqual(before);
    expect(await threadIds()).toEqual([created.id]);
  });
});
