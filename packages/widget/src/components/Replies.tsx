import type { Comment } from '@hiwar/sdk';
import { CommentItem } from './CommentItem.js';

/** The replies under one comment, each with its own replies. */
export function Replies({ tree, parent }: { tree: Map<string, Comment[]>; parent: string }) {
  const list = tree.get(parent);
  return (
    list && (
      <ol part="replies">
        {list.map((reply) => (
          <li key={reply.id}>
            <CommentItem comment={reply} />
            <Replies tree={tree} parent={reply.id} />
          </li>
        ))}
      </ol>
    )
  );
}
