import { describe, expect, it } from 'vitest';
import { fakeApi, memoryStorage, PAGE_URL } from '../test-support/fake-api.js';
import { createSessionModel } from './session-model.js';
import { createThreadModel } from './thread-model.js';

function setup(options: { pageSize?: number; api?: ReturnType<typeof fakeApi> } = {}) {
  const api = options.api ?? fakeApi();
  const storage = memoryStorage();
  const session = createSessionModel({ storage, site: 'news', thread: PAGE_URL });
  const thread = createThreadModel({
    client: api.client(),
    session,
    target: { url: PAGE_URL },
    pageSize: options.pageSize,
  });
  const ids = () => thread.nodes.value.map((n) => n.comment.id);
  return { api, storage, session, thread, ids };
}

describe('ThreadModel', () => {
  it('loads the first page of the thread with its replies', async () => {
    const { api, thread, ids } = setup();
    const a = api.add();
    api.add({ parentId: a.id });
    api.add();

    expect(thread.state.value).toBe('loading');
    await thread.load();

    expect(thread.state.value).toBe('ready');
    expect(ids()).toEqual(['1', '3']);
    expect(thread.nodes.value[0]?.replies.map((r) => r.id)).toEqual(['2']);
    expect(thread.thread.value?.commentCount).toBe(3);
    expect(thread.site.value?.lang).toBe('ar');
    const query = api.requests[0]?.url.searchParams;
    expect(Object.fromEntries(query ?? [])).toEqual({
      site: 'news',
      url: PAGE_URL,
      sort: 'oldest',
      limit: '50',
    });
  });

  it('pages through top-level comments until the last page, without duplicates', async () => {
    const { api, thread, ids } = setup({ pageSize: 2 });
    for (let i = 0; i < 5; i++) api.add();
    await thread.load();
    expect(ids()).toEqual(['1', '2']);

    expect(await thread.loadPage()).toBe(true);
    expect(await thread.loadPage()).toBe(true);
    expect(ids()).toEqual(['1', '2', '3', '4', '5']);
    expect(thread.nextCursor.value).toBeNull();
    expect(await thread.loadPage()).toBe(false);
    expect(api.requests.at(-1)?.url.searchParams.get('cursor')).toBe('4');
  });

  it('pages through the replies of one comment with its replies cursor', async () => {
    const api = fakeApi({ replyBatch: 2 });
    const { thread } = setup({ api, pageSize: 2 });
    const root = api.add();
    for (let i = 0; i < 5; i++) api.add({ parentId: root.id });
    await thread.load();
    const replies = () => thread.nodes.value[0]?.replies.map((r) => r.id);
    expect(replies()).toEqual(['2', '3']);
    expect(thread.nodes.value[0]?.repliesCursor).toBe('2');

    await thread.loadPage(root.id);
    expect(api.requests.at(-1)?.url.searchParams.get('parent')).toBe(root.id);
    expect(replies()).toEqual(['2', '3', '4', '5']);
    await thread.loadPage(root.id);
    expect(replies()).toEqual(['2', '3', '4', '5', '6']);
    expect(thread.nodes.value[0]?.repliesCursor).toBeNull();
  });

  it('merges this browser’s own pending comments in after a reload, and only those', async () => {
    const { api, session, thread, ids } = setup();
    const approved = api.add();
    const pending = api.add({ status: 'pending' });
    const pendingReply = api.add({ status: 'pending', parentId: approved.id });
    const someoneElses = api.add({ status: 'pending' });
    for (const c of [approved, pending, pendingReply]) {
      session.addOwn({ id: c.id, editToken: api.tokenOf(c.id), editableUntil: '2025-03-01T12:15:00Z' });
    }
    session.addOwn({ id: '99', editToken: 'gone', editableUntil: '2025-03-01T12:15:00Z' });

    await thread.load();

    expect(ids()).toEqual([approved.id, pending.id]);
    expect(thread.nodes.value[0]?.replies.map((r) => r.id)).toEqual([pendingReply.id]);
    expect(thread.find(pending.id)?.status).toBe('pending');
    expect(thread.find(someoneElses.id)).toBeUndefined();
    const asked = api.requests.filter((r) => r.url.pathname === `/api/v1/comments/${pending.id}`);
    expect(asked[0]?.headers.get('authorization')).toBe(`Bearer ${api.tokenOf(pending.id)}`);
    // The server no longer knows comment 99: its token is forgotten.
    expect(session.own.value.map((o) => o.id)).toEqual([approved.id, pending.id, pendingReply.id]);
  });

  it('shows the other order from its first page when the sort changes', async () => {
    const { api, thread, ids, session } = setup();
    api.add();
    api.add({ pinned: true });
    api.add();
    const mine = api.add({ status: 'pending' });
    session.addOwn({ id: mine.id, editToken: api.tokenOf(mine.id), editableUntil: '2025-03-01T12:15:00Z' });
    await thread.load();
    expect(ids()).toEqual(['2', '1', '3', mine.id]);

    await thread.setSort('newest');

    expect(thread.sort.value).toBe('newest');
    expect(
      api.requests
        .filter((r) => r.url.pathname === '/api/v1/threads')
        .at(-1)
        ?.url.searchParams.get('sort'),
    ).toBe('newest');
    // Pinned first; this browser's pending comment is the newest, so right after.
    expect(ids()).toEqual(['2', mine.id, '3', '1']);
  });

  it('finds a permalinked comment beyond the first page, and a reply beyond the first batch', async () => {
    const api = fakeApi({ replyBatch: 1 });
    const { thread } = setup({ api, pageSize: 2 });
    for (let i = 0; i < 6; i++) api.add();
    const deepRoot = api.add(); // 7: on page 4
    api.add({ parentId: deepRoot.id }); // 8
    const nested = api.add({ parentId: '8' }); // 9: a reply to a reply, beyond the first batch
    await thread.load();
    expect(thread.find('7')).toBeUndefined();

    expect(await thread.reveal(nested.id)).toBe(true);

    expect(thread.highlighted.value).toBe(nested.id);
    expect(thread.find(nested.id)?.parentId).toBe('8');
    expect(thread.nodes.value.map((n) => n.comment.id)).toContain('7');
  });

  it('gives up on a permalink to a comment it cannot find, after a bounded search', async () => {
    const { api, thread } = setup({ pageSize: 1 });
    for (let i = 0; i < 3; i++) api.add();
    await thread.load();
    const before = api.requests.length;

    expect(await thread.reveal('404')).toBe(false);

    expect(thread.highlighted.value).toBeNull();
    expect(api.requests.length - before).toBe(1);
  });

  it('reports a failed load as an error state and loads again on retry', async () => {
    const { api, thread, ids } = setup();
    api.add();
    api.failNext();

    await thread.load();
    expect(thread.state.value).toBe('error');
    expect(thread.error.value?.code).toBe('unavailable');
    expect(ids()).toEqual([]);

    await thread.load();
    expect(thread.state.value).toBe('ready');
    expect(thread.error.value).toBeNull();
    expect(ids()).toEqual(['1']);
  });

  it('keeps what is shown when a further page fails, and pages on when asked again', async () => {
    const { api, thread, ids } = setup({ pageSize: 1 });
    api.add();
    api.add();
    await thread.load();
    api.failNext(503, 'unavailable');

    expect(await thread.loadPage()).toBe(false);
    expect(thread.paging.value['']?.error?.code).toBe('unavailable');
    expect(ids()).toEqual(['1']);

    expect(await thread.loadPage()).toBe(true);
    expect(thread.paging.value['']?.error).toBeUndefined();
    expect(ids()).toEqual(['1', '2']);
  });

  it('counts a comment posted here, and uncounts it when deleted (a placeholder when it has replies)', async () => {
    const { api, thread, ids } = setup();
    const a = api.add();
    api.add({ parentId: a.id });
    await thread.load();
    expect(thread.thread.value?.commentCount).toBe(2);

    thread.insert({ ...a, id: '50', parentId: null });
    expect(thread.thread.value?.commentCount).toBe(3);
    expect(ids()).toEqual([a.id, '50']);

    thread.markDeleted(a.id, true);
    expect(thread.find(a.id)).toMatchObject({ deleted: true, html: '' });
    thread.markDeleted('50', false);
    expect(ids()).toEqual([a.id]);
    expect(thread.thread.value?.commentCount).toBe(1);
  });

  it('drops answers that arrive after it was disposed', async () => {
    const { api, thread } = setup();
    api.add();
    const loading = thread.load();
    thread.dispose();
    await loading;
    expect(thread.state.value).toBe('loading');
    expect(thread.nodes.value).toEqual([]);
  });
});
