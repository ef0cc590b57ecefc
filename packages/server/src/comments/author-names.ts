import { type RawBuilder, sql } from 'kysely';
import { skeleton } from '../content/confusables.js';
import { cleanName } from '../content/names.js';
import { ApiError, validationError } from '../http/api-error.js';

/**
 * Words no commenter may take as a name (nor anything that looks like one of them:
 * compared by UTS #39 skeleton). The site's id and the names of its moderators
 * are added per site.
 */
export const RESERVED_NAMES = [
  'مدير',
  'المدير',
  'مشرف',
  'المشرف',
  'admin',
  'administrator',
  'moderator',
  'mod',
  'hiwar',
  'حوار',
] as const;

const RESERVED_SKELETONS = new Set(RESERVED_NAMES.map(skeleton));

/**
 * A commenter's name made safe to show (see cleanName), or `validation_failed`
 * (`author.name: invalid_characters`) when nothing visible is left. Then
 * {@link refuseReservedName} checks it against reserved and staff names.
 *
 * @example
 * cleanCommenterName('\u202Eأحمد') // → 'أحمد'
 */
export function cleanCommenterName(name: string): string {
  const cleaned = cleanName(name);
  if (cleaned === '') throw validationError({ 'author.name': 'invalid_characters' });
  return cleaned;
}

/**
 * `validation_failed` (`author.name: invalid`, reason `reserved`) when the cleaned name
 * looks like (same UTS #39 skeleton) a reserved word, the site's id, or one of `staff`:
 * the display names and usernames of the site's moderators and of the owners, as
 * {@link staffNames} reads them (enabled accounts).
 *
 * @example
 * refuseReservedName('Аdmin', 'news', null) // throws validation_failed (Cyrillic А)
 */
export function refuseReservedName(cleaned: string, siteId: string, staff: readonly string[] | null): void {
  const mark = skeleton(cleaned);
  if (mark === '') return;
  if (
    RESERVED_SKELETONS.has(mark) ||
    mark === skeleton(siteId) ||
    (staff ?? []).some((staffName) => skeleton(staffName) === mark)
  ) {
    throw new ApiError('validation_failed', 'This name is reserved for the site and its moderators.', {
      fields: { 'author.name': 'invalid' },
      reason: 'reserved',
    });
  }
}

/**
 * A scalar subquery: the usernames and display names of the enabled owners and of
 * this site's moderators, as a text array (null when there are none), so that a
 * comment's look-up reads them in the same round trip as the site.
 */
export function staffNames(siteId: string): RawBuilder<string[] | null> {
  return sql<string[] | null>`(
    select array_agg(n) from users u
    cross join lateral (values (u.username), (u.display_name)) v(n)
    where not u.disabled and (u.role = 'owner'
      or exists (select 1 from user_sites us where us.user_id = u.id and us.site_id = ${siteId}))
  )`;
}
