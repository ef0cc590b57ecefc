import {
  type AdminCountsResponse,
  COMMENT_STATUSES,
  type QueuePage,
  type QueueQuerySchema,
  type StatusCounts,
} from '@hiwar/protocol';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import { foldArabic } from '../content/fold-arabic.js';
import type { AppDeps } from '../context.js';
import { emailBlindIndex } from '../crypto/keys.js';
import { adminCommentQuery, toAdminComment } from './admin-comment.js';
import { decodeIdCursor, encodeIdCursor, siteScope } from './scope.js';

type QueueQuery = z.output<typeof QueueQuerySchema>;

/** At most this many words of a search are used (each must appear). */
const MAX_SEARCH_WORDS = 8;

/**
 * A page of the moderation queue, newest (or oldest) first by id, keyset paginated.
 * Every filter narrows an index range on `(site_id, status, id)`; the text search
 * (`q`, folded like `comments.search_text`) and the author filter are checked on
 * the rows of that range.
 *
 * @example
 * await listQueue(deps, principal, { status: 'pending', sort: 'newest', limit: 50 })
 */
export async function listQueue(deps: AppDeps, principal: Principal, query: QueueQuery): Promise<QueuePage> {
  const scope = await siteScope(deps.db, principal, query.site);
  if (scope !== 'all' && scope.length === 0) return { comments: [], nextCursor: null };
  const tag = query.sort === 'oldest' ? 'qo' : 'qn';
  const after = query.cursor !== undefined ? decodeIdCursor(query.cursor, tag) : null;
  const words = query.q ? foldArabic(query.q).split(' ').filter(Boolean).slice(0, MAX_SEARCH_WORDS) : [];
  const author = query.author?.trim();

  let select = adminCommentQuery(deps.db);
  if (scope !== 'all') select = select.where('c.site_id', 'in', scope);
  select = query.status
    ? select.where('c.status', '=', query.status)
    : select.where('c.status', '<>', 'deleted');
  if (query.thread) select = select.where('c.thread_id', '=', query.thread);
  for (const word of words) select = select.where(sql<boolean>`strpos(c.search_text, ${word}) > 0`);
  if (author) {
    select = author.includes('@')
      ? select.where('c.email_bidx', '=', emailBlindIndex(deps.keys, author))
      : select.where('c.author_name', '=', author);
  }
  if (query.from) select = select.where('c.created_at', '>=', new Date(query.from));
  if (query.to) select = select.where('c.created_at', '<=', new Date(query.to));
  if (after) select = select.where('c.id', query.sort === 'oldest' ? '>' : '<', after);
  const rows = await select
    .orderBy('c.id', query.sort === 'oldest' ? 'asc' : 'desc')
    .limit(query.limit + 1)
    .execute();

  const now = deps.clock.now();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    comments: page.map((row) => toAdminComment(row, deps.keys, now)),
    nextCursor: rows.length > query.limit && last ? encodeIdCursor(tag, String(last.id)) : null,
  };
}

/**
 * How many comments each status holds, on one site or every site the caller moderates.
 *
 * @example
 * await statusCounts(deps, principal, 'news') // → { counts: { pending: 3, approved: 40, spam: 1, deleted: 0 } }
 */
export async function statusCounts(
  deps: AppDeps,
  principal: Principal,
  site: string | undefined,
): Promise<AdminCountsResponse> {
  const scope = await siteScope(deps.db, principal, site);
  const counts = Object.fromEntries(COMMENT_STATUSES.map((s) => [s, 0])) as StatusCounts;
  if (scope !== 'all' && scope.length === 0) return { counts };
  let select = deps.db
    .selectFrom('comments')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('status');
  if (scope !== 'all') select = select.where('site_id', 'in', scope);
  for (const row of await select.execute()) counts[row.status] = Number(row.n);
  return { counts };
}
