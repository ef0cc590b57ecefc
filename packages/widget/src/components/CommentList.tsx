import type { CommentNode } from '../models/tree.js';
import { replyTree } from '../models/tree.js';
import { CommentItem } from './CommentItem.js';
import { LoadMore } from './LoadMore.js';
import { Replies } from './Replies.js';

/** The top-level comments, each with its replies nested under it. */
export function CommentList({ nodes }: { nodes: CommentNode[] }) {
  return (
    <ol part="thread">
      {nodes.map((node) => (
        <li key={node.comment.id}>
          <CommentItem comment={node.comment} />
          <Replies tree={replyTree(node)} parent={node.comment.id} />
          {node.repliesCursor && <LoadMore root={node.comment.id} />}
        </li>
      ))}
    </ol>
  );
}
