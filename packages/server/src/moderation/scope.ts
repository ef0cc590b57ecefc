import type { Kysely } from 'kysely';
import { assertModerates, type Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { ApiError, validationError } from '../http/api-error.js';

/** The sites a listing covers: every site (`all`), or these ids (maybe none). */
export type SiteScope = 'all' | readonly string[];

/**
 * The sites a list request may see. Naming a site narrows to it: 403 `forbidden`
 * when the caller does not moderate it, 404 `unknown_site` when it does not exist.
 * Without one, a moderator sees their sites and an owner every site.
 *
 * @example
 * const scope = await siteScope(db, principal, query.site)
 */
export async function siteScope(
  db: Kysely<Database>,
  principal: Principal,
  site: string | undefined,
): Promise<SiteScope> {
  if (site === undefined) return principal.sites === 'all' ? 'all' : [...principal.sites];
  assertModerates(principal, site);
  const found = await db.selectFrom('sites').select('id').where('id', '=', site).executeTakeFirst();
  if (!found) throw new ApiError('unknown_site', `No site has the id "${site}".`);
  return [site];
}

/** Opaque keyset cursor over decimal ids: `<tag>|<id>`, base64url. */
export function encodeIdCursor(tag: string, id: string): string {
  return Buffer.from(`${tag}|${id}`).toString('base64url');
}

/** The id in a cursor made with `tag`, or 422 `validation_failed` on `cursor`. */
export function decodeIdCursor(cursor: string, tag: string): string {
  const [found, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (found !== tag || rest.length > 0 || !/^[1-9][0-9]{0,17}$/.test(id ?? '')) {
    throw validationError({ cursor: 'invalid' });
  }
  return id as string;
}

const RETRYABLE = new Set(['40P01', '40001']);

/**
 * Runs a write transaction again (up to three times) when PostgreSQL aborted it for a
 * deadlock or a serialization failure, which two moderators acting on neighbouring
 * comments at once can cause.
 */
export async function withRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= 3 || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
    }
  }
}
