import type { CommentStatus } from '@hiwar/protocol';
import type { Kysely } from 'kysely';
import { beforeEach } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import type { TestContext } from '../harness.js';
import { type SignedIn, signIn } from './admin.js';

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

// ---------------------------------------------------------------------------------
// Moderation suites (admin-*.test.ts)

/** A JSON request to the admin API with the given headers; body sent as JSON when given. */
export async function adminCall(
  t: { request(path: string, init?: RequestInit & { ip?: string }): Promise<Response> },
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; json: AdminJson; headers: Headers }> {
  const res = await t.request(path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies under test
export type AdminJson = any;

/** Recomputes every stored counter from the rows and returns the differences (none: []). */
export async function counterDrift(db: Kysely<Database>): Promise<unknown[]> {
  const { sql } = await import('kysely');
  const threads = await sql<{ id: string; stored: number; actual: number }>`
    select t.id, t.comment_count as stored,
      (select count(*)::int from comments c where c.thread_id = t.id and c.status = 'approved') as actual
    from threads t`.execute(db);
  const comments = await sql<{
    id: string;
    children: number;
    children_actual: number;
    replies: number;
    replies_actual: number;
  }>`
    select c.id, c.children_count as children,
      (select count(*)::int from comments k where k.parent_id = c.id and k.status = 'approved') as children_actual,
      c.replies_count as replies,
      (select count(*)::int from comments k where k.root_id = c.id and k.status = 'approved') as replies_actual
    from comments c`.execute(db);
  return [
    ...threads.rows.filter((r) => r.stored !== r.actual),
    ...comments.rows.filter((r) => r.children !== r.children_actual || r.replies !== r.replies_actual),
  ];
}

/** Who the moderation suites act as: an owner, a moderator of `news`, a moderator of `other`. */
export interface ModerationCast {
  owner: SignedIn;
  mod: SignedIn;
  otherMod: SignedIn;
}

/**
 * Registers a beforeEach that adds sites `news` (policy `all`: comments wait) and `other`,
 * and signs in an owner and a moderator of each; read the cast inside tests.
 */
export function useModerationCast(t: TestContext, otherPolicy: 'none' | 'all' = 'none'): ModerationCast {
  const cast = {} as ModerationCast;
  beforeEach(async () => {
    await t.addSite({ id: 'news', moderation: 'all' });
    await t.addSite({ id: 'other', origins: ['https://other.example'], moderation: otherPolicy });
    cast.owner = await signIn(t, { role: 'owner' });
    cast.mod = await signIn(t, { role: 'moderator', sites: ['news'] });
    cast.otherMod = await signIn(t, { role: 'moderator', sites: ['other'] });
  });
  return cast;
}

/** The thread a comment belongs to. */
export async function threadOf(db: Kysely<Database>, commentId: string): Promise<string> {
  const row = await db
    .selectFrom('comments')
    .select('thread_id')
    .where('id', '=', commentId)
    .executeTakeFirstOrThrow();
  return row.thread_id;
}

/**
 * Everything the database holds on disk, as lower-case text: `pg_dump` of PostgreSQL,
 * or every file of the PGlite data folder after a checkpoint (read as latin1).
 */
export async function databaseText(t: TestContext): Promise<string> {
  const { sql } = await import('kysely');
  const { spawnSync } = await import('node:child_process');
  const { readdirSync, readFileSync, statSync } = await import('node:fs');
  const { join } = await import('node:path');
  if (t.kind === 'postgres') {
    const bin = process.env.HIWAR_TEST_PG_BIN;
    const candidates = [
      ...(bin ? [join(bin, 'pg_dump')] : []),
      'pg_dump',
      '/usr/lib/postgresql/15/bin/pg_dump',
    ];
    const pgDump = candidates.find((c) => spawnSync(c, ['--version']).status === 0);
    if (!pgDump) throw new Error('No pg_dump found; set HIWAR_TEST_PG_BIN.');
    const dump = spawnSync(pgDump, ['--no-owner', '--dbname', t.location], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (dump.status !== 0) throw new Error(dump.stderr);
    return dump.stdout.toLowerCase();
  }
  await sql`checkpoint`.execute(t.db);
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      const stat = statSync(path);
      return stat.isDirectory() ? walk(path) : stat.isFile() ? [path] : [];
    });
  return walk(t.location)
    .map((file) => readFileSync(file).toString('latin1'))
    .join('\n')
    .toLowerCase();
}
