import { type Kysely, sql, type Transaction } from 'kysely';
import type { AppDeps } from '../context.js';
import { hmac } from '../crypto/keys.js';
import type { Database } from '../db/schema.js';
import { ApiError } from '../http/api-error.js';
import { ipNetwork } from '../http/client-ip.js';

/** Failed logins allowed per window from one network, and per (username, network) pair. */
export const LOGIN_LIMIT = { perNetwork: 5, perAccountAndNetwork: 5, windowMs: 15 * 60 * 1000 } as const;

/** The class of the advisory locks taken here (the two-key form keeps them apart from others'). */
const LOCK_CLASS = 0x6877_6c67; // 'hwlg'

/** The keyed hashes a login attempt is counted under. */
export interface ThrottleKeys {
  network: Buffer;
  pair: Buffer;
}

export function throttleKeys(keys: AppDeps['keys'], username: string, clientIp: string): ThrottleKeys {
  const network = ipNetwork(clientIp);
  return {
    network: hmac(keys.ip, 'login-network', network),
    pair: hmac(keys.ip, 'login-account', username.normalize('NFC').toLowerCase(), network),
  };
}

/** An attempt that was let through: its failure rows, to take back if the password is right. */
export interface Reservation {
  keys: ThrottleKeys;
  ids: string[];
}

/**
 * Lets a password check happen, or throws 429 `rate_limited` with `Retry-After`.
 *
 * The attempt is written down as a failure BEFORE the password is checked, under an
 * advisory lock on the client's network, so that 100 concurrent guesses from one
 * network get at most {@link LOGIN_LIMIT.perNetwork} checks: the count and the insert
 * are one critical section. A right password then takes its rows back with
 * {@link loginSucceeded}. A refused attempt writes nothing, so hammering does not
 * extend the wait. Rows older than the window are purged on the way.
 *
 * There is no limit per account alone: a stranger cannot lock the owner out, who can
 * always log in from another network.
 */
export async function reserveLoginAttempt(
  deps: Pick<AppDeps, 'db' | 'keys' | 'clock'>,
  username: string,
  clientIp: string,
): Promise<Reservation> {
  const keys = throttleKeys(deps.keys, username, clientIp);
  const now = deps.clock.now();
  const since = new Date(now.getTime() - LOGIN_LIMIT.windowMs);
  return deps.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(encode(${keys.network}::bytea, 'hex')))`.execute(
      trx,
    );
    await trx.deleteFrom('login_failures').where('at', '<=', since).execute();
    const recent = await trx
      .selectFrom('login_failures')
      .select(['key_hash', 'at'])
      .where('key_hash', 'in', [keys.network, keys.pair])
      .where('at', '>', since)
      .orderBy('at', 'desc')
      .execute();
    const times = (key: Buffer) =>
      recent.filter((row) => Buffer.from(row.key_hash).equals(key)).map((row) => new Date(row.at).getTime());
    const waits = [
      waitMs(times(keys.network), LOGIN_LIMIT.perNetwork, now),
      waitMs(times(keys.pair), LOGIN_LIMIT.perAccountAndNetwork, now),
    ];
    const wait = Math.max(...waits);
    if (wait > 0) {
      throw new ApiError(
        'rate_limited',
        'Too many failed logins from this network; wait before trying again.',
        { retryAfterSeconds: Math.ceil(wait / 1000) },
        { 'Retry-After': String(Math.ceil(wait / 1000)) },
      );
    }
    const rows = await trx
      .insertInto('login_failures')
      .values([
        { key_hash: keys.network, at: now },
        { key_hash: keys.pair, at: now },
      ])
      .returning('id')
      .execute();
    return { keys, ids: rows.map((row) => String(row.id)) };
  });
}

/** How long until fewer than `limit` of these failures (newest first) lie in the window; 0 if already. */
function waitMs(newestFirst: number[], limit: number, now: Date): number {
  const blocking = newestFirst[limit - 1];
  if (blocking === undefined) return 0;
  return Math.max(1000, blocking + LOGIN_LIMIT.windowMs - now.getTime());
}

/**
 * The password was right: this attempt was not a failure, and the account's earlier
 * failures from this network are forgiven (the network's other failures stay).
 */
export async function loginSucceeded(
  db: Kysely<Database> | Transaction<Database>,
  reservation: Reservation,
): Promise<void> {
  await db
    .deleteFrom('login_failures')
    .where((eb) => eb.or([eb('id', 'in', reservation.ids), eb('key_hash', '=', reservation.keys.pair)]))
    .execute();
}
