import type { Role } from '@hiwar/protocol';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppDeps } from '../context.js';
import { tokenHash } from '../crypto/keys.js';
import { ApiError } from '../http/api-error.js';

/** Who is calling the admin API, once authenticated. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  /** The sites this user moderates: `all` for an owner. */
  sites: 'all' | ReadonlySet<string>;
  /** How they came in: a session (cookie) or an API token. */
  via: { kind: 'session'; idHash: Buffer } | { kind: 'token'; tokenId: string };
}

export const API_TOKEN_PREFIX = 'hiwar_';
/** A session lives this long without use, and never longer than MAX. */
export const SESSION_IDLE_MS = 7 * 24 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 30 * 24 * 60 * 60 * 1000;
/** `last_seen_at` and `last_used_at` are written at most this often, not on every request. */
const TOUCH_EVERY_MS = 60_000;

/** `__Host-` needs HTTPS (the cookie is then `Secure`); plain HTTP on localhost gets a plain name. */
export function sessionCookieName(publicUrl: string): string {
  return isHttps(publicUrl) ? '__Host-hiwar_session' : 'hiwar_session';
}

export function isHttps(publicUrl: string): boolean {
  return URL.canParse(publicUrl) && new URL(publicUrl).protocol === 'https:';
}

export function canModerate(principal: Principal, siteId: string): boolean {
  return principal.sites === 'all' || principal.sites.has(siteId);
}

/** Throws 403 `forbidden` unless the principal moderates the site. */
export function assertModerates(principal: Principal, siteId: string): void {
  if (!canModerate(principal, siteId)) throw new ApiError('forbidden', 'You do not moderate this site.');
}

/**
 * Looks up the caller from a bearer API token or the session cookie; null when neither
 * is valid. A bearer that is not an API token at all (a commenter's edit token) throws
 * 403 `forbidden`: its holder is someone, but not someone the admin API serves.
 */
export async function resolvePrincipal(deps: AppDeps, c: Context): Promise<Principal | null> {
  const now = deps.clock.now();
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(\S{1,200})\s*$/i.exec(header);
    const secret = match?.[1];
    if (secret === undefined) return null;
    if (!secret.startsWith(API_TOKEN_PREFIX)) {
      throw new ApiError('forbidden', 'This token does not open the admin API; use a personal API token.');
    }
    const row = await deps.db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(['t.id as token_id', 't.last_used_at', 'u.id', 'u.username', 'u.display_name', 'u.role'])
      .where('t.token_hash', '=', tokenHash(secret))
      .where('t.revoked_at', 'is', null)
      .where('u.disabled', '=', false)
      .executeTakeFirst();
    if (!row) return null;
    if (row.last_used_at === null || now.getTime() - new Date(row.last_used_at).getTime() > TOUCH_EVERY_MS) {
      await deps.db
        .updateTable('api_tokens')
        .set({ last_used_at: now })
        .where('id', '=', row.token_id)
        .execute();
    }
    return withSites(deps, row, { kind: 'token', tokenId: String(row.token_id) });
  }
  const cookie = getCookie(c, sessionCookieName(deps.config.publicUrl));
  if (!cookie || cookie.length > 200) return null;
  const idHash = tokenHash(cookie);
  const row = await deps.db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.role', 's.created_at', 's.last_seen_at'])
    .where('s.id_hash', '=', idHash)
    .where('s.expires_at', '>', now)
    .where('u.disabled', '=', false)
    .executeTakeFirst();
  if (!row) return null;
  // Sliding expiry, written at most once a minute, never past the session's maximum age.
  if (now.getTime() - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS) {
    const expires = Math.min(
      now.getTime() + SESSION_IDLE_MS,
      new Date(row.created_at).getTime() + SESSION_MAX_MS,
    );
    await deps.db
      .updateTable('sessions')
      .set({ last_seen_at: now, expires_at: new Date(expires) })
      .where('id_hash', '=', idHash)
      .execute();
  }
  return withSites(deps, row, { kind: 'session', idHash });
}

async function withSites(
  deps: AppDeps,
  user: { id: string; username: string; display_name: string; role: Role },
  via: Principal['via'],
): Promise<Principal> {
  let sites: Principal['sites'] = 'all';
  if (user.role !== 'owner') {
    const rows = await deps.db
      .selectFrom('user_sites')
      .select('site_id')
      .where('user_id', '=', user.id)
      .execute();
    sites = new Set(rows.map((r) => r.site_id));
  }
  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    role: user.role,
    sites,
    via,
  };
}

declare module 'hono' {
  interface ContextVariableMap {
    principal: Principal;
  }
}

/**
 * Admin routes: 401 `unauthorized` without a valid session or token; 403 `forbidden`
 * for a bearer that is not an API token (a commenter's edit token) and, with `owner`,
 * for a moderator. A write made with a session cookie must carry the dashboard's own
 * `Origin` (HIWAR_PUBLIC_URL's): a cross-site form or script is refused with 403
 * `forbidden` before anything runs. Bearer tokens are not sent by browsers on their
 * own, so they need no such check. Every answer is `Cache-Control: no-store`.
 *
 * @example
 * app.get(adminRoutes.listUsers.path, requireAdmin(deps, 'owner'), (c) => …)
 */
export function requireAdmin(deps: AppDeps, level: 'admin' | 'owner' = 'admin'): MiddlewareHandler {
  const expectedOrigin = new URL(deps.config.publicUrl).origin;
  return async (c, next) => {
    const principal = await resolvePrincipal(deps, c);
    if (!principal) throw new ApiError('unauthorized', 'Log in or send an API token.');
    if (principal.via.kind === 'session' && !isSafeMethod(c.req.method)) {
      assertSameOrigin(c, expectedOrigin);
    }
    if (level === 'owner' && principal.role !== 'owner') {
      throw new ApiError('forbidden', 'Only an owner may do this.');
    }
    c.set('principal', principal);
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
  };
}

export function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

/**
 * CSRF defence for cookie-authenticated writes (and the login itself): the request must
 * carry `Origin` equal to the dashboard's. Browsers send `Origin` on every POST, PATCH
 * and DELETE, same-origin ones included, so only a cross-site request (or a script that
 * is not a browser and has no business holding a session) lacks it.
 */
export function assertSameOrigin(c: Context, expectedOrigin: string): void {
  const origin = c.req.header('origin');
  if (origin === undefined) {
    throw new ApiError('forbidden', 'This request must come from the dashboard (no Origin header).');
  }
  if (origin !== expectedOrigin)
    throw new ApiError('forbidden', 'This request must come from the dashboard.');
}
