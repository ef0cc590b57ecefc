import type { CommentStatus } from '@hiwar/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';

/**
 * Direct inserts for suites that need many rows: far faster than POSTs. The
 * caller sets the stored counters (thread comment_count, replies_count,
 * children_count) the way the server would have.
 */

export const SEED_AVATAR = 'seedavatarkey0000000';
export const BASE_TIME = new Date('2025-06-01T00:00:00.000Z');

/** A thread row; returns its id. */
export async function seedThread(
  db: Kysely<Database>,
  thread: {
    site?: string;
    url?: string;
    id?: string;
    title?: string;
    commentCount?: number;
    closed?: boolean;
  },
): Promise<string> {
  const key = thread.id !== undefined ? `i:${thread.id}` : `u:${thread.url}`;
  const row = await db
    .insertInto('threads')
    .values({
      site_id: thread.site ?? 'news',
      key,
      url: thread.url ?? null,
      title: thread.title ?? null,
      comment_count: thread.commentCount ?? 0,
      closed: thread.closed ?? false,
      created_at: BASE_TIME,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface SeedComment {
  threadId: string;
  site?: string;
  parentId?: string | null;
  rootId?: string | null;
  depth?: number;
  status?: CommentStatus;
  pinned?: boolean;
  body?: string;
  name?: string;
  createdAt: Date;
  repliesCount?: number;
  childrenCount?: number;
}

/** Inserts comments in chunks, in the order given; returns their ids in that order. */
export async function seedComments(db: Kysely<Database>, comments: SeedComment[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < comments.length; start += 1_000) {
    const chunk = comments.slice(start, start + 1_000);
    const rows = await db
      .insertInto('comments')
      .values(
        chunk.map((c, i) => ({
          site_id: c.site ?? 'news',
          thread_id: c.threadId,
          parent_id: c.parentId ?? null,
          root_id: c.rootId ?? c.parentId ?? null,
          depth: c.depth ?? (c.parentId ? 1 : 0),
          status: c.status ?? 'approved',
          status_before_delete: null,
          pinned: c.pinned ?? false,
          body_md: c.body ?? `seed ${start + i}`,
          body_html: `<p>${c.body ?? `seed ${start + i}`}</p>\n`,
          author_name: c.name ?? `reader ${start + i}`,
          author_website: null,
          email_enc: null,
          email_bidx: null,
          avatar_key: SEED_AVATAR,
          ip_hash: null,
          created_at: c.createdAt,
          replies_count: c.repliesCount ?? 0,
          children_count: c.childrenCount ?? 0,
        })),
      )
      .returning('id')
      .execute();
    // RETURNING gives rows in insertion order for a multi-row VALUES insert.
    ids.push(...rows.map((row) => row.id));
  }
  return ids;
}

/** `BASE_TIME` plus `seconds`. */
export const at = (seconds: number) => new Date(BASE_TIME.getTime() + seconds * 1_000);
