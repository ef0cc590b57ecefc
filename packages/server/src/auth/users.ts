import type { AdminUser, Role } from '@hiwar/protocol';
import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import { cleanName } from '../content/names.js';
import type { Database } from '../db/schema.js';
import { ApiError } from '../http/api-error.js';
import { writeAudit } from './audit.js';
import { hashPassword, type ScryptParams } from './passwords.js';
import type { Principal } from './principal.js';
import { endUserSessions } from './sessions.js';

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  displayName?: string;
  sites?: string[];
}

type Db = Kysely<Database> | Transaction<Database>;

/** The class of the advisory lock every change to accounts takes (see {@link lockUsers}). */
const USERS_LOCK = 0x6877_7573; // 'hwus'

/**
 * Serializes changes to accounts for the rest of the transaction, so that two owners
 * demoting each other at once cannot leave the server without an owner, and two
 * `admin create` runs on an empty database cannot both make "the first" account.
 */
export async function lockUsers(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${USERS_LOCK}, 0)`.execute(trx);
}

/**
 * Creates an account (and its site grants) and records it in the audit log, in one
 * transaction. 422 `validation_failed` (`username: invalid`) when the name is taken
 * without regard to case; 404 `unknown_site` for a site that does not exist. With
 * `firstIsOwner`, the first account of the server is an owner whatever `role` says.
 *
 * @example
 * const user = await createUser(db, { username: 'huda', password, role: 'moderator', sites: ['news'] }, principal)
 */
export async function createUser(
  db: Kysely<Database>,
  input: NewUser,
  by: Principal | null,
  params?: ScryptParams,
  options: { firstIsOwner?: boolean } = {},
): Promise<AdminUser> {
  const passwordHash = await hashPassword(input.password, params);
  try {
    return await db.transaction().execute(async (trx) => {
      await lockUsers(trx);
      const taken = await trx
        .selectFrom('users')
        .select('id')
        .where(sameUsername(input.username))
        .executeTakeFirst();
      if (taken) throw usernameTaken();
      const role = options.firstIsOwner && (await countUsers(trx)) === 0 ? 'owner' : input.role;
      const row = await trx
        .insertInto('users')
        .values({
          username: input.username,
          display_name: cleanName(input.displayName ?? '') || input.username,
          password_hash: passwordHash,
          role,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await setUserSites(trx, row.id, role === 'owner' ? [] : (input.sites ?? []));
      const user = await loadUser(trx, row.id);
      if (!user) throw new Error('The new user vanished');
      await writeAudit(trx, {
        principal: by,
        action: 'user.create',
        targetType: 'user',
        targetId: user.id,
        after: auditView(user),
      });
      return user;
    });
  } catch (error) {
    // Another instance inserted the same name between the check and the insert.
    if ((error as { code?: unknown }).code === '23505') throw usernameTaken();
    throw error;
  }
}

/**
 * Matches a username without regard to case, as the unique index `lower(username)` does:
 * both sides are folded by PostgreSQL, whose `lower()` may differ from JavaScript's
 * outside ASCII (under the C locale it folds ASCII only).
 */
export function sameUsername(username: string) {
  return (eb: ExpressionBuilder<Database, 'users'>) =>
    eb(eb.fn('lower', ['username']), '=', eb.fn('lower', [eb.val(username)]));
}

function usernameTaken(): ApiError {
  return new ApiError('validation_failed', 'This username is taken.', { fields: { username: 'invalid' } });
}

/** What the audit log keeps of an account: never its password or its hash. */
export function auditView(user: AdminUser): Record<string, unknown> {
  return {
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    sites: user.sites,
    disabled: user.disabled,
  };
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

/** Every account, oldest first, with its sites (every site for an owner). */
export async function listUsers(db: Db): Promise<AdminUser[]> {
  const [users, grants, sites] = await Promise.all([
    db
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'role', 'disabled', 'created_at'])
      .orderBy('id')
      .execute(),
    db.selectFrom('user_sites').select(['user_id', 'site_id']).orderBy('site_id').execute(),
    db.selectFrom('sites').select('id').orderBy('id').execute(),
  ]);
  const allSites = sites.map((site) => site.id);
  return users.map((row) => ({
    id: String(row.id),
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    sites:
      row.role === 'owner'
        ? allSites
        : grants.filter((g) => String(g.user_id) === String(row.id)).map((g) => g.site_id),
    disabled: row.disabled,
    createdAt: new Date(row.created_at).toISOString(),
  }));
}

export interface UserChanges {
  displayName?: string;
  role?: Role;
  sites?: string[];
  password?: string;
  disabled?: boolean;
}

/**
 * Changes an account. A new password or disabling ends the user's sessions (but the
 * caller's own current session, when they change themselves). 403 `forbidden` when
 * the change would leave no enabled owner; 404 `not_found`, 404 `unknown_site`.
 */
export async function updateUser(
  db: Kysely<Database>,
  id: string,
  changes: UserChanges,
  by: Principal | null,
  now: Date,
  params?: ScryptParams,
): Promise<AdminUser> {
  const passwordHash =
    changes.password === undefined ? undefined : await hashPassword(changes.password, params);
  return db.transaction().execute(async (trx) => {
    await lockUsers(trx);
    const before = await loadUser(trx, id);
    if (!before) throw new ApiError('not_found', 'No user has this id.');
    const role = changes.role ?? before.role;
    const disabled = changes.disabled ?? before.disabled;
    if (isEnabledOwner(before) && (role !== 'owner' || disabled)) await assertAnotherOwner(trx, id);
    await trx
      .updateTable('users')
      .set({
        role,
        disabled,
        updated_at: now,
        ...(changes.displayName === undefined
          ? {}
          : { display_name: cleanName(changes.displayName) || before.username }),
        ...(passwordHash === undefined ? {} : { password_hash: passwordHash }),
      })
      .where('id', '=', id)
      .execute();
    if (role === 'owner') await setUserSites(trx, id, []);
    else if (changes.sites !== undefined) await setUserSites(trx, id, changes.sites);
    else if (before.role === 'owner') await setUserSites(trx, id, []);
    if (passwordHash !== undefined || (disabled && !before.disabled)) {
      const keep = by?.userId === id && by.via.kind === 'session' && !disabled ? by.via.idHash : undefined;
      await endUserSessions(trx, id, keep);
    }
    const after = await loadUser(trx, id);
    if (!after) throw new Error('The user vanished');
    await writeAudit(trx, {
      principal: by,
      action: 'user.update',
      targetType: 'user',
      targetId: id,
      before: auditView(before),
      after: { ...auditView(after), ...(passwordHash === undefined ? {} : { passwordChanged: true }) },
    });
    return after;
  });
}

/** Deletes an account with its sessions and tokens; 403 `forbidden` for the last enabled owner. */
export async function deleteUser(db: Kysely<Database>, id: string, by: Principal | null): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockUsers(trx);
    const before = await loadUser(trx, id);
    if (!before) throw new ApiError('not_found', 'No user has this id.');
    if (isEnabledOwner(before)) await assertAnotherOwner(trx, id);
    await trx.deleteFrom('users').where('id', '=', id).execute();
    await writeAudit(trx, {
      principal: by,
      action: 'user.delete',
      targetType: 'user',
      targetId: id,
      before: auditView(before),
    });
  });
}

function isEnabledOwner(user: AdminUser): boolean {
  return user.role === 'owner' && !user.disabled;
}

/** The server must keep an enabled owner: 403 unless one besides `id` exists. */
async function assertAnotherOwner(trx: Transaction<Database>, id: string): Promise<void> {
  const other = await trx
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'owner')
    .where('disabled', '=', false)
    .where('id', '!=', id)
    .executeTakeFirst();
  if (!other) {
    throw new ApiError('forbidden', 'This is the last enabled owner; make another owner first.');
  }
}
