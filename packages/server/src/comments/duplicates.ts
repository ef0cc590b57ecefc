import { type Kysely, sql, type Transaction } from 'kysely';
import { foldArabic } from '../content/fold-arabic.js';
import { hmac, type Keys } from '../crypto/keys.js';
import type { Database } from '../db/schema.js';
import { ApiError } from '../http/api-error.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * What makes two comments "the same" for duplicate detection, as a keyed hash
 * (`comments.dedupe_hash`): the author (email blind index, or the folded name
 * when there is no email), the thread, the comment answered (as WordPress's
 * `wp_allow_comment` does: «شكراً» to two readers is not a duplicate), and the body
 * folded (see foldArabic: case, Arabic diacritics, tatweel and letter forms, runs
 * of white space). Keyed, so the column tells nothing about the text or the address.
 *
 * @example
 * const a = dedupeHash(keys, { threadId: '42', parentId: null, emailIndex, name: 'x', body: 'شكراً  لك' })
 * const b = dedupeHash(keys, { threadId: '42', parentId: null, emailIndex, name: 'x', body: 'شكرا لك' })
 * a.equals(b) // → true
 */
export function dedupeHash(
  keys: Keys,
  comment: {
    threadId: string;
    parentId: string | null;
    emailIndex: Buffer | null;
    name: string;
    body: string;
  },
): Buffer {
  const { threadId, parentId, emailIndex, name, body } = comment;
  const author = emailIndex ? `e:${emailIndex.toString('base64')}` : `n:${foldArabic(name)}`;
  return hmac(keys.request, 'dedupe:v1', threadId, parentId ?? '', author, foldArabic(body));
}

/**
 * Refuses (409 `duplicate_comment`) a comment whose {@link dedupeHash} an earlier,
 * not deleted comment of the thread has. Takes a transaction-scoped advisory lock
 * on the hash first, so of two identical POSTs racing, the second waits for the
 * first to commit and then sees it. Call it inside the transaction that inserts.
 *
 * @example
 * await refuseDuplicate(trx, thread.id, hash) // throws ApiError('duplicate_comment')
 */
export async function refuseDuplicate(
  trx: Transaction<Database>,
  threadId: string,
  hash: Buffer,
  excludeId: string | null = null,
): Promise<void> {
  await lockDuplicates(trx, hash);
  if (await hasDuplicate(trx, threadId, hash, excludeId)) {
    throw new ApiError('duplicate_comment', 'You have already posted this comment on this page.');
  }
}

/**
 * The transaction-scoped advisory lock on a dedupe hash: of two identical comments
 * racing, the second waits here until the first commits, and its next statement sees
 * the first. Used by refuseDuplicate, and by a new comment's insert, which looks for
 * the duplicate in its own statement.
 */
export async function lockDuplicates(trx: Transaction<Database>, hash: Buffer): Promise<void> {
  await sql`select pg_advisory_xact_lock(${hash.readBigInt64BE(0).toString()}::bigint)`.execute(trx);
}

async function hasDuplicate(db: Db, threadId: string, hash: Buffer, excludeId: string | null) {
  const row = await db
    .selectFrom('comments')
    .select(sql`1`.as('one'))
    .where('thread_id', '=', threadId)
    .where('dedupe_hash', '=', hash)
    .where('status', '!=', 'deleted')
    .$if(excludeId !== null, (qb) => qb.where('id', '!=', excludeId as string))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
