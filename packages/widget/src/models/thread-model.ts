import type {
  Comment,
  HiwarError,
  LiteClient,
  SitePublic,
  Thread,
  ThreadComment,
  ThreadSort,
} from '@hiwar/sdk';
import { isHiwarError } from '@hiwar/sdk';
import { batch, type ReadonlySignal, signal } from '../signals.js';
import type { SessionModel } from './session-model.js';
import { appendById, type CommentNode, findComment, insertComment, toNode, updateComment } from './tree.js';

/** Which thread: its page URL, or the identifier the publisher gave it. */
export interface ThreadTarget {
  url?: string;
  id?: string;
}

export interface ThreadModelOptions {
  client: LiteClient;
  session: SessionModel;
  target: ThreadTarget;
  /** Top-level comments per page (the server clamps it to 1..100). */
  pageSize?: number;
}

/** Something the status region should say. */
export type Announcement = 'posted' | 'sentPending' | 'saved' | 'removed' | 'verifying';

/** Where the paging of top-level comments (key `''`) or of one comment's replies stands. */
export interface Paging {
  busy?: boolean;
  error?: HiwarError;
}

/** How many pages a permalink is looked for in: of top-level comments, then of replies. */
export const REVEAL_MAX_PAGES = 20;

/**
 * One thread as the widget shows it: the loaded pages, the paging of top-level
 * comments and of each comment's replies, this browser's own comments still
 * awaiting moderation merged in, the highlighted permalink, and what to announce.
 *
 * @example
 * const thread = createThreadModel({ client, session, target: { url } });
 * await thread.load();
 * await thread.loadPage(); // the next page of top-level comments
 */
export function createThreadModel(options: ThreadModelOptions) {
  const { client, session, target } = options;
  const limit = options.pageSize ?? 50;
  const state = signal<'loading' | 'ready' | 'error'>('loading');
  const error = signal<HiwarError | null>(null);
  const site = signal<SitePublic | null>(null);
  const thread = signal<Thread | null>(null);
  const nodes = signal<CommentNode[]>([]);
  const nextCursor = signal<string | null>(null);
  const sort = signal<ThreadSort>('oldest');
  const paging = signal<Record<string, Paging>>({});
  const highlighted = signal<string | null>(null);
  const announcement = signal<{ key: Announcement; seq: number } | null>(null);
  const controller = new AbortController();
  const call = { signal: controller.signal };
  // Bumped by each fresh load and by dispose: answers to older requests are dropped.
  let generation = 0;

  const setPaging = (key: string, value: Paging) => {
    paging.value = { ...paging.value, [key]: value };
  };
  const count = (delta: number) => {
    const t = thread.value;
    if (t) thread.value = { ...t, commentCount: Math.max(0, t.commentCount + delta) };
  };

  /** This browser's own comments that only it can see: held for moderation. */
  const ownHidden = async () =>
    (
      await Promise.all(
        session.own.value.map(({ id, editToken }) =>
          client.comments.get(id, { editToken, ...call }).catch((e: unknown) => {
            // Deleted, purged, or no longer ours: forget it.
            if (isHiwarError(e) && (e.code === 'not_found' || e.code === 'invalid_token'))
              session.removeOwn(id);
            return null;
          }),
        ),
      )
    ).filter((c): c is Comment => !!c && c.status !== 'approved' && !c.deleted);

  /** Loads the first page in the current sort, replacing what is shown. */
  async function load(): Promise<void> {
    const gen = ++generation;
    batch(() => {
      state.value = 'loading';
      error.value = null;
      paging.value = {};
    });
    const own = ownHidden();
    try {
      const page = await client.threads.get({ ...target, sort: sort.value, limit }, call);
      let loaded = page.comments.map(toNode);
      // Top-level ones first, so that a pending reply to a pending comment finds its parent.
      for (const c of (await own).sort((a, b) => Number(!!a.parentId) - Number(!!b.parentId))) {
        loaded = insertComment(loaded, c, sort.value);
      }
      if (gen !== generation) return;
      batch(() => {
        site.value = page.site;
        thread.value = page.thread;
        nodes.value = loaded;
        nextCursor.value = page.nextCursor;
        state.value = 'ready';
      });
    } catch (e) {
      if (gen === generation && isHiwarError(e)) {
        batch(() => {
          error.value = e;
          state.value = 'error';
        });
      }
    }
  }

  /**
   * The next page of top-level comments (`root` empty) or of the replies to the
   * top-level comment `root`; resolves true when one was added.
   */
  async function loadPage(root = ''): Promise<boolean> {
    const cursor = root ? nodes.value.find((n) => n.comment.id === root)?.repliesCursor : nextCursor.value;
    if (!cursor || paging.value[root]?.busy || state.value !== 'ready') return false;
    const gen = generation;
    setPaging(root, { busy: true });
    try {
      const query = { ...target, limit, cursor };
      const page = root
        ? await client.threads.replies({ ...query, parent: root }, call)
        : await client.threads.get({ ...query, sort: sort.value }, call);
      if (gen !== generation) return false;
      // A server repeating the cursor it was given would page forever.
      const next = page.nextCursor === cursor ? null : page.nextCursor;
      batch(() => {
        if (root) {
          nodes.value = nodes.value.map((n) =>
            n.comment.id === root
              ? { ...n, replies: appendById(n.replies, page.comments, (c) => c.id), repliesCursor: next }
              : n,
          );
        } else {
          const more = (page.comments as ThreadComment[]).map(toNode);
          nodes.value = appendById(nodes.value, more, (n) => n.comment.id);
          nextCursor.value = next;
          thread.value = page.thread;
        }
        setPaging(root, {});
      });
      return true;
    } catch (e) {
      if (gen === generation && isHiwarError(e)) setPaging(root, { error: e });
      return false;
    }
  }

  /**
   * Shows the comment a permalink names: asks for it to learn its top-level
   * comment, then pages through top-level comments and that comment's replies,
   * a bounded number of pages each. Resolves true when it is shown (highlighted).
   */
  async function reveal(id: string): Promise<boolean> {
    const gen = generation;
    if (state.value === 'ready' && !findComment(nodes.value, id)) {
      let root: Comment;
      try {
        root = await client.comments.get(id, { editToken: session.ownComment(id)?.editToken, ...call });
        for (let hops = 0; root.parentId && hops < 25; hops++)
          root = await client.comments.get(root.parentId, call);
      } catch {
        return false;
      }
      for (let n = 0; n < REVEAL_MAX_PAGES && !findComment(nodes.value, root.id) && (await loadPage()); n++);
      for (
        let n = 0;
        n < REVEAL_MAX_PAGES && !findComment(nodes.value, id) && (await loadPage(root.id));
        n++
      );
    }
    const found = gen === generation && !!findComment(nodes.value, id);
    if (found) highlighted.value = id;
    return found;
  }

  return {
    state: state as ReadonlySignal<'loading' | 'ready' | 'error'>,
    /** Why the first page failed (state `error`). */
    error: error as ReadonlySignal<HiwarError | null>,
    site: site as ReadonlySignal<SitePublic | null>,
    thread: thread as ReadonlySignal<Thread | null>,
    nodes: nodes as ReadonlySignal<CommentNode[]>,
    nextCursor: nextCursor as ReadonlySignal<string | null>,
    sort: sort as ReadonlySignal<ThreadSort>,
    paging: paging as ReadonlySignal<Record<string, Paging>>,
    highlighted: highlighted as ReadonlySignal<string | null>,
    announcement: announcement as ReadonlySignal<{ key: Announcement; seq: number } | null>,
    load,
    loadPage,
    reveal,

    /** Shows the other order, from its first page. */
    setSort(next: ThreadSort): Promise<void> {
      if (next === sort.value) return Promise.resolve();
      sort.value = next;
      return load();
    },

    find: (id: string): Comment | undefined => findComment(nodes.value, id)?.comment,

    /** Adds a comment this browser just posted. */
    insert(comment: Comment) {
      batch(() => {
        nodes.value = insertComment(nodes.value, comment, sort.value);
        if (comment.status === 'approved') count(1);
      });
    },

    /** Replaces a comment after its author edited it. */
    replace(comment: Comment) {
      nodes.value = updateComment(nodes.value, comment.id, () => comment);
    },

    /** Shows a deletion: a placeholder when replies hang under it, else nothing. */
    markDeleted(id: string, placeholder: boolean) {
      batch(() => {
        if (findComment(nodes.value, id)?.comment.status === 'approved') count(-1);
        nodes.value = updateComment(nodes.value, id, (c) =>
          placeholder ? { ...c, deleted: true, html: '' } : null,
        );
      });
    },

    /** Has the status region say `key`; null: nothing. */
    announce(key: Announcement | null) {
      announcement.value = key && { key, seq: (announcement.value?.seq ?? 0) + 1 };
    },

    /** Stops every request in flight; the model is not used afterwards. */
    dispose() {
      generation++;
      controller.abort();
    },
  };
}

export type ThreadModel = ReturnType<typeof createThreadModel>;
