import type {
  ActionResult,
  AdminComment,
  AdminSite,
  CommentStatus,
  ModerationAction,
  QueueQuery,
  StatusCounts,
} from '@hiwar/protocol';
import { batch, computed, signal } from '@preact/signals';
import type { AdminClient } from './api.js';
import { undoPlan } from './undo.js';

/** The status tabs, WordPress's: all (but the bin), pending, approved, spam, bin. */
export const TABS = ['all', 'pending', 'approved', 'spam', 'deleted'] as const;
export type Tab = (typeof TABS)[number];

export interface QueueFilters {
  site?: string;
  /** A thread picked by clicking a comment's thread; its title is kept for the filter chip. */
  thread?: { id: string; title: string };
  /** An email address or a name, exact. */
  author?: string;
  q?: string;
  /** Days, `YYYY-MM-DD`, in the moderator's time zone; `to` includes its whole day. */
  from?: string;
  to?: string;
}

export interface QueueModelOptions {
  client: () => AdminClient;
  pageSize?: number;
}

/** Whether a refreshed comment looks the same as the one listed (what a row shows of it). */
const unchanged = (a: AdminComment, b: AdminComment) =>
  a.status === b.status &&
  a.pinned === b.pinned &&
  a.editedAt === b.editedAt &&
  a.html === b.html &&
  a.thread.closed === b.thread.closed &&
  a.thread.title === b.thread.title;

/** Whether a comment with this status belongs under this tab. */
export const inTab = (tab: Tab, status: CommentStatus) =>
  tab === 'all' ? status !== 'deleted' : status === tab;

/**
 * The moderation queue: the tab and filters, the comments loaded so far (keyset
 * pages of 50), the counts per status, the selection and the focused row, and the
 * actions on them. `refresh` (polled by the screen) merges the newest page in
 * without losing the selection, the focus or the pages loaded below it.
 *
 * @example
 * const queue = createQueueModel({ client: () => api.client.value });
 * await queue.load();
 * const result = await queue.act('approve', [...queue.selected.value]);
 */
export function createQueueModel(options: QueueModelOptions) {
  const pageSize = options.pageSize ?? 50;
  const tab = signal<Tab>('pending');
  const filters = signal<QueueFilters>({});
  const comments = signal<AdminComment[]>([]);
  const nextCursor = signal<string | null>(null);
  const loading = signal(true);
  const loadingMore = signal(false);
  const error = signal<unknown>(null);
  const counts = signal<StatusCounts | null>(null);
  const sites = signal<AdminSite[]>([]);
  const selected = signal<ReadonlySet<string>>(new Set());
  const focused = signal<string | null>(null);
  const replying = signal<string | null>(null);
  const editing = signal<string | null>(null);
  /** The ids an action is being applied to, to show them busy. */
  const pending = signal<ReadonlySet<string>>(new Set());
  let generation = 0;

  const query = (): QueueQuery => {
    const f = filters.value;
    const q: QueueQuery = { limit: pageSize };
    if (tab.value !== 'all') q.status = tab.value;
    if (f.site) q.site = f.site;
    if (f.thread) q.thread = f.thread.id;
    if (f.author?.trim()) q.author = f.author.trim();
    if (f.q?.trim()) q.q = f.q.trim();
    if (f.from) q.from = new Date(`${f.from}T00:00:00`).toISOString();
    if (f.to) q.to = new Date(new Date(`${f.to}T00:00:00`).getTime() + 86_400_000 - 1).toISOString();
    return q;
  };

  const loadCounts = async () => {
    const site = filters.value.site;
    counts.value = (await options.client().commentCounts(site ? { site } : {})).counts;
  };

  /** Keeps the selection, focus and open editors to comments still listed. */
  const prune = (list: AdminComment[]) => {
    const ids = new Set(list.map((c) => c.id));
    const kept = [...selected.value].filter((id) => ids.has(id));
    if (kept.length !== selected.value.size) selected.value = new Set(kept);
    if (replying.value && !ids.has(replying.value)) replying.value = null;
    if (editing.value && !ids.has(editing.value)) editing.value = null;
  };

  /** Replaces changed comments in place and drops those that left the tab; the focus moves on. */
  const applyChanged = (changed: AdminComment[]) => {
    const byId = new Map(changed.map((c) => [c.id, c]));
    const before = comments.value;
    const after: AdminComment[] = [];
    for (const c of before) {
      const next = byId.get(c.id) ?? c;
      if (inTab(tab.value, next.status)) after.push(next);
    }
    const focus = focused.value;
    if (focus && !after.some((c) => c.id === focus)) {
      const index = before.findIndex((c) => c.id === focus);
      const following = before.slice(index + 1).find((c) => after.includes(byId.get(c.id) ?? c));
      const preceding = before
        .slice(0, Math.max(0, index))
        .reverse()
        .find((c) => after.includes(byId.get(c.id) ?? c));
      focused.value = (following ?? preceding)?.id ?? null;
    }
    comments.value = after;
    prune(after);
  };

  const model = {
    tab,
    filters,
    comments,
    nextCursor,
    loading,
    loadingMore,
    error,
    counts,
    sites,
    selected,
    focused,
    replying,
    editing,
    pending,
    allSelected: computed(() => comments.value.length > 0 && selected.value.size === comments.value.length),

    /** The first page for the tab and filters, and the counts; the selection starts empty. */
    async load() {
      const mine = ++generation;
      batch(() => {
        loading.value = true;
        error.value = null;
        selected.value = new Set();
        replying.value = null;
        editing.value = null;
      });
      // The rows show as soon as they come; the counts (the heavier query) follow.
      const counting = loadCounts();
      counting.catch(() => undefined);
      try {
        const page = await options.client().listComments(query());
        if (mine === generation) {
          batch(() => {
            comments.value = page.comments;
            nextCursor.value = page.nextCursor;
            focused.value = page.comments[0]?.id ?? null;
            loading.value = false;
          });
        }
        await counting;
      } catch (caught) {
        if (mine === generation) error.value = caught;
      } finally {
        if (mine === generation) loading.value = false;
      }
    },

    async loadSites() {
      sites.value = (await options.client().listSites()).sites;
    },

    async loadMore() {
      const cursor = nextCursor.value;
      if (!cursor || loadingMore.value) return;
      const mine = generation;
      loadingMore.value = true;
      try {
        const page = await options.client().listComments({ ...query(), cursor });
        if (mine !== generation) return;
        const have = new Set(comments.value.map((c) => c.id));
        batch(() => {
          comments.value = [...comments.value, ...page.comments.filter((c) => !have.has(c.id))];
          nextCursor.value = page.nextCursor;
        });
      } finally {
        loadingMore.value = false;
      }
    },

    /**
     * The newest page again: new comments come in at the top, changed ones are
     * updated, those that left the tab go; rows loaded below the page stay.
     */
    async refresh() {
      if (loading.value) return;
      const mine = generation;
      const [page] = await Promise.all([options.client().listComments(query()), loadCounts()]);
      if (mine !== generation || loading.value) return;
      const fresh = new Map(page.comments.map((c) => [c.id, c]));
      const last = page.comments.at(-1);
      const olderDesc = query().sort !== 'oldest';
      const beyond = (c: AdminComment) =>
        page.nextCursor !== null &&
        last !== undefined &&
        (olderDesc ? c.createdAt < last.createdAt : c.createdAt > last.createdAt);
      const kept = comments.value.filter((c) => !fresh.has(c.id) && beyond(c));
      // Unchanged rows keep their object, so they do not re-render; while something is
      // being acted on, its row stays as it is.
      const old = new Map(comments.value.map((c) => [c.id, c]));
      const list = [
        ...page.comments.map((c) => {
          const before = old.get(c.id);
          return before && (pending.value.has(c.id) || unchanged(before, c)) ? before : c;
        }),
        ...kept,
      ];
      batch(() => {
        comments.value = list;
        if (nextCursor.value === null || kept.length === 0) nextCursor.value = page.nextCursor;
        if (focused.value && !list.some((c) => c.id === focused.value)) focused.value = list[0]?.id ?? null;
        prune(list);
      });
    },

    /** Applies an action; changed comments update or leave the list; the counts follow. */
    async act(action: ModerationAction, ids: readonly string[]): Promise<ActionResult> {
      pending.value = new Set([...pending.value, ...ids]);
      try {
        const result = await options.client().moderate({ action, ids: [...ids] });
        batch(() => {
          applyChanged(result.comments);
          const left = new Set(ids);
          selected.value = new Set([...selected.value].filter((id) => !left.has(id)));
        });
        void loadCounts().catch(() => undefined);
        return result;
      } finally {
        const done = new Set(ids);
        pending.value = new Set([...pending.value].filter((id) => !done.has(id)));
      }
    },

    /** Puts back what an action changed, from its result's `previous`. */
    async undo(result: Pick<ActionResult, 'comments' | 'previous'>) {
      const changed: AdminComment[] = [];
      for (const step of undoPlan(result)) {
        const { comments: back } = await options.client().moderate(step);
        changed.push(...back);
      }
      // Comments that come back into this tab are listed again, in their place by date.
      const have = new Set(comments.value.map((c) => c.id));
      const returning = changed.filter((c) => !have.has(c.id) && inTab(tab.value, c.status));
      batch(() => {
        applyChanged(changed);
        if (returning.length) {
          const merged = [
            ...comments.value,
            ...returning.filter((c, i, all) => all.findIndex((o) => o.id === c.id) === i),
          ];
          merged.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
          comments.value = merged;
        }
      });
      await loadCounts().catch(() => undefined);
    },

    async edit(id: string, body: string) {
      const { comment } = await options.client().editComment(id, { body });
      applyChanged([comment]);
      editing.value = null;
    },

    async reply(id: string, body: string) {
      const { comment } = await options.client().replyToComment(id, { body });
      batch(() => {
        replying.value = null;
        // The reply is published at once: listed above what it answers when the tab shows it.
        if (inTab(tab.value, comment.status) && !comments.value.some((c) => c.id === comment.id)) {
          const list = [...comments.value];
          list.splice(
            Math.max(
              0,
              list.findIndex((c) => c.id === id),
            ),
            0,
            comment,
          );
          comments.value = list;
        }
      });
      return comment;
    },

    async setThreadClosed(comment: AdminComment, closed: boolean) {
      const { thread } = await options.client().updateThread(comment.thread.id, { closed });
      comments.value = comments.value.map((c) =>
        c.thread.id === thread.id ? { ...c, thread: { ...c.thread, closed: thread.closed } } : c,
      );
    },

    toggle(id: string) {
      const next = new Set(selected.value);
      if (!next.delete(id)) next.add(id);
      selected.value = next;
    },
    selectAll(on: boolean) {
      selected.value = on ? new Set(comments.value.map((c) => c.id)) : new Set();
    },
    /** Moves the focused row by `delta`; the first row when none is. */
    move(delta: number) {
      const list = comments.value;
      if (!list.length) return;
      const index = list.findIndex((c) => c.id === focused.value);
      const next = index === -1 ? 0 : Math.min(list.length - 1, Math.max(0, index + delta));
      focused.value = list[next]?.id ?? null;
    },
    /** The ids an action key applies to: the selection, or else the focused row. */
    targets(): string[] {
      if (selected.value.size) return [...selected.value];
      return focused.value ? [focused.value] : [];
    },
  };
  return model;
}

export type QueueModel = ReturnType<typeof createQueueModel>;
