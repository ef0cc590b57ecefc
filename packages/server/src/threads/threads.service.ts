import { createHash } from 'node:crypto';
import {
  normalizePageUrl,
  REPLY_BATCH,
  type RepliesPage,
  type Thread,
  type ThreadComment,
  type ThreadPage,
  type ThreadSort,
} from '@hiwar/protocol';
import { LRUCache } from 'lru-cache';
import { isThreadClosed } from '../comments/author-rules.js';
import { type PublicCommentRow, toPublicComment } from '../comments/public-comment.js';
import type { AppDeps } from '../context.js';
import { ApiError, validationError } from '../http/api-error.js';
import { assertOrigin } from '../http/origins.js';
import type { RequestMeta } from '../http/request-meta.js';
import { type CountsCache, cachedCounts } from './counts-cache.js';
import { decodeCursor, encodeCursor, type Keyset } from './cursor.js';
import {
  countsByKeys,
  findSiteAndThread,
  findVisibleRoot,
  repliesPageRows,
  type SiteSummary,
  type ThreadSummary,
  threadKey,
  threadPageRows,
} from './threads.repository.js';

export interface ThreadRequest {
  site: string;
  url?: string | undefined;
  id?: string | undefined;
  sort: ThreadSort;
  limit: number;
  cursor?: string | undefined;
  parent?: string | undefined;
}

export interface ThreadResult {
  etag: string;
  /** The page as JSON text; absent when `ifNoneMatch` matched: answer 304. */
  json?: string;
}

/**
 * Pages already serialized, keyed by site, thread key and ETag. The ETag holds the
 * thread's version, which every change to its comments bumps in the same statement
 * (comments/status.ts), the site's last change and auto-close: a cached page is
 * never stale, on any number of server instances, because the version is read from
 * the database on every request; only the page query and JSON encoding are saved.
 */
export type PageCache = LRUCache<string, string>;

/** About 16 MiB of pages at most (a page of 50 comments is ~30 KiB of JSON). */
export function createPageCache(maxBytes = 16 * 1024 * 1024): PageCache {
  return new LRUCache<string, string>({
    maxSize: maxBytes,
    sizeCalculation: (json) => Math.max(1, json.length * 2),
    max: 5_000,
  });
}

function keyOf(request: { url?: string | undefined; id?: string | undefined }): {
  key: string;
  normalizedUrl: string | null;
} {
  const normalizedUrl = request.url !== undefined ? normalizePageUrl(request.url) : null;
  if (request.id === undefined && normalizedUrl === null) throw validationError({ url: 'invalid_url' });
  return { key: threadKey({ id: request.id, normalizedUrl }) as string, normalizedUrl };
}

/**
 * A page of a thread, or of one comment's replies. The ETag comes from the
 * thread's version and the site's settings, so a matching `If-None-Match` is
 * answered after one query.
 */
export async function getThread(
  deps: AppDeps,
  request: ThreadRequest,
  meta: RequestMeta,
  ifNoneMatch: string | undefined,
  cache?: PageCache,
): Promise<ThreadResult> {
  const { key, normalizedUrl } = keyOf(request);
  const after =
    request.cursor !== undefined
      ? decodeCursor(request.cursor, request.parent ? 'oldest' : request.sort)
      : null;
  const found = await findSiteAndThread(deps.db, request.site, key);
  if (!found) throw new ApiError('unknown_site', `No site has the id "${request.site}".`);
  const { site, thread } = found;
  assertOrigin(site, meta.origin);
  // Auto-close depends on the clock, not only on stored rows: it is part of the ETag.
  const closed = thread !== null && isThreadClosed(thread, site.auto_close_days, deps.clock.now());

  const etag = `W/"${createHash('sha256')
    .update(
      JSON.stringify([
        thread?.id,
        thread?.version,
        closed,
        site.updated_at.getTime(),
        request.sort,
        request.limit,
        request.cursor,
        request.parent,
      ]),
    )
    .digest('base64url')
    .slice(0, 27)}"`;
  if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag)) return { etag };
  const cacheKey = `${site.id}\n${key}\n${etag}`;
  const cached = thread ? cache?.get(cacheKey) : undefined;
  if (cached !== undefined) return { etag, json: cached };
  const body = await buildBody(deps, site, thread, normalizedUrl, closed, request, after);
  const json = JSON.stringify(body);
  // Only existing threads: a missing one costs one query already and its URL varies.
  if (thread) cache?.set(cacheKey, json);
  return { etag, json };
}

async function buildBody(
  deps: AppDeps,
  site: SiteSummary,
  thread: ThreadSummary | null,
  normalizedUrl: string | null,
  closed: boolean,
  request: ThreadRequest,
  after: Keyset | null,
): Promise<ThreadPage | RepliesPage> {
  const sitePublic = { lang: site.lang, editWindowMinutes: site.edit_window_minutes };
  const threadPublic = toPublicThread(thread, normalizedUrl, closed);
  if (request.parent !== undefined) {
    if (!thread || !(await findVisibleRoot(deps.db, thread.id, request.parent))) {
      throw new ApiError('not_found', 'No comment with this id has replies on this page.');
    }
    const rows = await repliesPageRows(deps.db, request.parent, request.limit, after);
    const { items, next } = cut(rows, request.limit, 'oldest');
    return { site: sitePublic, thread: threadPublic, comments: items.map(toPublicComment), nextCursor: next };
  }
  if (!thread) return { site: sitePublic, thread: threadPublic, comments: [], nextCursor: null };
  return buildPage(deps, site, thread, threadPublic, request, after);
}

async function buildPage(
  deps: AppDeps,
  site: SiteSummary,
  thread: ThreadSummary,
  threadPublic: Thread,
  request: ThreadRequest,
  after: Keyset | null,
): Promise<ThreadPage> {
  const rows = await threadPageRows(deps.db, thread.id, request.sort, request.limit, after);
  const pinned: PublicCommentRow[] = [];
  const top: PublicCommentRow[] = [];
  const replies = new Map<string, PublicCommentRow[]>();
  for (const row of rows) {
    if (row.kind === 'pinned') pinned.push(row);
    else if (row.kind === 'top') top.push(row);
    else {
      const list = replies.get(row.root_id as string) ?? [];
      list.push(row);
      replies.set(row.root_id as string, list);
    }
  }
  const { items, next } = cut(top, request.limit, request.sort);
  const comments = [...pinned, ...items].map((row): ThreadComment => {
    const batch = cut(replies.get(row.id) ?? [], REPLY_BATCH, 'oldest');
    return {
      ...toPublicComment(row),
      replies: batch.items.map(toPublicComment),
      replyCount: row.replies_count,
      repliesCursor: batch.next,
    };
  });
  return {
    site: { lang: site.lang, editWindowMinutes: site.edit_window_minutes },
    thread: threadPublic,
    comments,
    nextCursor: next,
  };
}

/** Rows were fetched with one extra: keep `limit` and make a cursor when there are more. */
function cut<T extends PublicCommentRow>(
  rows: T[],
  limit: number,
  sort: ThreadSort,
): { items: T[]; next: string | null } {
  if (rows.length <= limit) return { items: rows, next: null };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1] as T;
  return { items, next: encodeCursor({ sort, createdAt: last.created_at, id: last.id }) };
}

function toPublicThread(thread: ThreadSummary | null, normalizedUrl: string | null, closed: boolean): Thread {
  if (!thread) return { id: null, url: normalizedUrl, title: null, closed: false, commentCount: 0 };
  return {
    id: thread.id,
    url: thread.url,
    title: thread.title,
    closed,
    commentCount: thread.comment_count,
  };
}

/** Counts keyed by the url or id exactly as sent; an unknown page counts 0. */
export async function getCounts(
  deps: AppDeps,
  request: { site: string; url: string[]; id: string[] },
  meta: RequestMeta,
  cache?: CountsCache,
): Promise<Record<string, number>> {
  const wanted: Array<[string, string]> = [];
  for (const url of request.url) {
    const normalized = normalizePageUrl(url);
    if (normalized === null) throw validationError({ url: 'invalid_url' });
    wanted.push([url, `u:${normalized}`]);
  }
  for (const id of request.id) wanted.push([id, `i:${id}`]);
  const keys = [...new Set(wanted.map(([, key]) => key))];
  const load = () => countsByKeys(deps.db, request.site, keys);
  const found = cache ? await cachedCounts(cache, request.site, keys, load) : await load();
  if (!found) throw new ApiError('unknown_site', `No site has the id "${request.site}".`);
  assertOrigin({ id: request.site, origins: found.origins }, meta.origin);
  const counts: Record<string, number> = Object.create(null);
  for (const [asSent, key] of wanted) counts[asSent] = found.counts.get(key) ?? 0;
  return counts;
}
