import type { Comment, ThreadComment, ThreadSort } from '@hiwar/sdk';

/**
 * A top-level comment as the widget holds it: its replies (every depth, oldest
 * first, as the API sends them) and the cursor of their next page.
 */
export interface CommentNode {
  comment: Comment;
  replies: Comment[];
  repliesCursor: string | null;
}

export const toNode = ({
  replies,
  repliesCursor,
  replyCount: _,
  ...comment
}: ThreadComment): CommentNode => ({
  comment,
  replies,
  repliesCursor,
});

/** The comment with this id, top-level or reply, and the node it belongs to. */
export function findComment(
  nodes: readonly CommentNode[],
  id: string,
): { node: CommentNode; comment: Comment } | undefined {
  for (const node of nodes) {
    const comment = node.comment.id === id ? node.comment : node.replies.find((r) => r.id === id);
    if (comment) return { node, comment };
  }
  return undefined;
}

/** Items of `list` not in `incoming` (by id), then `incoming`: a page appended without duplicates. */
export function appendById<T>(list: readonly T[], incoming: readonly T[], id: (item: T) => string): T[] {
  const ids = new Set(incoming.map(id));
  return [...list.filter((item) => !ids.has(id(item))), ...incoming];
}

/**
 * Adds a comment this browser posted: a reply after its siblings, a top-level
 * comment where the sort puts new ones (after pinned ones when newest first, else
 * last). Unchanged when it is already there or its parent is not loaded.
 */
export function insertComment(
  nodes: readonly CommentNode[],
  comment: Comment,
  sort: ThreadSort,
): CommentNode[] {
  if (findComment(nodes, comment.id)) return [...nodes];
  if (comment.parentId === null) {
    const node = { comment, replies: [], repliesCursor: null };
    const at = sort === 'oldest' ? -1 : nodes.findIndex((n) => !n.comment.pinned);
    return at === -1 ? [...nodes, node] : [...nodes.slice(0, at), node, ...nodes.slice(at)];
  }
  const parent = findComment(nodes, comment.parentId)?.node;
  return nodes.map((n) => (n === parent ? { ...n, replies: [...n.replies, comment] } : n));
}

/**
 * Applies `change` to one comment wherever it is; a null result takes it out.
 */
export function updateComment(
  nodes: readonly CommentNode[],
  id: string,
  change: (comment: Comment) => Comment | null,
): CommentNode[] {
  const out: CommentNode[] = [];
  for (const n of nodes) {
    if (n.comment.id === id) {
      const comment = change(n.comment);
      if (comment) out.push({ ...n, comment });
    } else {
      out.push(
        n.replies.some((r) => r.id === id)
          ? { ...n, replies: n.replies.flatMap((r) => (r.id === id ? (change(r) ?? []) : r)) }
          : n,
      );
    }
  }
  return out;
}

/**
 * The replies of a top-level comment as a tree: parent id → children, in the
 * order loaded. A reply whose parent is not shown hangs under the top-level comment.
 */
export function replyTree(node: CommentNode): Map<string, Comment[]> {
  const shown = new Set([node.comment.id, ...node.replies.map((r) => r.id)]);
  const children = new Map<string, Comment[]>();
  for (const reply of node.replies) {
    const parent = reply.parentId && shown.has(reply.parentId) ? reply.parentId : node.comment.id;
    children.set(parent, [...(children.get(parent) ?? []), reply]);
  }
  return children;
}
