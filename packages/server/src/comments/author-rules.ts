import type { BanEffect, CommentStatus } from '@hiwar/protocol';
import { type RawBuilder, sql } from 'kysely';
import { foldArabic } from '../content/fold-arabic.js';

/** The keyed values a ban can match, computed once per request. */
export interface AuthorIdentity {
  emailIndex: Buffer | null;
  netHash: Buffer | null;
  nameHash: Buffer;
}

/**
 * The strongest ban in force on this site that matches the author (`ban` beats `hold`;
 * expired bans do not count), as a scalar subquery: null when none does. A comment's
 * look-up reads it in the same round trip as the site.
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
