import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { ApiError } from '../http/api-error.js';
import type { SiteSummary } from '../threads/threads.repository.js';

/** Who and where a new comment comes from, as the flood limits count it. */
export interface FloodSubject {
  siteId: string;
  threadId: string;
  /** Keyed hash of the IPv4 address or IPv6 /64 (null when unknown). */
  netHash: Buffer | null;
  /** The author's email blind index (null without an email). */
  emailIndex: Buffer | null;
}

/** Which limit refused a comment: `details.reason` of the 429 answer. */
export type FloodReason = 'network' | 'author' | 'thread' | 'site';

/** The window of the thread and site ceilings. */
export const CEILING_WINDOW_MS = 3_600_000;

/**
 * The class of the advisory locks taken here. The two-key form of
 * pg_advisory_xact_lock lives in its own key space, apart from the one-bigint locks
 * of the duplicate check, so the two can never collide.
 */
const LOCK_CLASS = 0x6877_666c; // 'hwfl'

const MESSAGES: Record<FloodReason, string> = {
  network: 'Comments from your network come too fast; wait before posting again.',
  author: 'You are commenting too fast; wait before posting again.',
  thread: 'This page receives too many comments right now; try again later.',
  site: 'This site receives too many comments right now; try again later.',
};

/**
 * The site's flood limits, checked inside the transaction that inserts the comment:
 * one comment per `flood_seconds` per network and per author, at most
 * `thread_hourly_limit` comments an hour on the thread and `site_hourly_limit` on the
 * site. Throws ApiError('rate_limited') with a `Retry-After` header.
 *
 * Everything is counted from the `comments` table, so every server instance on one
 * database sees the same limits. To make the count and the insert that follows one
 * critical section, an advisory lock is taken on each limited key first (in one
 * sorted order, so two comments sharing keys cannot deadlock): of 100 comments racing
 * from one address, the 99 late ones wait for the first to commit, then see it.
 * Thread and site locks are taken only when that ceiling is on, as they serialize
 * every comment of the thread or the site. Moderators' replies do not come through
 * here and do not count towards the ceilings.
 *
 * @example
 * await enforceFloodLimits(trx, site, { siteId: 'news', threadId, netHash, emailIndex }, now)
 * // throws ApiError('rate_limited', …, { reason: 'network', retryAfter: 12 }, { 'Retry-After': '12' })
 */
export async function enforceFloodLimits(
  trx: Transaction<Database>,
  site: Pick<SiteSummary, 'flood_seconds' | 'thread_hourly_limit' | 'site_hourly_limit'>,
  subject: FloodSubject,
  now: Date,
): Promise<void> {
  const checks = floodChecks(site, subject);
  if (checks.length === 0) return;

  const locks = [...new Set(checks.map((check) => lockKey(check.reason, subject.siteId, check.key)))];
  // One statement per lock, in ascending order: PostgreSQL does not promise the order
  // in which a single statement would take several.
  for (const key of locks.sort((a, b) => a - b)) {
    await sql`select pg_advisory_xact_lock(${LOCK_CLASS}, ${key})`.execute(trx);
  }

  // A statement of its own, after the locks: under READ COMMITTED it reads a fresh
  // snapshot, holding every comment committed by whoever held a lock before us.
  const row: Record<string, Date | string | null> = await trx
    .selectNoFrom((eb) =>
      checks.map((check) => {
        // No bound on created_at: the newest rows of one key, by an index that ends in
        // created_at, whatever the window (a bound tempts the planner into scanning the
        // site's recent comments instead); rows older than the window are let go below.
        let query = eb.selectFrom('comments').select('created_at');
        query =
          check.reason === 'thread'
            ? query.where('thread_id', '=', subject.threadId)
            : query.where('site_id', '=', subject.siteId);
        if (check.reason === 'network') query = query.where('ip_net_hash', '=', subject.netHash);
        if (check.reason === 'author') query = query.where('email_bidx', '=', subject.emailIndex);
        // Moderators' replies are not the public's flood: they leave the ceilings alone.
        if (check.reason === 'thread' || check.reason === 'site') {
          query = query.where('author_moderator', '=', false);
        }
        return query.orderBy('created_at', 'desc').offset(check.offset).limit(1).as(check.reason);
      }),
    )
    .executeTakeFirstOrThrow();

  // The limit that keeps its window shut longest answers, so that one retry suffices.
  let refusal: { reason: FloodReason; waitMs: number; windowMs: number } | null = null;
  for (const check of checks) {
    const value = row[check.reason];
    if (value === null || value === undefined) continue;
    const waitMs = new Date(value).getTime() + check.windowMs - now.getTime();
    if (waitMs <= 0) continue;
    if (refusal === null || waitMs > refusal.waitMs) refusal = { ...check, waitMs };
  }
  if (refusal === null) return;
  // Whole seconds until the window frees, at least 1, and never more than the window
  // itself (a clock ahead on another instance must not lock anyone out for longer).
  const seconds = Math.max(1, Math.ceil(Math.min(refusal.waitMs, refusal.windowMs) / 1000));
  throw new ApiError(
    'rate_limited',
    MESSAGES[refusal.reason],
    { reason: refusal.reason, retryAfter: seconds },
    { 'Retry-After': String(seconds) },
  );
}

/**
 * One limit that applies: the key it is counted under, its window, and which of the
 * newest comments in the window keeps it shut (0: the newest one; N-1 for a ceiling of N).
 */
interface FloodCheck {
  reason: FloodReason;
  key: string;
  windowMs: number;
  offset: number;
}

function floodChecks(
  site: Pick<SiteSummary, 'flood_seconds' | 'thread_hourly_limit' | 'site_hourly_limit'>,
  subject: FloodSubject,
): FloodCheck[] {
  const checks: FloodCheck[] = [];
  // The latest comment of this network or this author on the site inside the window,
  // whatever its status, keeps it shut (as WordPress's check_comment_flood_db).
  if (site.flood_seconds > 0) {
    const windowMs = site.flood_seconds * 1000;
    if (subject.netHash) {
      checks.push({ reason: 'network', key: subject.netHash.toString('base64'), windowMs, offset: 0 });
    }
    if (subject.emailIndex) {
      checks.push({ reason: 'author', key: subject.emailIndex.toString('base64'), windowMs, offset: 0 });
    }
  }
  // A ceiling of N is reached when the Nth newest public comment of the last hour
  // exists; the window frees an hour after that one.
  if (site.thread_hourly_limit > 0) {
    checks.push({
      reason: 'thread',
      key: subject.threadId,
      windowMs: CEILING_WINDOW_MS,
      offset: site.thread_hourly_limit - 1,
    });
  }
  if (site.site_hourly_limit > 0) {
    checks.push({
      reason: 'site',
      key: subject.siteId,
      windowMs: CEILING_WINDOW_MS,
      offset: site.site_hourly_limit - 1,
    });
  }
  return checks;
}

/** A 32-bit advisory lock key for one limited key on one site (collisions only serialize). */
function lockKey(reason: FloodReason, siteId: string, key: string): number {
  return createHash('sha256').update(`flood:v1\0${reason}\0${siteId}\0${key}`).digest().readInt32BE(0);
}
