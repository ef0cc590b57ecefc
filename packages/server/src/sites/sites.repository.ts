import type { Kysely, Transaction } from 'kysely';
import type { Database, SiteRow } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The columns a site's settings live in (the `settings` JSON holds the ones later issues add). */
export const SITE_COLUMNS = [
  'id',
  'origins',
  'moderation',
  'edit_window_minutes',
  'max_depth',
  'lang',
  'auto_close_days',
  'hold_words',
  'reject_words',
  'hold_links',
  'flood_seconds',
  'thread_hourly_limit',
  'site_hourly_limit',
  'challenge',
  'min_fill_seconds',
  'pow_mode',
  'pow_difficulty',
  'pow_flood_threshold',
  'spam_checker',
  'akismet_key_enc',
  'spam_check_email',
  'created_at',
  'updated_at',
] as const;

export type SiteRecord = Pick<SiteRow, (typeof SITE_COLUMNS)[number]>;

/** The settings columns a write may set; absent ones keep their value (or the column default). */
export type SiteColumns = Partial<
  Pick<
    SiteRow,
    | 'origins'
    | 'moderation'
    | 'edit_window_minutes'
    | 'max_depth'
    | 'lang'
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
    | 'akismet_key_enc'
    | 'spam_check_email'
  >
>;

/**
 * @example
 * const site = await findSiteById(db, 'news') // null when there is none
 */
export async function findSiteById(
  db: Db,
  id: string,
  options: { lock?: boolean } = {},
): Promise<SiteRecord | null> {
  let query = db.selectFrom('sites').select(SITE_COLUMNS).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

/**
 * Every site, by id.
 *
 * @example
 * for (const site of await listSiteRows(db)) console.log(site.id)
 */
export async function listSiteRows(db: Db): Promise<SiteRecord[]> {
  return db.selectFrom('sites').select(SITE_COLUMNS).orderBy('id').execute();
}

/**
 * Inserts a site; null when one with this id exists already.
 *
 * @example
 * await insertSite(db, 'news', { origins: ['https://news.example'] }, new Date())
 */
export async function insertSite(
  db: Db,
  id: string,
  columns: SiteColumns,
  now: Date,
): Promise<SiteRecord | null> {
  const row = await db
    .insertInto('sites')
    .values({ id, ...columns, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning(SITE_COLUMNS)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Sets the given columns and `updated_at` (which the thread pages' ETags include);
 * null when no site has this id.
 *
 * @example
 * await updateSiteRow(db, 'news', { moderation: 'all' }, new Date())
 */
export async function updateSiteRow(
  db: Db,
  id: string,
  columns: SiteColumns,
  now: Date,
): Promise<SiteRecord | null> {
  const row = await db
    .updateTable('sites')
    .set({ ...columns, updated_at: now })
    .where('id', '=', id)
    .returning(SITE_COLUMNS)
    .executeTakeFirst();
  return row ?? null;
}
