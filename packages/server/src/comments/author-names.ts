import { type Kysely, sql, type Transaction } from 'kysely';
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
  const cleaned = cleanName(name);
  if (cleaned === '') throw validationError({ 'author.name': 'invalid_characters' });
  const mark = skeleton(cleaned);
  if (mark === '') return cleaned;
  if (RESERVED_SKELETONS.has(mark) || mark === skeleton(siteId) || (await isStaffName(db, siteId, mark))) {
    throw new ApiError('validation_failed', 'This name is reserved for the site and its moderators.', {
      fields: { 'author.name': 'invalid' },
      reason: 'reserved',
    });
  }
  return cleaned;
}

/** Whether an enabled owner, or a moderator of this site, has a name or username with this skeleton. */
async function isStaffName(db: Db, siteId: string, mark: string): Promise<boolean> {
  const staff = await db
    .selectFrom('users as u')
    .select(['u.username', 'u.display_name'])
    .where('u.disabled', '=', false)
    .where((eb) =>
      eb.or([
        eb('u.role', '=', 'owner'),
        eb.exists(
          eb
            .selectFrom('user_sites as us')
            .select(sql`1`.as('one'))
            .whereRef('us.user_id', '=', 'u.id')
            .where('us.site_id', '=', siteId),
        ),
      ]),
    )
    .execute();
  return staff.some((user) => skeleton(user.username) === mark || skeleton(user.display_name) === mark);
}
