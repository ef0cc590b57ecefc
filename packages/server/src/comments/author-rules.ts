import type { BanEffect, CommentStatus } from '@hiwar/protocol';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { foldArabic } from '../content/fold-arabic.js';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The keyed values a ban can match, computed once per request. */
export interface AuthorIdentity {
  emailIndex: Buffer | null;
  netHash: Buffer | null;
  nameHash: Buffer;
}

/**
 * The strongest ban in force on this site that matches the author: `ban` beats
 * `hold`; null when none does. Expired bans do not count.
 *
 * @example
 * if ((await activeBan(trx, 'news', identity, now)) === 'ban') throw new ApiError('banned', …)
 */
export async function activeBan(
  db: Db,
  siteId: string,
  identity: AuthorIdentity,
  now: Date,
): Promise<BanEffect | null> {
  const result = await sql<{
    effect: BanEffect | null;
  }>`select ${banEffect(siteId, identity, now)} as effect`.execute(db);
  return result.rows[0]?.effect ?? null;
}

/**
 * {@link activeBan} as a scalar subquery (null when no ban matches), for a look-up
 * that reads it in the same round trip as the site.
 */
export function banEffect(siteId: string, identity: AuthorIdentity, now: Date): RawBuilder<BanEffect | null> {
  const matches = [sql`(kind = 'name' and value_hash = ${identity.nameHash})`];
  if (identity.emailIndex) matches.push(sql`(kind = 'email' and value_hash = ${identity.emailIndex})`);
  if (identity.netHash) matches.push(sql`(kind = 'ip' and value_hash = ${identity.netHash})`);
  return sql<BanEffect | null>`(
    select effect from bans
    where site_id = ${siteId} and (expires_at is null or expires_at > ${now})
      and (${sql.join(matches, sql` or `)})
    order by (effect = 'ban') desc limit 1)`;
}

/**
 * The site's word lists against a comment: `spam` when a reject word appears in
 * one of the fields, else `pending` when a hold word does, else null. Words and
 * fields are compared folded (see foldArabic), as substrings, the way WordPress's
 * "Comment Moderation" and "Disallowed Comment Keys" lists match.
 *
 * @example
 * wordVerdict({ hold_words: ['رابط'], reject_words: [] }, ['هذا الرابط', 'أحمد']) // → 'pending'
 */
export function wordVerdict(
  site: { hold_words: readonly string[]; reject_words: readonly string[] },
  fields: ReadonlyArray<string | null | undefined>,
): Extract<CommentStatus, 'spam' | 'pending'> | null {
  if (site.hold_words.length === 0 && site.reject_words.length === 0) return null;
  const haystack = fields
    .filter((field): field is string => typeof field === 'string' && field.length > 0)
    .map(foldArabic)
    .join('\n');
  const has = (words: readonly string[]) =>
    words.some((word) => {
      const folded = foldArabic(word);
      return folded.length > 0 && haystack.includes(folded);
    });
  if (has(site.reject_words)) return 'spam';
  if (has(site.hold_words)) return 'pending';
  return null;
}

/**
 * Closed by a moderator, or by the site's auto-close setting: `days` after the
 * thread was created (0 never closes).
 *
 * @example
 * isThreadClosed({ closed: false, created_at: new Date('2026-01-01') }, 30, new Date('2026-03-01')) // → true
 */
export function isThreadClosed(
  thread: { closed: boolean; created_at: Date | string },
  autoCloseDays: number,
  now: Date,
): boolean {
  if (thread.closed) return true;
  if (autoCloseDays <= 0) return false;
  return now.getTime() - new Date(thread.created_at).getTime() >= autoCloseDays * 86_400_000;
}
