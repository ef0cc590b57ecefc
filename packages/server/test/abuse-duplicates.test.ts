import { describe, expect, it } from 'vitest';
import { useTestApp } from './harness.js';
import { bearer, commentBody, type Json, postComment, sendJson } from './helpers/api.js';

const t = useTestApp();

const BODY = 'شكراً على **المقال**';

async function post(overrides: Record<string, unknown> = {}, init: RequestInit = {}) {
  t.clock.tick();
  return postComment(t, { body: BODY, ...overrides }, init);
}

async function count(): Promise<number> {
  return (await t.db.selectFrom('comments').select('id').execute()).length;
}

function expectDuplicate(posted: { status: number; json: Json }) {
  expect(posted.status, JSON.stringify(posted.json)).toBe(409);
  expect(posted.json.error.code).toBe('duplicate_comment');
}

describe('POST /api/v1/comments: duplicate detection', () => {
  it('refuses the same text from the same author on the same page (409), keeping the first', async () => {
    await t.addSite({ id: 'news' });
    expect((await post()).status).toBe(201);
    expectDuplicate(await post());
    expect(await count()).toBe(1);
  });

  it.each([
    ['extra white space', BODY, '  شكراً   على\n**المقال**  '],
    ['dropped diacritics and tatweel', BODY, 'شكرا عـلى **المقال**'],
    ['another alef form', BODY, 'شكراً على **ألمقال**'],
    ['upper case Latin', 'thanks', 'THANKS'],
  ])('compares texts folded: %s is the same text', async (_what, first, again) => {
    await t.addSite({ id: 'news' });
    expect((await post({ body: first })).status).toBe(201);
    expectDuplicate(await post({ body: again }));
  });

  it('knows the author by email whatever the name and the case of the address', async () => {
    await t.addSite({ id: 'news' });
    expect((await post({ author: { name: 'أحمد', email: 'ahmad@example.org' } })).status).toBe(201);
    expectDuplicate(await post({ author: { name: 'Ahmad', email: 'AHMAD@example.org' } }));
  });

  it('allows the same text from another author, on another page, or in answer to another comment', async () => {
    await t.addSite({ id: 'news' });
    const first = await post();
    expect(first.status).toBe(201);
    expect((await post({ author: { name: 'سلمى', email: 'salma@example.org' } })).status).toBe(201);
    expect((await post({ url: 'https://news.example/a/2' })).status).toBe(201);
    const other = await postComment(t, {
      body: 'تعليق آخر',
      author: { name: 'زيد', email: 'z@example.org' },
    });
    expect((await post({ parentId: first.id })).status).toBe(201);
    expect((await post({ parentId: other.id })).status).toBe(201);
    expectDuplicate(await post({ parentId: other.id }));
    expect(await count()).toBe(6);
  });

  it('allows the text again once the first comment is deleted', async () => {
    await t.addSite({ id: 'news' });
    const first = await post();
    const deleted = await t.request(`/api/v1/comments/${first.id}`, {
      method: 'DELETE',
      headers: bearer(first.token),
    });
    expect(deleted.status).toBe(200);
    expect((await post()).status).toBe(201);
  });

  it('counts held and spam comments too: a held comment posted again is a duplicate', async () => {
    await t.addSite({ id: 'news', moderation: 'all' });
    const first = await post();
    expect(first.json.comment.status).toBe('pending');
    expectDuplicate(await post());
  });

  it('answers an Idempotency-Key retry with the first answer, not 409', async () => {
    await t.addSite({ id: 'news' });
    const headers = { 'idempotency-key': 'dup-retry' };
    const body = commentBody({ body: BODY });
    const first = await t.post('/api/v1/comments', body, { headers });
    expect(first.status).toBe(201);
    const again = await t.post('/api/v1/comments', body, { headers });
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(await first.json());
    // A new key with the same text is a new attempt: a duplicate.
    const other = await t.post('/api/v1/comments', body, { headers: { 'idempotency-key': 'dup-other' } });
    expect(other.status).toBe(409);
    expect(await count()).toBe(1);
  });

  it('takes one of ten identical POSTs sent at once and refuses the nine others', async () => {
    await t.addSite({ id: 'news' });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.post('/api/v1/comments', commentBody({ body: BODY }), { ip: `198.51.100.${i + 1}` }),
      ),
    );
    const statuses = results.map((res) => res.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    expect(await count()).toBe(1);
    // The nine refused ones had written their row and counter change: both rolled back.
    const thread = await t.db.selectFrom('threads').select('comment_count').executeTakeFirstOrThrow();
    expect(thread.comment_count).toBe(1);
    expect(await t.db.selectFrom('thread_count_changes').select('id').execute()).toEqual([]);
  });
});

describe('PATCH /api/v1/comments/:id: duplicate detection', () => {
  it('refuses an edit into a copy of another of the author’s comments, and allows saving the same text', async () => {
    await t.addSite({ id: 'news' });
    await post();
    const second = await post({ body: 'نص ثان' });
    const patch = (body: string) =>
      sendJson(t, 'PATCH', `/api/v1/comments/${second.id}`, { body }, bearer(second.token));
    const copy = await patch(BODY);
    expect(copy.status).toBe(409);
    expect(((await copy.json()) as Json).error.code).toBe('duplicate_comment');
    const row = await t.db
      .selectFrom('comments')
      .select('body_md')
      .where('id', '=', second.id)
      .executeTakeFirstOrThrow();
    expect(row.body_md).toBe('نص ثان');
    expect((await patch('نص ثان')).status).toBe(200);
    expect((await patch('نص ثالث')).status).toBe(200);
    // The old text is free again.
    expect((await post({ body: 'نص ثان' })).status).toBe(201);
  });
});

describe('duplicate detection keeps its keys private', () => {
  it('stores a keyed hash, not the text or the address', async () => {
    await t.addSite({ id: 'news' });
    await post();
    const row = await t.db.selectFrom('comments').select('dedupe_hash').executeTakeFirstOrThrow();
    expect(row.dedupe_hash).toBeInstanceOf(Buffer);
    expect(Buffer.from(row.dedupe_hash as Buffer).length).toBe(32);
  });
});
