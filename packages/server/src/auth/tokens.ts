import type { ApiToken } from '@hiwar/protocol';
import type { Kysely, Transaction } from 'kysely';
import { randomToken, tokenHash } from '../crypto/keys.js';
import type { Database } from '../db/schema.js';
import { ApiError } from '../http/api-error.js';
import { writeAudit } from './audit.js';
import { API_TOKEN_PREFIX, type Principal } from './principal.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Creates a personal API token. Only its SHA-256 is stored (it has 256 random bits, so
 * no dictionary exists); the secret is returned once.
 *
 * @example
 * const { token, secret } = await createApiToken(db, userId, 'nightly export', now)
 * // secret: 'hiwar_…' — send as `Authorization: Bearer <secret>`
 */
export async function createApiToken(
  db: Db,
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

/**
 * Creates a token for the caller and records `token.create` in the same transaction.
 *
 * @example
 * const { token, secret } = await createOwnToken(db, principal, 'nightly export', now)
 */
export async function createOwnToken(
  db: Kysely<Database>,
  principal: Principal,
  name: string,
  now: Date,
): Promise<{ token: ApiToken; secret: string }> {
  return db.transaction().execute(async (trx) => {
    const created = await createApiToken(trx, principal.userId, name, now);
    await writeAudit(trx, {
      principal,
      action: 'token.create',
      targetType: 'token',
      targetId: created.token.id,
      after: { name: created.token.name, prefix: created.token.prefix },
    });
    return created;
  });
}

/** The user's tokens that still work, newest first; never their secret or its hash. */
export async function listTokens(db: Db, userId: string): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toApiToken);
}

/**
 * Revokes a token at once. A user revokes their own; an owner anyone's. Anything else,
 * an already revoked token included, is 404 `not_found`, which does not tell a
 * moderator whether another user's token exists.
 */
export async function revokeToken(
  db: Kysely<Database>,
  id: string,
  principal: Principal,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    let query = trx
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null);
    if (principal.role !== 'owner') query = query.where('user_id', '=', principal.userId);
    const row = await query.returning(['id', 'user_id', 'name', 'prefix']).executeTakeFirst();
    if (!row) throw new ApiError('not_found', 'No token of yours has this id.');
    await writeAudit(trx, {
      principal,
      action: 'token.revoke',
      targetType: 'token',
      targetId: String(row.id),
      before: { userId: String(row.user_id), name: row.name, prefix: row.prefix },
    });
  });
}
