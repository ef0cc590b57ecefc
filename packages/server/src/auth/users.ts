import type { AdminUser, Role } from '@hiwar/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { ApiError } from '../http/api-error.js';
import { writeAudit } from './audit.js';
import { hashPassword, type ScryptParams } from './passwords.js';
import type { Principal } from './principal.js';

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  displayName?: string;
  sites?: string[];
}

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Creates an account (and its site grants) and records it in the audit log, in one
 * transaction. 422 `validation_failed` (`username: invalid`) when the name is taken
 * without regard to case; 404 `unknown_site` for a site that does not exist.
 */
export async function createUser(
  db: Kysely<Database>,
  input: NewUser,
  by: Principal | null,
  params?: ScryptParams,
): Promise<AdminUser> {
  const passwordHash = await hashPassword(input.password, params);
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['username']), '=', input.username.toLowerCase()))
      .executeTakeFirst();
    if (taken)
      throw new ApiError('validation_failed', 'This username is taken.', { fields: { username: 'invalid' } });
    const row = await trx
      .insertInto('users')
      .values({
        username: input.username,
        display_name: input.displayName || input.username,
        password_hash: passwordHash,
        role: input.role,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await setUserSites(trx, row.id, input.role === 'owner' ? [] : (input.sites ?? []));
    const user = await loadUser(trx, row.id);
    if (!user) throw new Error('The new user vanished');
    await writeAudit(trx, {
      principal: by,
      action: 'user.create',
      targetType: 'user',
      targetId: user.id,
      after: { username: user.username, role: user.role, sites: user.sites },
    });
    return user;
  });
}

/** Replaces a moderator's site grants; 404 `unknown_site` when one does not exist. */
export async function setUserSites(db: Db, userId: string, sites: readonly string[]): Promise<void> {
  const unique = [...new Set(sites)];
  if (unique.length > 0) {
    const found = await db.selectFrom('sites').select('id').where('id', 'in', unique).execute();
    const missing = unique.filter((id) => !found.some((row) => row.id === id));
    if (missing.length > 0) throw new ApiError('unknown_site', `No site has the id ${missing[0]}.`);
  }
  await db.deleteFrom('user_sites').where('user_id', '=', userId).execute();
  if (unique.length > 0) {
    await db
      .insertInto('user_sites')
      .values(unique.map((site_id) => ({ user_id: userId, site_id })))
      .execute();
  }
}

/** A user as the admin API shows them (an owner's `sites` lists every site). */
export async function loadUser(db: Db, id: string): Promise<AdminUser | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'disabled', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const sites =
    row.role === 'owner'
      ? await db.selectFrom('sites').select('id as site_id').orderBy('id').execute()
      : await db
          .selectFrom('user_sites')
          .select('site_id')
          .where('user_id', '=', id)
          .orderBy('site_id')
          .execute();
  return {
    id: String(row.id),
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    sites: sites.map((s) => s.site_id),
    disabled: row.disabled,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
