import type { CommentStatus } from '@hiwar/protocol';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

export interface StatusSubject {
  id: string;
  thread_id: string;
  parent_id: string | null;
  root_id: string | null;
  status: CommentStatus;
}

/**
 * The one way a comment's status changes. It keeps the stored counters true:
 * the thread's approved count, the parent's approved children (which keeps a
 * deleted parent visible as a placeholder) and the root's approved replies,
 * and bumps the thread's version (its page ETag). Call it inside a transaction.
 *
 * @example
 * await changeStatus(trx, comment, 'approved')
 */
export async function changeStatus(
  trx: Transaction<Database> | Kysely<Database>,
  comment: StatusSubject,
  to: CommentStatus,
  extra: { deletedAt?: Date } = {},
): Promise<void> {
  const from = comment.status;
  if (from !== to) {
    await trx
      .updateTable('comments')
      .set({
        status: to,
        ...(to === 'deleted'
          ? {
              status_before_delete: from === 'deleted' ? null : from,
              deleted_at: extra.deletedAt ?? new Date(),
            }
          : {}),
        ...(from === 'deleted' ? { status_before_delete: null, deleted_at: null } : {}),
      })
      .where('id', '=', comment.id)
      .execute();
  }
  const delta = (to === 'approved' ? 1 : 0) - (from === 'approved' ? 1 : 0);
  await applyCounters(trx, comment, delta);
}

/**
 * Applies the counters of a newly inserted comment (it had no status before).
 * Call it last in the transaction: it locks the thread's row, which every
 * comment on the thread needs, so the lock should be held only until commit.
 */
export async function countNewComment(trx: Transaction<Database>, comment: StatusSubject): Promise<void> {
  await applyCounters(trx, comment, comment.status === 'approved' ? 1 : 0);
}

/**
 * One statement for every counter: the parent's approved children, the root's
 * approved replies, the thread's approved count and version. (A row may be
 * updated only once in a statement, hence the case where parent and root are one.)
 */
async function applyCounters(
  trx: Transaction<Database> | Kysely<Database>,
  comment: StatusSubject,
  delta: number,
) {
  const ancestors = ancestorCounters(comment, delta);
  await sql`${ancestors.length > 0 ? sql`with ${sql.join(ancestors)}` : sql``}
    ${threadCounter(comment.thread_id, delta)}`.execute(trx);
}

/**
 * The counters of a comment's parent and root as data-modifying CTEs (`name as (update …)`),
 * none when nothing changes or the comment is top-level.
 */
export function ancestorCounters(
  comment: Pick<StatusSubject, 'parent_id' | 'root_id'>,
  delta: number,
): RawBuilder<unknown>[] {
  const { parent_id: parent, root_id: root } = comment;
  if (delta === 0 || parent === null) return [];
  if (parent === root) {
    return [
      sql`a as (update comments set children_count = children_count + ${delta},
        replies_count = replies_count + ${delta} where id = ${parent}::bigint)`,
    ];
  }
  return [
    sql`p as (update comments set children_count = children_count + ${delta} where id = ${parent}::bigint)`,
    sql`r as (update comments set replies_count = replies_count + ${delta} where id = ${root}::bigint)`,
  ];
}

/**
 * A new comment's change to the thread's approved count and version, as an insert into
 * `thread_count_changes`: a deferred trigger applies it at COMMIT (migration 0005), so
 * the thread's row, which every comment on the thread updates, is locked only while
 * the transaction commits, not from here to the server's COMMIT.
 */
export function threadCounterAtCommit(threadId: string, delta: number): RawBuilder<unknown> {
  return sql`insert into thread_count_changes (thread_id, delta) values (${threadId}::bigint, ${delta})`;
}

/** The thread's approved count and its version (the page ETag), as one update. */
export function threadCounter(threadId: string, delta: number): RawBuilder<unknown> {
  return sql`update threads set comment_count = comment_count + ${delta}, version = version + 1
    where id = ${threadId}::bigint`;
}
