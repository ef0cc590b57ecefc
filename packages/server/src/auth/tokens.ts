import type { ApiToken } from '@hiwar/protocol';
import type { Kysely } from 'kysely';
import { randomToken, tokenHash } from '../crypto/keys.js';
import type { Database } from '../db/schema.js';
import { API_TOKEN_PREFIX } from './principal.js';

/**
 * Creates a personal API token. Only its SHA-256 is stored (it has 256 random bits, so
 * no dictionary exists); the secret is returned once.
 *
 * @example
 * const { token, secret } = await createApiToken(db, userId, 'nightly export', now)
 * // secret: 'hiwar_…' — send as `Authorization: Bearer <secret>`
 */
export async function createApiToken(
  db: Kysely<Database>,
  userId: string,
  name: string,
  now: Date,
): Promise<{ token: ApiToken; secret: string }> {
  const secret = `${API_TOKEN_PREFIX}${randomToken()}`;
  const row = await db
    .insertInto('api_tokens')
    .values({
      user_id: userId,
      name,
      prefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
      token_hash: tokenHash(secret),
      created_at: now,
    })
    .returning(['id', 'name', 'prefix', 'created_at', 'last_used_at'])
    .executeTakeFirstOrThrow();
  return { token: toApiToken(row), secret };
}

export function toApiToken(row: {
  id: string;
  name: string;
  prefix: string;
  created_at: Date | string;
  last_used_at: Date | string | null;
}): ApiToken {
  return {
    id: String(row.id),
    name: row.name,
    prefix: row.prefix,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
  };
}
