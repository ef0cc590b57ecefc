import type { ActionResult, AdminComment, CommentStatus, ModerationAction } from '@hiwar/protocol';

/**
 * The actions that put comments back as they were before an action: for each,
 * the action that leads from its status now to its status before (restore for a
 * deleted one, «غير مزعج» to go from spam back to pending…), and pin or unpin.
 * Comments needing the same action are grouped, so an undo of a bulk action is
 * one request per kind of change.
 *
 * @example
 * undoPlan(result) // → [{ action: 'not_spam', ids: ['12', '13'] }]
 */
export function undoPlan(result: Pick<ActionResult, 'comments' | 'previous'>) {
  const now = new Map<string, AdminComment>(result.comments.map((c) => [c.id, c]));
  const groups = new Map<ModerationAction, string[]>();
  const add = (action: ModerationAction, id: string) => {
    const ids = groups.get(action) ?? [];
    ids.push(id);
    groups.set(action, ids);
  };
  for (const before of result.previous) {
    const after = now.get(before.id);
    if (!after) continue;
    const action = statusStep(after.status, before.status);
    if (action) add(action, before.id);
    if (after.pinned !== before.pinned) add(before.pinned ? 'pin' : 'unpin', before.id);
  }
  return [...groups].map(([action, ids]) => ({ action, ids }));
}

function statusStep(from: CommentStatus, to: CommentStatus): ModerationAction | null {
  if (from === to) return null;
  if (to === 'deleted') return 'delete';
  if (from === 'deleted') return 'restore';
  if (to === 'approved') return 'approve';
  if (to === 'spam') return 'spam';
  return from === 'spam' ? 'not_spam' : 'unapprove';
}
