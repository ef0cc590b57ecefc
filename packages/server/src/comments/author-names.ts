import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { skeleton } from '../content/confusables.js';
import { cleanName } from '../content/names.js';
import type { Database } from '../db/schema.js';
import { ApiError, validationError } from '../http/api-error.js';

type Db = Kysely<Database> | Transaction<Database>;

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
 * A commenter's name made safe to show (see cleanName), or `validation_failed`:
 * `author.name: invalid_characters` when nothing visible is left, `author.name:
 * invalid` when it looks like a reserved word, the site's id, or the display name
 * or username of one of the site's moderators or of an owner (enabled accounts).
 *
 * @example
 * await commenterName(trx, 'news', '\u202Eأحمد') // → 'أحمد'
 * await commenterName(trx, 'news', 'Аdmin') // throws validation_failed (Cyrillic А)
 */
export async function commenterName(db: Db, siteId: string, name: string): Promise<string> {
  const cleaned = cleanCommenterName(name);
  if (skeleton(cleaned) === '') return cleaned;
  const staff = (await db.selectNoFrom(staffNames(siteId).as('staff')).executeTakeFirstOrThrow()).staff;
  refuseReservedName(cleaned, siteId, staff);
  return cleaned;
}

/**
 * The first half of {@link commenterName}, with no database: the cleaned name, or
 * `validation_failed` (`author.name: invalid_characters`) when nothing visible is left.
 */
export function cleanCommenterName(name: string): string {
  const cleaned = cleanName(name);
  if (cleaned === '') throw validationError({ 'author.name': 'invalid_characters' });
  return cleaned;
}

/**
 * The second half of {@link commenterName}: `validation_failed` (`author.name: invalid`)
 * when the cleaned name looks like a reserved word, the site's id or one of `staff`
 * (what {@link staffNames} read).
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
