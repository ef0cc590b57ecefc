import type { Kysely, Transaction } from 'kysely';
import type { AppDeps } from '../context.js';
import { randomToken, tokenHash } from '../crypto/keys.js';
import type { Database } from '../db/schema.js';
import { isHttps, SESSION_IDLE_MS, SESSION_MAX_MS, sessionCookieName } from './principal.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Starts a session for a user: stores the hash of a new random id (in `db`, a
 * transaction when given) and returns the `Set-Cookie` value carrying the id.
 *
 * @example
 * const { setCookie } = await startSession(deps, user.id)
 * c.header('Set-Cookie', setCookie)
 */
export async function startSession(
  deps: Pick<AppDeps, 'db' | 'config' | 'clock'>,
  userId: string,
  db: Db = deps.db,
): Promise<{ id: string; setCookie: string }> {
  const id = randomToken();
  const now = deps.clock.now();
  await db
    .insertInto('sessions')
    .values({
      id_hash: tokenHash(id),
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + SESSION_IDLE_MS),
    })
    .execute();
  // The browser keeps the cookie for the session's longest life; the server ends it
  // sooner when it goes unused (SESSION_IDLE_MS), so an active user is not logged out
  // a week after logging in.
  return { id, setCookie: sessionCookie(deps.config.publicUrl, id, SESSION_MAX_MS / 1000) };
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

export async function endSession(db: Db, idHash: Buffer): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of a user (password change, disabling), except `keep` if given. */
export async function endUserSessions(db: Db, userId: string, keep?: Buffer): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) query = query.where('id_hash', '!=', keep);
  await query.execute();
}
