import type { AuditEntry } from '@hiwar/protocol';
import { signal } from '@preact/signals';
import type { AdminClient } from './api.js';

/** One setting or field an entry changed; absent sides were not there (a creation, a deletion). */
export interface AuditChange {
  key: string;
  before?: unknown;
  after?: unknown;
}

/**
 * What an entry changed, key by key, in the order the keys first appear: only the
 * keys whose value differs, or every key of a creation or a deletion.
 *
 * @example
 * changesOf({ before: { status: 'pending', pinned: false }, after: { status: 'approved', pinned: false } })
 * // [{ key: 'status', before: 'pending', after: 'approved' }]
 */
export function changesOf(entry: Pick<AuditEntry, 'before' | 'after'>): AuditChange[] {
  const before = asRecord(entry.before);
  const after = asRecord(entry.after);
  if (!before && !after) return [];
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const changes: AuditChange[] = [];
  for (const key of keys) {
    const change: AuditChange = { key };
    if (before && key in before) change.before = before[key];
    if (after && key in after) change.after = after[key];
    if (before && after && JSON.stringify(change.before) === JSON.stringify(change.after)) continue;
    changes.push(change);
  }
  return changes;
}

/** What a list change added and removed, e.g. origins or hold words; null when either side is not a list. */
export function listDiff(before: unknown, after: unknown): { added: unknown[]; removed: unknown[] } | null {
  if (!Array.isArray(before) || !Array.isArray(after)) return null;
  const was = new Set(before.map((item) => JSON.stringify(item)));
  const now = new Set(after.map((item) => JSON.stringify(item)));
  return {
    added: after.filter((item) => !was.has(JSON.stringify(item))),
    removed: before.filter((item) => !now.has(JSON.stringify(item))),
  };
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

const PAGE = 50;

/**
 * The audit log, newest first, a page at a time ("load more" follows the keyset
 * cursor), for every site or one. A filter change starts over; an answer to an
 * older filter is dropped.
 *
 * @example
 * const audit = createAuditModel(client);
 * await audit.setSite('news');
 * if (audit.nextCursor.value) await audit.more();
 */
export function createAuditModel(client: AdminClient) {
  const entries = signal<AuditEntry[]>([]);
  const nextCursor = signal<string | null>(null);
  const site = signal<string>('');
  /** The caller's sites, for the filter. */
  const sites = signal<string[]>([]);
  const loading = signal(false);
  const loaded = signal(false);
  const error = signal<unknown>(null);
  let generation = 0;

  const fetchPage = async (cursor: string | undefined) => {
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    try {
      const page = await client.listAudit({ site: site.peek() || undefined, limit: PAGE, cursor });
      if (mine !== generation) return;
      entries.value = cursor ? [...entries.peek(), ...page.entries] : page.entries;
      nextCursor.value = page.nextCursor;
      loaded.value = true;
    } catch (caught) {
      if (mine === generation) error.value = caught;
    } finally {
      if (mine === generation) loading.value = false;
    }
  };

  return {
    entries,
    nextCursor,
    site,
    sites,
    loading,
    loaded,
    error,
    /** The first page and the sites of the filter. */
    async load() {
      const listing = client.listSites().then(
        (answer) => {
          sites.value = answer.sites.map((s) => s.id);
        },
        () => undefined,
      );
      await Promise.all([fetchPage(undefined), listing]);
    },
    /** The first page again (after a filter change, or to refresh). */
    reload: () => fetchPage(undefined),
    /** The next page, added below. */
    async more() {
      const cursor = nextCursor.peek();
      if (cursor && !loading.peek()) await fetchPage(cursor);
    },
    async setSite(id: string) {
      site.value = id;
      entries.value = [];
      nextCursor.value = null;
      await fetchPage(undefined);
    },
  };
}

export type AuditModel = ReturnType<typeof createAuditModel>;
