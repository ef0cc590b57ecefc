import type { Comment, CommentStatus } from '@hiwar/protocol';

/**
 * The only columns public code reads from `comments`. The private ones
 * (email_enc, email_bidx, ip_hash) are not in this list, so no public response
 * can carry them by accident.
 */
export const PUBLIC_COMMENT_COLUMNS = [
  'id',
  'parent_id',
  'root_id',
  'status',
  'pinned',
  'body_html',
  'author_name',
  'author_website',
  'author_moderator',
  'avatar_key',
  'created_at',
  'edited_at',
  'replies_count',
  'children_count',
] as const;

export interface PublicCommentRow {
  id: string;
  parent_id: string | null;
  root_id: string | null;
  status: CommentStatus;
  pinned: boolean;
  body_html: string;
  author_name: string;
  author_website: string | null;
  author_moderator: boolean;
  avatar_key: string;
  created_at: Date;
  edited_at: Date | null;
  replies_count: number;
  children_count: number;
}

export const avatarPath = (key: string) => `/api/v1/avatars/${key}.svg`;

/**
 * The public face of a comment. A deleted one is a placeholder: no text, no author.
 * A comment its author sees while it waits (`spam` included, as WordPress does)
 * shows as `pending`.
 */
export function toPublicComment(row: PublicCommentRow): Comment {
  const deleted = row.status === 'deleted';
  return {
    id: row.id,
    parentId: row.parent_id,
    status: row.status === 'spam' ? 'pending' : row.status,
    author: deleted
      ? { name: '', website: null, avatar: '', moderator: false }
      : {
          name: row.author_name,
          website: row.author_website,
          avatar: avatarPath(row.avatar_key),
          moderator: row.author_moderator,
        },
    html: deleted ? '' : row.body_html,
    createdAt: iso(row.created_at),
    editedAt: row.edited_at && !deleted ? iso(row.edited_at) : null,
    deleted,
    pinned: row.pinned,
  };
}

export function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
