import { REPLY_BATCH, type ThreadSort } from '@hiwar/protocol';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { PUBLIC_COMMENT_COLUMNS, type PublicCommentRow } from '../comments/public-comment.js';
import type { Database, SiteRow, ThreadRow } from '../db/schema.js';
import type { Keyset } from './cursor.js';

export const PINNED_MAX = 20;

export type SiteSummary = Pick<
  SiteRow,
  | 'id'
  | 'origins'
  | 'moderation'
  | 'lang'
  | 'edit_window_minutes'
  | 'max_depth'
  | 'settings'
  | 'updated_at'
  | 'auto_close_days'
  | 'hold_words'
  | 'reject_words'
  | 'hold_links'
  | 'flood_seconds'
  | 'thread_hourly_limit'
  | 'site_hourly_limit'
  | 'challenge'
  | 'min_fill_seconds'
  | 'pow_mode'
  | 'pow_difficulty'
  | 'pow_flood_threshold'
  | 'spam_checker'
  | 'spam_check_email'
>;
export type ThreadSummary = Pick<
  ThreadRow,
  'id' | 'key' | 'url' | 'title' | 'closed' | 'comment_count' | 'version' | 'created_at'
>;

/** Thread key: an explicit id wins over the normalized URL. */
export function threadKey(ref: {
  id?: string | undefined;
  normalizedUrl?: string | null | undefined;
}): string | null {
  if (ref.id !== undefined) return `i:${ref.id}`;
  if (ref.normalizedUrl) return `u:${ref.normalizedUrl}`;
  return null;
}

/**
 * One round trip: the site and, when it exists, the thread. Null for an unknown site.
 * `extra` are scalar subqueries read in the same round trip (a comment's look-up reads
 * bans and names with it), answered under their names in `extra`.
 */
export async function findSiteAndThread<Extra extends Record<string, unknown> = Record<never, never>>(
  db: Kysely<Database>,
  siteId: string,
  key: string | null,
  extra?: { [K in keyof Extra]: RawBuilder<Extra[K]> },
): Promise<{ site: SiteSummary; thread: ThreadSummary | null; extra: Extra } | null> {
  const extraColumns = Object.entries(extra ?? {}).map(([name, query]) =>
    (query as RawBuilder<unknown>).as(`x_${name}`),
  );
  const row = await db
    .selectFrom('sites as s')
    .leftJoin('threads as t', (join) => join.onRef('t.site_id', '=', 's.id').on('t.key', '=', key ?? ''))
    .where('s.id', '=', siteId)
    .select([
      's.id as site_id',
      's.origins',
      's.moderation',
      's.lang',
      's.edit_window_minutes',
      's.max_depth',
      's.settings',
      's.updated_at',
      's.auto_close_days',
      's.hold_words',
      's.reject_words',
      's.hold_links',
      's.flood_seconds',
      's.thread_hourly_limit',
      's.site_hourly_limit',
      's.challenge',
      's.min_fill_seconds',
      's.pow_mode',
      's.pow_difficulty',
      's.pow_flood_threshold',
      's.spam_checker',
      's.spam_check_email',
      't.id as thread_id',
      't.key',
      't.url',
      't.title',
      't.closed',
      't.comment_count',
      't.version',
      't.created_at as thread_created_at',
    ])
    .$if(extraColumns.length > 0, (qb) => qb.select(extraColumns))
    .executeTakeFirst();
  if (!row) return null;
  const extraValues = Object.fromEntries(
    Object.keys(extra ?? {}).map((name) => [name, (row as Record<string, unknown>)[`x_${name}`]]),
  ) as Extra;
  const site: SiteSummary = {
    id: row.site_id,
    origins: row.origins,
    moderation: row.moderation,
    lang: row.lang,
    edit_window_minutes: row.edit_window_minutes,
    max_depth: row.max_depth,
    settings: row.settings,
    updated_at: row.updated_at,
    auto_close_days: row.auto_close_days,
    hold_words: row.hold_words,
    reject_words: row.reject_words,
    hold_links: row.hold_links,
    flood_seconds: row.flood_seconds,
    thread_hourly_limit: row.thread_hourly_limit,
    site_hourly_limit: row.site_hourly_limit,
    challenge: row.challenge,
    min_fill_seconds: row.min_fill_seconds,
    pow_mode: row.pow_mode,
    pow_difficulty: row.pow_difficulty,
    pow_flood_threshold: row.pow_flood_threshold,
    spam_checker: row.spam_checker,
    spam_check_email: row.spam_check_email,
  };
  const thread =
    row.thread_id === null
      ? null
      : {
          id: row.thread_id,
          key: row.key as string,
          url: row.url,
          title: row.title,
          closed: row.closed as boolean,
          comment_count: row.comment_count as number,
          version: row.version as string,
          created_at: row.thread_created_at as Date,
        };
  return { site, thread, extra: extraValues };
}

const columns = sql.join(PUBLIC_COMMENT_COLUMNS.map((name) => sql.ref(`c.${name}`)));
/** A comment readers may see: approved, or deleted but holding approved replies. */
const visible = sql`c.status in ('approved', 'deleted') and (c.status = 'approved' or c.children_count > 0)`;

export interface PageRow extends PublicCommentRow {
  kind: 'pinned' | 'top' | 'reply';
}

/**
 * A page of a thread in one statement: pinned comments (first page only), then
 * `limit + 1` top-level comments after the cursor, then up to REPLY_BATCH + 1
 * replies of each, oldest first. Each part is a range scan of a partial index.
 */
export async function threadPageRows(
  db: Kysely<Database>,
  threadId: string,
  sort: ThreadSort,
  limit: number,
  after: Keyset | null,
): Promise<PageRow[]> {
  const dir = sql.raw(sort === 'newest' ? 'desc' : 'asc');
  const op = sql.raw(sort === 'newest' ? '<' : '>');
  const keyset = after
    ? sql`and (c.created_at, c.id) ${op} (${after.createdAt}, ${after.id}::bigint)`
    : sql``;
  const pinned = after
    ? sql`select ${columns}, 'pinned' as kind from comments c where false`
    : sql`select ${columns}, 'pinned' as kind from comments c
        where c.thread_id = ${threadId} and c.root_id is null and c.pinned and ${visible}
        order by c.created_at ${dir}, c.id ${dir} limit ${PINNED_MAX}`;
  const result = await sql<PageRow>`
    with top as (
      (${pinned})
      union all
      (select ${columns}, 'top' as kind from comments c
        where c.thread_id = ${threadId} and c.root_id is null and not c.pinned and ${visible} ${keyset}
        order by c.created_at ${dir}, c.id ${dir} limit ${limit + 1})
    )
    select * from top
    union all
    select r.* from top cross join lateral (
      select ${columns}, 'reply' as kind from comments c
      where c.root_id = top.id and ${visible}
      order by c.created_at, c.id limit ${REPLY_BATCH + 1}
    ) r
  `.execute(db);
  return result.rows;
}

/** A page of replies under one top-level comment, oldest first. */
export async function repliesPageRows(
  db: Kysely<Database>,
  rootId: string,
  limit: number,
  after: Keyset | null,
): Promise<PublicCommentRow[]> {
  const keyset = after ? sql`and (c.created_at, c.id) > (${after.createdAt}, ${after.id}::bigint)` : sql``;
  const result = await sql<PublicCommentRow>`
    select ${columns} from comments c
    where c.root_id = ${rootId} and ${visible} ${keyset}
    order by c.created_at, c.id limit ${limit + 1}
  `.execute(db);
  return result.rows;
}

/** A top-level comment readers can see, in the given thread. */
export async function findVisibleRoot(db: Kysely<Database>, threadId: string, id: string): Promise<boolean> {
  const result = await sql<{ id: string }>`
    select c.id from comments c
    where c.id = ${id}::bigint and c.thread_id = ${threadId} and c.root_id is null and ${visible}
  `.execute(db);
  return result.rows.length > 0;
}

/** Approved-comment counts of many threads, plus the site's origins, in one round trip. */
export async function countsByKeys(
  db: Kysely<Database>,
  siteId: string,
  keys: string[],
): Promise<{ origins: string[]; counts: Map<string, number> } | null> {
  const rows = await db
    .selectFrom('sites as s')
    .leftJoin('threads as t', (join) => join.onRef('t.site_id', '=', 's.id').on('t.key', 'in', keys))
    .where('s.id', '=', siteId)
    .select(['s.origins', 't.key', 't.comment_count'])
    .execute();
  if (rows.length === 0) return null;
  const counts = new Map<string, number>();
  for (const row of rows) if (row.key !== null) counts.set(row.key, row.comment_count ?? 0);
  return { origins: (rows[0] as { origins: string[] }).origins, counts };
}
