import type { AdminComment, CommentStatus } from '@hiwar/protocol';
import type { Kysely, Transaction } from 'kysely';
import { isThreadClosed } from '../comments/author-rules.js';
import { avatarPath, iso } from '../comments/public-comment.js';
import { decryptEmail, type Keys } from '../crypto/keys.js';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const EXCERPT_LENGTH = 140;

/**
 * Comments as moderators see them: with the thread, the parent's author and
 * opening words, and the encrypted email (decrypted by {@link toAdminComment}).
 * Callers add their conditions, order and limit.
 *
 * @example
 * const rows = await adminCommentQuery(db).where('c.id', 'in', ids).execute()
 */
export function adminCommentQuery(db: Db) {
  return db
    .selectFrom('comments as c')
    .innerJoin('threads as t', 't.id', 'c.thread_id')
    .innerJoin('sites as s', 's.id', 'c.site_id')
    .leftJoin('comments as p', 'p.id', 'c.parent_id')
    .select([
      'c.id',
      'c.site_id',
      'c.parent_id',
      'c.status',
      'c.status_before_delete',
      'c.author_name',
      'c.author_website',
      'c.author_moderator',
      'c.avatar_key',
      'c.email_enc',
      'c.body_md',
      'c.body_html',
      'c.created_at',
      'c.edited_at',
      'c.pinned',
      'c.thread_id',
      't.url as thread_url',
      't.title as thread_title',
      't.closed as thread_closed',
      't.created_at as thread_created_at',
      's.auto_close_days',
      'p.author_name as parent_author',
      (eb) => eb.fn<string | null>('left', ['p.body_md', eb.val(EXCERPT_LENGTH * 2)]).as('parent_excerpt'),
    ]);
}

export interface AdminCommentRow {
  id: string;
  site_id: string;
  parent_id: string | null;
  status: CommentStatus;
  status_before_delete: CommentStatus | null;
  author_name: string;
  author_website: string | null;
  author_moderator: boolean;
  avatar_key: string;
  email_enc: Uint8Array | null;
  body_md: string;
  body_html: string;
  created_at: Date | string;
  edited_at: Date | string | null;
  pinned: boolean;
  thread_id: string;
  thread_url: string | null;
  thread_title: string | null;
  thread_closed: boolean;
  thread_created_at: Date | string;
  auto_close_days: number;
  parent_author: string | null;
  parent_excerpt: string | null;
}

/** The wire shape; the email is decrypted here, for an authenticated moderator only. */
export function toAdminComment(row: AdminCommentRow, keys: Keys, now: Date): AdminComment {
  return {
    id: String(row.id),
    siteId: row.site_id,
    parentId: row.parent_id === null ? null : String(row.parent_id),
    status: row.status,
    statusBeforeDelete: row.status_before_delete,
    author: {
      name: row.author_name,
      website: row.author_website,
      avatar: avatarPath(row.avatar_key),
      moderator: row.author_moderator,
      email: row.email_enc ? decryptEmail(keys, row.email_enc) : null,
    },
    markdown: row.body_md,
    html: row.body_html,
    createdAt: iso(row.created_at),
    editedAt: row.edited_at === null ? null : iso(row.edited_at),
    pinned: row.pinned,
    thread: {
      id: String(row.thread_id),
      url: row.thread_url,
      title: row.thread_title,
      closed: isThreadClosed(
        { closed: row.thread_closed, created_at: row.thread_created_at },
        row.auto_close_days,
        now,
      ),
    },
    parent:
      row.parent_id === null
        ? null
        : {
            id: String(row.parent_id),
            authorName: row.parent_author ?? '',
            excerpt: excerpt(row.parent_excerpt ?? ''),
          },
  };
}

function excerpt(markdown: string): string {
  const flat = markdown.replace(/\s+/gu, ' ').trim();
  const chars = [...flat];
  return chars.length <= EXCERPT_LENGTH ? flat : `${chars.slice(0, EXCERPT_LENGTH - 1).join('')}…`;
}

/** Admin comments by id, in the order of `ids` (missing ones left out). */
export async function loadAdminComments(
  db: Db,
  keys: Keys,
  ids: readonly string[],
  now: Date,
): Promise<AdminComment[]> {
  if (ids.length === 0) return [];
  const rows = await adminCommentQuery(db).where('c.id', 'in', ids).execute();
  const byId = new Map(rows.map((row) => [String(row.id), toAdminComment(row, keys, now)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
