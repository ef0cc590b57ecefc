import type { CommentStatus } from '@hiwar/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
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
  if (delta !== 0) await adjustCounters(trx, comment, delta);
  await bumpThread(trx, comment.thread_id, delta);
}

/** Applies the counters of a newly inserted comment (it had no status before). */
export async function countNewComment(trx: Transaction<Database>, comment: StatusSubject): Promise<void> {
  const delta = comment.status === 'approved' ? 1 : 0;
  if (delta !== 0) await adjustCounters(trx, comment, delta);
  await bumpThread(trx, comment.thread_id, delta);
}

async function adjustCounters(
  trx: Transaction<Database> | Kysely<Database>,
  comment: StatusSubject,
  delta: number,
) {
  if (comment.parent_id !== null) {
    await trx
      .updateTable('comments')
      .set({ children_count: sql`children_count + ${delta}` })
      .where('id', '=', comment.parent_id)
      .execute();
  }
  if (comment.root_id !== null) {
    await trx
      .updateTable('comments')
      .set({ replies_count: sql`replies_count + ${delta}` })
      .where('id', '=', comment.root_id)
      .execute();
  }
}

async function bumpThread(trx: Transaction<Database> | Kysely<Database>, threadId: string, delta: number) {
  await trx
    .updateTable('threads')
    .set({ comment_count: sql`comment_count + ${delta}`, version: sql`version + 1` })
    .where('id', '=', threadId)
    .execute();
}
