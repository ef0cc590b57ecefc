import type { ActionResult, AdminThread, CommentStatus, ModerationAction } from '@hiwar/protocol';
import type { Transaction } from 'kysely';
import { type AuditEntryInput, writeAudit } from '../auth/audit.js';
import { canModerate, type Principal } from '../auth/principal.js';
import { isThreadClosed } from '../comments/author-rules.js';
import { placeReply, renderBody } from '../comments/comments.service.js';
import { iso } from '../comments/public-comment.js';
import { changeStatus, countNewComment, type StatusSubject } from '../comments/status.js';
import { searchText } from '../content/fold-arabic.js';
import type { AppDeps } from '../context.js';
import { avatarKey } from '../crypto/keys.js';
import type { Database } from '../db/schema.js';
import { ApiError } from '../http/api-error.js';
import { loadAdminComments } from './admin-comment.js';
import { withRetry } from './scope.js';

interface Locked extends StatusSubject {
  site_id: string;
  pinned: boolean;
  status_before_delete: CommentStatus | null;
}

type Change = { status: CommentStatus; pinned?: undefined } | { pinned: boolean; status?: undefined };

/**
 * What an action does to one comment, or null when it does not apply (already
 * there, or not eligible: only approved top-level comments are pinned, a deleted
 * comment must be restored before anything else).
 */
export function planAction(action: ModerationAction, row: Locked): Change | null {
  const live = row.status !== 'deleted';
  switch (action) {
    case 'approve':
      return live && row.status !== 'approved' ? { status: 'approved' } : null;
    case 'unapprove':
      return row.status === 'approved' ? { status: 'pending' } : null;
    case 'spam':
      return live && row.status !== 'spam' ? { status: 'spam' } : null;
    // "Not spam" returns the comment to the queue, as WordPress does; approving is a second step.
    case 'not_spam':
      return row.status === 'spam' ? { status: 'pending' } : null;
    case 'delete':
      return live ? { status: 'deleted' } : null;
    case 'restore':
      return live ? null : { status: row.status_before_delete ?? 'pending' };
    case 'pin':
      return row.parent_id === null && row.status === 'approved' && !row.pinned ? { pinned: true } : null;
    case 'unpin':
      return row.pinned ? { pinned: false } : null;
  }
}

/**
 * Applies one action to up to 500 comments in one transaction, with one audit entry
 * per changed comment. Rows are locked in id order (with the parents and roots whose
 * counters change), so two moderators acting at once queue up instead of corrupting
 * counters. Ids that do not exist or lie on a site the caller does not moderate are
 * skipped; comments the action does not apply to are left as they are.
 *
 * @example
 * await applyAction(deps, principal, 'approve', ['12', '13'])
 */
export async function applyAction(
  deps: AppDeps,
  principal: Principal,
  action: ModerationAction,
  ids: readonly string[],
): Promise<ActionResult> {
  const wanted = [...new Set(ids)];
  return withRetry(() =>
    deps.db.transaction().execute(async (trx) => {
      const rows = await lockWithAncestors(trx, wanted);
      const now = deps.clock.now();
      const skipped: string[] = [];
      const previous: ActionResult['previous'] = [];
      const audit: AuditEntryInput[] = [];
      for (const id of wanted) {
        const row = rows.get(id);
        if (!row || !canModerate(principal, row.site_id)) {
          skipped.push(id);
          continue;
        }
        const change = planAction(action, row);
        if (!change) continue;
        const before = { status: row.status, pinned: row.pinned };
        if (change.pinned !== undefined) {
          await trx.updateTable('comments').set({ pinned: change.pinned }).where('id', '=', id).execute();
          // Same status: only the thread's version moves, so its page's ETag changes.
          await changeStatus(trx, row, row.status);
        } else {
          await changeStatus(trx, row, change.status, { deletedAt: now });
        }
        const after = { status: change.status ?? row.status, pinned: change.pinned ?? row.pinned };
        previous.push({ id, ...before });
        audit.push({
          principal,
          action: `comment.${action}`,
          siteId: row.site_id,
          targetType: 'comment',
          targetId: id,
          before,
          after,
        });
        // A later id in the same batch may have this one as its parent or root.
        Object.assign(row, after);
      }
      await writeAudit(trx, audit);
      const comments = await loadAdminComments(
        trx,
        deps.keys,
        previous.map((p) => p.id),
        now,
      );
      return { comments, previous, skipped };
    }),
  );
}

/** Locks the comments and the ancestors whose counters a status change touches, in id order. */
async function lockWithAncestors(trx: Transaction<Database>, ids: string[]): Promise<Map<string, Locked>> {
  if (ids.length === 0) return new Map();
  const found = await trx
    .selectFrom('comments')
    .select(['id', 'parent_id', 'root_id'])
    .where('id', 'in', ids)
    .execute();
  const all = new Set<string>();
  for (const row of found) {
    all.add(String(row.id));
    if (row.parent_id !== null) all.add(String(row.parent_id));
    if (row.root_id !== null) all.add(String(row.root_id));
  }
  if (all.size === 0) return new Map();
  const locked = await trx
    .selectFrom('comments')
    .select([
      'id',
      'site_id',
      'thread_id',
      'parent_id',
      'root_id',
      'status',
      'pinned',
      'status_before_delete',
    ])
    .where('id', 'in', [...all])
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(locked.map((row) => [String(row.id), row]));
}

/**
 * Replaces a comment's text: re-rendered, marked edited, searchable anew, audited
 * with the text before and after. A deleted comment answers 404.
 */
export async function editAsModerator(deps: AppDeps, principal: Principal, id: string, body: string) {
  const html = await renderBody(body);
  return withRetry(() =>
    deps.db.transaction().execute(async (trx) => {
      const row = await lockComment(trx, principal, id);
      if (row.status === 'deleted') throw notFound();
      const now = deps.clock.now();
      await trx
        .updateTable('comments')
        .set({
          body_md: body,
          body_html: html,
          edited_at: now,
          search_text: searchText(body, row.author_name),
        })
        .where('id', '=', id)
        .execute();
      await writeAudit(trx, {
        principal,
        action: 'comment.edit',
        siteId: row.site_id,
        targetType: 'comment',
        targetId: id,
        before: { markdown: row.body_md },
        after: { markdown: body },
      });
      await changeStatus(trx, row, row.status);
      const [comment] = await loadAdminComments(trx, deps.keys, [id], now);
      return comment as NonNullable<typeof comment>;
    }),
  );
}

/**
 * A moderator's reply: approved at once, with the badge and the moderator's display
 * name, no email; placed under the comment as a public reply would be (deeper than
 * the site allows attaches at the last level). A pending comment is approved first,
 * as WordPress's "Approve and Reply" does; a spam or deleted one cannot be answered.
 * Works on a closed thread.
 */
export async function replyAsModerator(deps: AppDeps, principal: Principal, id: string, body: string) {
  const html = await renderBody(body);
  return withRetry(() =>
    deps.db.transaction().execute(async (trx) => {
      const parent = await lockComment(trx, principal, id);
      const now = deps.clock.now();
      const audit: AuditEntryInput[] = [];
      if (parent.status === 'spam' || parent.status === 'deleted') {
        throw validationFailed('Approve or restore this comment before replying to it.');
      }
      if (parent.status === 'pending') {
        await changeStatus(trx, parent, 'approved');
        audit.push({
          principal,
          action: 'comment.approve',
          siteId: parent.site_id,
          targetType: 'comment',
          targetId: id,
          before: { status: 'pending', pinned: parent.pinned },
          after: { status: 'approved', pinned: parent.pinned },
        });
      }
      const site = await trx
        .selectFrom('sites')
        .select('max_depth')
        .where('id', '=', parent.site_id)
        .executeTakeFirstOrThrow();
      const placement = await placeReply(trx, parent.thread_id, id, site.max_depth);
      const inserted = await trx
        .insertInto('comments')
        .values({
          site_id: parent.site_id,
          thread_id: parent.thread_id,
          parent_id: placement.parentId,
          root_id: placement.rootId,
          depth: placement.depth,
          status: 'approved',
          status_before_delete: null,
          body_md: body,
          body_html: html,
          author_name: principal.displayName,
          author_website: null,
          author_moderator: true,
          author_user_id: principal.userId,
          email_enc: null,
          email_bidx: null,
          avatar_key: avatarKey(deps.keys, parent.site_id, `user:${principal.userId}`),
          ip_hash: null,
          search_text: searchText(body, principal.displayName),
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const replyId = String(inserted.id);
      audit.push({
        principal,
        action: 'comment.reply',
        siteId: parent.site_id,
        targetType: 'comment',
        targetId: replyId,
        after: {
          parentId: placement.parentId === null ? null : String(placement.parentId),
          status: 'approved',
        },
      });
      await writeAudit(trx, audit);
      await countNewComment(trx, {
        id: replyId,
        thread_id: parent.thread_id,
        parent_id: placement.parentId,
        root_id: placement.rootId,
        status: 'approved',
      });
      const [comment] = await loadAdminComments(trx, deps.keys, [replyId], now);
      return comment as NonNullable<typeof comment>;
    }),
  );
}

async function lockComment(trx: Transaction<Database>, principal: Principal, id: string) {
  const row = await trx
    .selectFrom('comments')
    .select([
      'id',
      'site_id',
      'thread_id',
      'parent_id',
      'root_id',
      'status',
      'pinned',
      'body_md',
      'author_name',
    ])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound();
  if (!canModerate(principal, row.site_id)) {
    throw new ApiError('forbidden', 'You do not moderate this site.');
  }
  return { ...row, id: String(row.id) };
}

/**
 * Closes or reopens a thread to new comments (moderators may still reply); bumps its
 * version so cached pages refresh; audited as `thread.close` / `thread.reopen`.
 */
export async function setThreadClosed(
  deps: AppDeps,
  principal: Principal,
  id: string,
  closed: boolean,
): Promise<AdminThread> {
  return deps.db.transaction().execute(async (trx) => {
    const thread = await trx
      .selectFrom('threads')
      .select(['id', 'site_id', 'closed'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!thread) throw new ApiError('not_found', 'No thread has this id.');
    if (!canModerate(principal, thread.site_id)) {
      throw new ApiError('forbidden', 'You do not moderate this site.');
    }
    if (thread.closed !== closed) {
      await trx
        .updateTable('threads')
        .set((eb) => ({ closed, version: eb('version', '+', '1') }))
        .where('id', '=', id)
        .execute();
      await writeAudit(trx, {
        principal,
        action: closed ? 'thread.close' : 'thread.reopen',
        siteId: thread.site_id,
        targetType: 'thread',
        targetId: String(id),
        before: { closed: thread.closed },
        after: { closed },
      });
    }
    const row = await trx
      .selectFrom('threads as t')
      .innerJoin('sites as s', 's.id', 't.site_id')
      .select([
        't.id',
        't.site_id',
        't.url',
        't.title',
        't.closed',
        't.comment_count',
        't.created_at',
        's.auto_close_days',
      ])
      .where('t.id', '=', id)
      .executeTakeFirstOrThrow();
    return {
      id: String(row.id),
      siteId: row.site_id,
      url: row.url,
      title: row.title,
      closed: isThreadClosed(row, row.auto_close_days, deps.clock.now()),
      commentCount: row.comment_count,
      createdAt: iso(row.created_at),
    };
  });
}

function notFound(): ApiError {
  return new ApiError('not_found', 'No comment has this id.');
}

function validationFailed(message: string): ApiError {
  return new ApiError('validation_failed', message, { fields: { id: 'invalid' } });
}
