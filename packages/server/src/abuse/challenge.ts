import { createHash, randomBytes } from 'node:crypto';
import { CHALLENGE_LIMITS, type ChallengeResponse } from '@hiwar/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import { hmac, type Keys, safeEqual } from '../crypto/keys.js';
import type { Database } from '../db/schema.js';
import { ApiError } from '../http/api-error.js';
import type { SiteSummary } from '../threads/threads.repository.js';

/** How long a form token counts: long enough for a reader who leaves the form open over lunch. */
export const FORM_TOKEN_TTL_MS = 12 * 3_600_000;
/** The window the "flooded" test of proof-of-work mode `flood` counts comments over. */
export const FLOOD_WINDOW_MS = 10 * 60_000;

const VERSION = 1;
const ID_BYTES = 16;
const MAC_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const PROOF_PATTERN = /^\d{1,20}$/;

/** What a valid form token says, once its signature is checked. */
export interface FormToken {
  /** Random; stored in `used_form_tokens` once spent. */
  id: Buffer;
  siteId: string;
  issuedAt: Date;
  expiresAt: Date;
  /** Leading zero bits the proof must reach; 0 when the token carries no puzzle. */
  difficulty: number;
}

/**
 * A signed form token: `base64url(payload).base64url(HMAC)`, the payload being the
 * version, a random id, the time of issue, the puzzle's difficulty and the site.
 * Stateless until spent, so issuing one writes nothing.
 *
 * @example
 * const token = signFormToken(keys, { siteId: 'news', difficulty: 0 }, new Date())
 * readFormToken(keys, token, 'news')?.siteId // → 'news'
 */
export function signFormToken(keys: Keys, claims: { siteId: string; difficulty: number }, now: Date): string {
  const site = Buffer.from(claims.siteId, 'utf8');
  const payload = Buffer.alloc(1 + ID_BYTES + 8 + 1 + site.length);
  payload.writeUInt8(VERSION, 0);
  randomBytes(ID_BYTES).copy(payload, 1);
  payload.writeBigInt64BE(BigInt(now.getTime()), 1 + ID_BYTES);
  payload.writeUInt8(claims.difficulty, 1 + ID_BYTES + 8);
  site.copy(payload, 1 + ID_BYTES + 8 + 1);
  return `${payload.toString('base64url')}.${mac(keys, payload).toString('base64url')}`;
}

/**
 * The claims of a form token signed by this server for this site, or null for
 * anything else (malformed, forged, another site's, another version).
 */
export function readFormToken(keys: Keys, token: string, siteId: string): FormToken | null {
  if (token.length > CHALLENGE_LIMITS.formToken || !TOKEN_PATTERN.test(token)) return null;
  const [payloadText, macText] = token.split('.') as [string, string];
  const payload = Buffer.from(payloadText, 'base64url');
  const signature = Buffer.from(macText, 'base64url');
  if (payload.length < 1 + ID_BYTES + 8 + 1 + 1 || signature.length !== MAC_BYTES) return null;
  if (!safeEqual(signature, mac(keys, payload))) return null;
  if (payload.readUInt8(0) !== VERSION) return null;
  const site = payload.subarray(1 + ID_BYTES + 8 + 1).toString('utf8');
  if (site !== siteId) return null;
  const issuedAt = new Date(Number(payload.readBigInt64BE(1 + ID_BYTES)));
  return {
    id: Buffer.from(payload.subarray(1, 1 + ID_BYTES)),
    siteId: site,
    issuedAt,
    expiresAt: new Date(issuedAt.getTime() + FORM_TOKEN_TTL_MS),
    difficulty: payload.readUInt8(1 + ID_BYTES + 8),
  };
}

function mac(keys: Keys, payload: Buffer): Buffer {
  return hmac(keys.request, 'form-token:v1', payload.toString('base64url'));
}

/**
 * Whether `proof` solves the token's puzzle: SHA-256 of `token + ":" + proof` starts
 * with `difficulty` zero bits. The solver in the widget does the same sum.
 *
 * @example
 * verifyProof(token, '48213', 16) // → true or false
 */
export function verifyProof(token: string, proof: string | undefined, difficulty: number): boolean {
  if (difficulty <= 0) return true;
  if (proof === undefined || !PROOF_PATTERN.test(proof)) return false;
  return leadingZeroBits(createHash('sha256').update(`${token}:${proof}`, 'utf8').digest()) >= difficulty;
}

/** Zero bits at the start of a hash. */
export function leadingZeroBits(bytes: Uint8Array): number {
  let bits = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

type SiteChallengeSettings = Pick<
  SiteSummary,
  'id' | 'challenge' | 'min_fill_seconds' | 'pow_mode' | 'pow_difficulty' | 'pow_flood_threshold'
>;

/**
 * The answer of `GET /api/v1/challenge`: a fresh form token and, in proof-of-work
 * mode `always` or in mode `flood` while the site is flooded, a puzzle whose
 * difficulty the token itself carries (so a client cannot lower it).
 *
 * @example
 * const { formToken, pow } = await issueChallenge(db, keys, site, new Date())
 */
export async function issueChallenge(
  db: Kysely<Database>,
  keys: Keys,
  site: SiteChallengeSettings,
  now: Date,
): Promise<ChallengeResponse> {
  const wantsWork =
    site.pow_mode === 'always' ||
    (site.pow_mode === 'flood' && (await isFlooded(db, site.id, site.pow_flood_threshold, now)));
  const difficulty = wantsWork ? site.pow_difficulty : 0;
  const formToken = signFormToken(keys, { siteId: site.id, difficulty }, now);
  return {
    formToken,
    expiresAt: new Date(now.getTime() + FORM_TOKEN_TTL_MS).toISOString(),
    pow: difficulty > 0 ? { algorithm: 'SHA-256', difficulty } : null,
  };
}

/**
 * Flooded: `threshold` comments or more on the site in the last 10 minutes. Counts
 * at most `threshold` index entries, so a busy site costs no more than a quiet one.
 */
export async function isFlooded(
  db: Kysely<Database> | Transaction<Database>,
  siteId: string,
  threshold: number,
  now: Date,
): Promise<boolean> {
  const since = new Date(now.getTime() - FLOOD_WINDOW_MS);
  const result = await sql<{ n: number }>`
    select count(*)::int as n from (
      select 1 from comments where site_id = ${siteId} and created_at > ${since} limit ${threshold}
    ) recent`.execute(db);
  return (result.rows[0]?.n ?? 0) >= threshold;
}

/** Why a form was not accepted as a person's: reported in `details.reason` of a 403. */
export type ChallengeProblem = 'missing' | 'invalid' | 'expired' | 'used' | 'proof';

/**
 * What the form token, the proof and the honeypot say of a new comment:
 * - `spam`: the honeypot `homepage` was filled in (only a bot sees that field); the
 *   comment is kept as spam and its author is told it waits for moderation;
 * - `hold`: no valid token or proof (mode `hold`), or sent sooner than
 *   `min_fill_seconds` after the token was issued;
 * - `pass`: a person's form, or the site has the rule `off`.
 * In mode `require` a missing, forged, expired, spent or unsolved token throws 403
 * `challenge_required` (with `details.reason`). A valid token is spent here, inside
 * the comment's transaction: if the comment is refused later the token is not spent.
 *
 * @example
 * const verdict = await checkChallenge(trx, keys, site, input, now) // 'pass' | 'hold' | 'spam'
 */
export async function checkChallenge(
  trx: Transaction<Database>,
  keys: Keys,
  site: SiteChallengeSettings,
  input: { formToken?: string | undefined; proof?: string | undefined; homepage?: string | undefined },
  now: Date,
): Promise<'pass' | 'hold' | 'spam'> {
  if (site.challenge === 'off') return 'pass';
  const problem = await tokenProblem(trx, keys, site.id, input, now);
  if (problem !== null && site.challenge === 'require') {
    throw new ApiError('challenge_required', CHALLENGE_MESSAGES[problem], { reason: problem });
  }
  // Only a bot sees the honeypot field; told nothing, it cannot learn to leave it empty.
  if (input.homepage !== undefined && input.homepage.trim() !== '') return 'spam';
  if (problem !== null) return 'hold';
  const token = readFormToken(keys, input.formToken as string, site.id) as FormToken;
  const filledIn = now.getTime() - token.issuedAt.getTime();
  return filledIn < site.min_fill_seconds * 1_000 ? 'hold' : 'pass';
}

const CHALLENGE_MESSAGES: Record<ChallengeProblem, string> = {
  missing: 'This site needs a form token from GET /api/v1/challenge with each comment.',
  invalid: 'The form token is not one this server issued for this site.',
  expired: 'The form token has expired; get a new one from GET /api/v1/challenge.',
  used: 'The form token was already used; get a new one from GET /api/v1/challenge.',
  proof: 'The proof of work does not solve the puzzle of this form token.',
};

async function tokenProblem(
  trx: Transaction<Database>,
  keys: Keys,
  siteId: string,
  input: { formToken?: string | undefined; proof?: string | undefined },
  now: Date,
): Promise<ChallengeProblem | null> {
  if (input.formToken === undefined || input.formToken === '') return 'missing';
  const token = readFormToken(keys, input.formToken, siteId);
  if (!token) return 'invalid';
  if (now.getTime() >= token.expiresAt.getTime()) return 'expired';
  if (!verifyProof(input.formToken, input.proof, token.difficulty)) return 'proof';
  if (!(await spendFormToken(trx, token, now))) return 'used';
  return null;
}

/**
 * Records the token as spent; false when it already was. Of two requests racing
 * with one token, the second waits on the primary key until the first commits
 * (then it is spent) or rolls back (then the second spends it).
 */
async function spendFormToken(trx: Transaction<Database>, token: FormToken, now: Date): Promise<boolean> {
  // Now and then, the spent tokens that can no longer be replayed go.
  if (Math.random() < 0.02) await purgeSpentFormTokens(trx, now);
  const spent = await trx
    .insertInto('used_form_tokens')
    .values({ token_id: token.id, expires_at: token.expiresAt })
    .onConflict((oc) => oc.column('token_id').doNothing())
    .returning('token_id')
    .executeTakeFirst();
  return spent !== undefined;
}

/**
 * Deletes spent tokens that have expired (an expired token is refused anyway), at
 * most 500 at a time. Returns how many went.
 *
 * @example
 * await purgeSpentFormTokens(db, new Date()) // → 0
 */
export async function purgeSpentFormTokens(
  db: Kysely<Database> | Transaction<Database>,
  now: Date,
): Promise<number> {
  const result = await sql`delete from used_form_tokens where token_id in (
      select token_id from used_form_tokens where expires_at <= ${now} limit 500)`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
