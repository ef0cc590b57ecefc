import type { AdminUser, ChangePasswordBody, LoginBody } from '@hiwar/protocol';
import type { AppDeps } from '../context.js';
import { ApiError } from '../http/api-error.js';
import { writeAudit } from './audit.js';
import { loginSucceeded, reserveLoginAttempt } from './login-throttle.js';
import { dummyHash, hashPassword, verifyPassword } from './passwords.js';
import type { Principal } from './principal.js';
import { endUserSessions, startSession } from './sessions.js';
import { loadUser, sameUsername } from './users.js';

const INVALID_CREDENTIALS = 'The username or the password is wrong.';

/**
 * Checks a username and password and starts a session. One answer, 401
 * `invalid_credentials`, for an unknown user, a wrong password and a disabled account,
 * and the same scrypt work in each case. Throttled per network and per account and
 * network (see login-throttle.ts): 429 `rate_limited` before any check.
 *
 * @example
 * const { user, setCookie } = await login(deps, { username, password }, clientIp)
 */
export async function login(
  deps: AppDeps,
  body: Required<LoginBody>,
  clientIp: string,
): Promise<{ user: AdminUser; setCookie: string }> {
  const username = body.username.normalize('NFC').trim();
  const reservation = await reserveLoginAttempt(deps, username, clientIp);
  const row = isStorable(username)
    ? await deps.db
        .selectFrom('users')
        .select(['id', 'password_hash', 'disabled'])
        .where(sameUsername(username))
        .executeTakeFirst()
    : undefined;
  const ok = await verifyPassword(body.password, row?.password_hash ?? (await dummyHash()));
  if (!row || !ok || row.disabled) throw new ApiError('invalid_credentials', INVALID_CREDENTIALS);
  return deps.db.transaction().execute(async (trx) => {
    await loginSucceeded(trx, reservation);
    const { setCookie } = await startSession(deps, row.id, trx);
    const user = await loadUser(trx, row.id);
    if (!user) throw new ApiError('invalid_credentials', INVALID_CREDENTIALS);
    await writeAudit(trx, {
      principal: { userId: user.id, username: user.username },
      action: 'session.login',
      targetType: 'user',
      targetId: user.id,
    });
    return { user, setCookie };
  });
}

/** Text PostgreSQL can hold and a username can be (anything else matches no account). */
function isStorable(value: string): boolean {
  return value.length > 0 && value.length <= 200 && !value.includes('\u0000');
}

/**
 * Changes the caller's own password after checking the current one (401
 * `invalid_credentials`, throttled like a login), and ends every other session of
 * theirs; the one making the change stays.
 */
export async function changeOwnPassword(
  deps: AppDeps,
  principal: Principal,
  body: Required<ChangePasswordBody>,
  clientIp: string,
): Promise<void> {
  const reservation = await reserveLoginAttempt(deps, principal.username, clientIp);
  const row = await deps.db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', principal.userId)
    .executeTakeFirst();
  if (!row || !(await verifyPassword(body.currentPassword, row.password_hash))) {
    throw new ApiError('invalid_credentials', 'The current password is wrong.');
  }
  const passwordHash = await hashPassword(body.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await loginSucceeded(trx, reservation);
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: deps.clock.now() })
      .where('id', '=', principal.userId)
      .execute();
    await endUserSessions(
      trx,
      principal.userId,
      principal.via.kind === 'session' ? principal.via.idHash : undefined,
    );
    await writeAudit(trx, {
      principal,
      action: 'user.password',
      targetType: 'user',
      targetId: principal.userId,
    });
  });
}
