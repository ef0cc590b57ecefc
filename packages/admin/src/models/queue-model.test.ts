import type {
  ActionResult,
  AdminComment,
  CommentStatus,
  ModerationAction,
  QueueQuery,
} from '@hiwar/protocol';
import { describe, expect, it } from 'vitest';
import type { AdminClient } from './api.js';
import { createQueueModel } from './queue-model.js';
import { undoPlan } from './undo.js';

function comment(
  id: string,
  status: CommentStatus = 'pending',
  extra: Partial<AdminComment> = {},
): AdminComment {
  return {
    id,
    siteId: 'news',
    parentId: null,
    status,
    statusBeforeDelete: null,
    author: {
      name: `قارئ ${id}`,
      avatar: `/api/v1/avatars/${id}.svg`,
      moderator: false,
      email: `r${id}@example.org`,
    },
    markdown: `تعليق ${id}`,
    html: `<p>تعليق ${id}</p>`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, Number(id))).toISOString(),
    editedAt: null,
    pinned: false,
    thread: { id: '1', url: 'https://news.example/a/1', title: 'مقال', closed: false },
    parent: null,
    ...extra,
  } as AdminComment;
}

/**
 * A stand-in admin API over an array, applying actions as the server's planAction
 * does (approve from any live status, not_spam → pending, delete → restore to before).
 */
function fakeApi(initial: AdminComment[]) {
  let rows = initial.map((c) => ({ ...c }));
  const calls: { action: ModerationAction; ids: string[] }[] = [];
  const next: Record<ModerationAction, (c: AdminComment) => Partial<AdminComment> | null> = {
    approve: (c) => (c.status !== 'deleted' && c.status !== 'approved' ? { status: 'approved' } : null),
    unapprove: (c) => (c.status === 'approved' ? { status: 'pending' } : null),
    spam: (c) => (c.status !== 'deleted' && c.status !== 'spam' ? { status: 'spam' } : null),
    not_spam: (c) => (c.status === 'spam' ? { status: 'pending' } : null),
    delete: (c) => (c.status !== 'deleted' ? { status: 'deleted', statusBeforeDelete: c.status } : null),
    restore: (c) =>
      c.status === 'deleted' ? { status: c.statusBeforeDelete ?? 'pending', statusBeforeDelete: null } : null,
    pin: (c) => (!c.pinned ? { pinned: true } : null),
    unpin: (c) => (c.pinned ? { pinned: false } : null),
  };
  const list = (q: QueueQuery = {}) =>
    rows
      .filter((c) => (q.status ? c.status === q.status : c.status !== 'deleted'))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const client = {
    async listComments(q: QueueQuery = {}) {
      const all = list(q);
      const start = q.cursor ? Number(q.cursor) : 0;
      const end = start + (q.limit ?? 50);
      // Fresh objects, as JSON off the wire would be.
      const comments = all.slice(start, end).map((c) => ({ ...c }));
      return { comments, nextCursor: end < all.length ? String(end) : null };
    },
    async commentCounts() {
      const counts = { pending: 0, approved: 0, spam: 0, deleted: 0 };
      for (const c of rows) counts[c.status] += 1;
      return { counts };
    },
    async moderate({ action, ids }: { action: ModerationAction; ids: string[] }): Promise<ActionResult> {
      calls.push({ action, ids });
      const result: ActionResult = { comments: [], previous: [], skipped: [] };
      rows = rows.map((c) => {
        const change = ids.includes(c.id) ? next[action](c) : null;
        if (!change) return c;
        result.previous.push({ id: c.id, status: c.status, pinned: c.pinned });
        const changed = { ...c, ...change };
        result.comments.push(changed);
        return changed;
      });
      return result;
    },
  } as unknown as AdminClient;
  return {
    client,
    calls,
    add: (c: AdminComment) => rows.push(c),
    set: (id: string, change: Partial<AdminComment>) => {
      rows = rows.map((c) => (c.id === id ? { ...c, ...change } : c));
    },
  };
}

const ids = (list: AdminComment[]) => list.map((c) => c.id);

describe('undoPlan', () => {
  it('finds the step from each status back to the one before, grouped per action', () => {
    const plan = undoPlan({
      comments: [
        comment('1', 'spam'),
        comment('2', 'spam'),
        comment('3', 'deleted'),
        comment('4', 'approved'),
        comment('5', 'pending'),
        comment('6', 'approved', { pinned: true }),
      ],
      previous: [
        { id: '1', status: 'pending', pinned: false },
        { id: '2', status: 'approved', pinned: false },
        { id: '3', status: 'spam', pinned: false },
        { id: '4', status: 'pending', pinned: false },
        { id: '5', status: 'spam', pinned: false },
        { id: '6', status: 'approved', pinned: false },
      ],
    });
    expect(plan).toEqual([
      { action: 'not_spam', ids: ['1'] },
      { action: 'approve', ids: ['2'] },
      { action: 'restore', ids: ['3'] },
      { action: 'unapprove', ids: ['4'] },
      { action: 'spam', ids: ['5'] },
      { action: 'unpin', ids: ['6'] },
    ]);
  });
});

describe('createQueueModel', () => {
  it('loads the pending tab, its counts and focuses the first row', async () => {
    const api = fakeApi([comment('1'), comment('2'), comment('3', 'approved')]);
    const queue = createQueueModel({ client: () => api.client });
    await queue.load();
    expect(ids(queue.comments.value)).toEqual(['2', '1']);
    expect(queue.counts.value).toEqual({ pending: 2, approved: 1, spam: 0, deleted: 0 });
    expect(queue.focused.value).toBe('2');
  });

  it('shows the first page without waiting for the counts', async () => {
    const api = fakeApi([comment('1'), comment('2')]);
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const client = {
      ...api.client,
      async commentCounts(query: { site?: string }) {
        await gate;
        return api.client.commentCounts(query);
      },
    } as AdminClient;
    const queue = createQueueModel({ client: () => client });
    const loading = queue.load();
    // A turn of the event loop: the page's answer is in, the counts' is held back.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(ids(queue.comments.value)).toEqual(['2', '1']);
    expect(queue.loading.value).toBe(false);
    expect(queue.counts.value).toBeNull();

    open();
    await loading;
    expect(queue.counts.value).toEqual({ pending: 2, approved: 0, spam: 0, deleted: 0 });
  });

  it('spams a selection, drops it from the tab, moves focus on, and undo brings every row back', async () => {
    const api = fakeApi(['1', '2', '3', '4', '5', '6'].map((id) => comment(id)));
    const queue = createQueueModel({ client: () => api.client });
    await queue.load();
    for (const id of ['6', '5', '4', '3', '2']) queue.toggle(id);
    queue.focused.value = '4';
    const result = await queue.act('spam', queue.targets());
    expect(ids(queue.comments.value)).toEqual(['1']);
    expect(queue.selected.value.size).toBe(0);
    expect(queue.focused.value).toBe('1');
    expect(queue.counts.value?.spam).toBe(5);

    await queue.undo(result);
    expect(api.calls.at(-1)?.action).toBe('not_spam');
    expect(api.calls.at(-1)?.ids.sort()).toEqual(['2', '3', '4', '5', '6']);
    expect(ids(queue.comments.value)).toEqual(['6', '5', '4', '3', '2', '1']);
    expect(queue.counts.value).toEqual({ pending: 6, approved: 0, spam: 0, deleted: 0 });
  });

  it('applies an action key to the focused row when nothing is selected', async () => {
    const api = fakeApi([comment('1'), comment('2')]);
    const queue = createQueueModel({ client: () => api.client });
    await queue.load();
    queue.move(1);
    expect(queue.targets()).toEqual(['1']);
    queue.move(5);
    expect(queue.focused.value).toBe('1');
    queue.move(-9);
    expect(queue.focused.value).toBe('2');
  });

  it('refreshes without losing the selection, the focus or the pages loaded below the first', async () => {
    const api = fakeApi(Array.from({ length: 7 }, (_, i) => comment(String(i + 1))));
    const queue = createQueueModel({ client: () => api.client, pageSize: 3 });
    await queue.load();
    await queue.loadMore();
    expect(ids(queue.comments.value)).toEqual(['7', '6', '5', '4', '3', '2']);
    queue.toggle('6');
    queue.toggle('2');
    queue.focused.value = '3';

    // Elsewhere: a new comment arrives, one is approved by another moderator.
    const before = new Map(queue.comments.value.map((c) => [c.id, c]));
    api.add(comment('8'));
    api.set('6', { status: 'approved' });
    await queue.refresh();

    expect(ids(queue.comments.value)).toEqual(['8', '7', '5', '4', '3', '2']);
    // Rows that did not change keep their object (their components do not re-render).
    expect(queue.comments.value[1]).toBe(before.get('7'));
    expect([...queue.selected.value]).toEqual(['2']);
    expect(queue.focused.value).toBe('3');
  });

  it('keeps the older of two overlapping loads from overwriting the newer', async () => {
    const api = fakeApi([comment('1'), comment('2', 'spam')]);
    const queue = createQueueModel({ client: () => api.client });
    const first = queue.load();
    queue.tab.value = 'spam';
    const second = queue.load();
    await Promise.all([first, second]);
    expect(ids(queue.comments.value)).toEqual(['2']);
  });
});
