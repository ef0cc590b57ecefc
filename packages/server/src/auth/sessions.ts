import type { AppDeps } from '../context.js';
import { randomToken, tokenHash } from '../crypto/keys.js';
import { isHttps, SESSION_IDLE_MS, sessionCookieName } from './principal.js';

/**
 * Starts a session for a user: stores the hash of a new random id and returns the
 * `Set-Cookie` value carrying the id.
 */
export async function startSession(
  deps: AppDeps,
  userId: string,
): Promise<{ id: string; setCookie: string }> {
  const id = randomToken();
  const now = deps.clock.now();
  await deps.db
    .insertInto('sessions')
    .values({
      id_hash: tokenHash(id),
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + SESSION_IDLE_MS),
    })
    .execute();
  return { id, setCookie: sessionCookie(deps.config.publicUrl, id, SESSION_IDLE_MS / 1000) };
}

/** `HttpOnly; SameSite=Strict; Path=/`, and `Secure` with the `__Host-` name behind HTTPS. */
export function sessionCookie(publicUrl: string, value: string, maxAgeSeconds: number): string {
  const parts = [
    `${sessionCookieName(publicUrl)}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
  ];
  if (isHttps(publicUrl)) parts.push('Secure');
  return parts.join('; ');
}

/** A `Set-Cookie` value that removes the session cookie. */
export function clearSessionCookie(publicUrl: string): string {
  return sessionCookie(publicUrl, '', 0);
}

export async function endSession(deps: AppDeps, idHash: Buffer): Promise<void> {
  await deps.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of a user (password change, disabling), except `keep` if given. */
export async function endUserSessions(
  deps: Pick<AppDeps, 'db'>,
  userId: string,
  keep?: Buffer,
): Promise<void> {
  let query = deps.db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) query = query.where('id_hash', '!=', keep);
  await query.execute();
}
