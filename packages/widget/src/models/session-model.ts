import { type ReadonlySignal, signal } from '../signals.js';

/** The part of the Web Storage API the session needs; `null` keeps everything in memory. */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Name, email and website, kept only when the commenter ticks «احفظ اسمي…». */
export interface Identity {
  name: string;
  email: string;
  website: string;
}

/** What lets this browser see, edit and delete a comment it posted. */
export interface OwnComment {
  id: string;
  editToken: string;
  editableUntil: string;
  /** The markdown source as last sent, to edit from. */
  body?: string;
  /** When it was stored (ms since the epoch), to forget old entries. */
  savedAt: number;
}

export interface SessionModelOptions {
  storage: KeyValueStore | null;
  site: string;
  /** Which thread: its id, or its page URL. */
  thread: string;
  now?: () => number;
}

/** A pending comment may wait this long for a moderator and still be shown to its author. */
export const OWN_COMMENT_TTL_MS = 30 * 24 * 3600_000;
const MAX_OWN_PER_THREAD = 50;

/**
 * What one browser remembers about one thread: the saved identity (site-wide),
 * the tokens of its own comments and the draft. Everything lives in
 * `localStorage` under `hiwar:v1:<site>:…`; when storage is missing or refuses
 * (private modes, full quota) the session keeps going in memory.
 *
 * @example
 * const session = createSessionModel({ storage: localStorage, site: 'news', thread: 'url:https://news.example/a/1' });
 * session.saveDraft('مسودة');
 */
export function createSessionModel(options: SessionModelOptions) {
  const { storage, site, thread } = options;
  const now = options.now ?? Date.now;
  const prefix = `hiwar:v1:${site}:`;
  const keys = {
    identity: `${prefix}identity`,
    own: `${prefix}own:${thread}`,
    draft: `${prefix}draft:${thread}`,
  };

  const read = <T>(key: string): T | null => {
    try {
      const raw = storage?.getItem(key);
      return raw ? (JSON.parse(raw) as T) : null;
    } catch {
      return null;
    }
  };
  const write = (key: string, value: unknown) => {
    try {
      if (value === null) storage?.removeItem(key);
      else storage?.setItem(key, JSON.stringify(value));
    } catch {
      // Storage full or forbidden: the session still works for this page view.
    }
  };

  const storedIdentity = read<Identity>(keys.identity);
  const identity = signal<Identity | null>(
    storedIdentity && typeof storedIdentity.name === 'string' ? storedIdentity : null,
  );
  const stored = read<OwnComment[]>(keys.own);
  const own = signal<OwnComment[]>(
    (Array.isArray(stored) ? stored : []).filter(
      (entry) => entry && typeof entry.id === 'string' && now() - entry.savedAt < OWN_COMMENT_TTL_MS,
    ),
  );

  const setOwn = (next: OwnComment[]) => {
    own.value = next.slice(-MAX_OWN_PER_THREAD);
    write(keys.own, own.value.length ? own.value : null);
  };

  return {
    identity: identity as ReadonlySignal<Identity | null>,
    own: own as ReadonlySignal<OwnComment[]>,

    /** Keeps the identity for next time, or forgets it (null). */
    rememberIdentity(next: Identity | null) {
      identity.value = next;
      write(keys.identity, next);
    },

    ownComment: (id: string): OwnComment | undefined => own.value.find((entry) => entry.id === id),

    addOwn(entry: Omit<OwnComment, 'savedAt'>) {
      setOwn([...own.value.filter((e) => e.id !== entry.id), { ...entry, savedAt: now() }]);
    },

    updateOwn(id: string, patch: Partial<Omit<OwnComment, 'id'>>) {
      setOwn(own.value.map((entry) => (entry.id === id ? { ...entry, ...patch } : entry)));
    },

    removeOwn(id: string) {
      setOwn(own.value.filter((entry) => entry.id !== id));
    },

    loadDraft: (): string => {
      const draft = read<string>(keys.draft);
      return typeof draft === 'string' ? draft : '';
    },

    saveDraft(body: string) {
      write(keys.draft, body.trim() ? body : null);
    },
  };
}

export type SessionModel = ReturnType<typeof createSessionModel>;
