import { type Kysely, sql } from 'kysely';

// Frozen: a released migration is never edited; a change is a new numbered file.
const statements = [
  sql`create table server_meta (
    key text primary key,
    value text not null
  )`,
  sql`create table sites (
    id text primary key check (id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    origins text[] not null default '{}',
    moderation text not null default 'first-time' check (moderation in ('none', 'first-time', 'all')),
    lang text not null default 'ar' check (lang in ('ar', 'en')),
    edit_window_minutes integer not null default 15 check (edit_window_minutes between 0 and 10080),
    max_depth integer not null default 5 check (max_depth between 1 and 20),
    settings jsonb not null default '{}',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  sql`create table threads (
    id bigint generated always as identity primary key,
    site_id text not null references sites (id) on delete cascade,
    key text not null,
    url text,
    title text,
    closed boolean not null default false,
    comment_count integer not null default 0 check (comment_count >= 0),
    version bigint not null default 0,
    created_at timestamptz not null default now(),
    unique (site_id, key)
  )`,
  sql`create table comments (
    id bigint generated always as identity primary key,
    site_id text not null references sites (id) on delete cascade,
    thread_id bigint not null references threads (id) on delete cascade,
    parent_id bigint references comments (id) on delete cascade,
    root_id bigint references comments (id) on delete cascade,
    depth integer not null default 0,
    status text not null check (status in ('approved', 'pending', 'spam', 'deleted')),
    status_before_delete text check (status_before_delete in ('approved', 'pending', 'spam')),
    pinned boolean not null default false,
    body_md text not null,
    body_html text not null,
    author_name text not null,
    author_website text,
    author_moderator boolean not null default false,
    email_enc bytea,
    email_bidx bytea,
    avatar_key text not null,
    ip_hash bytea,
    notify_replies boolean not null default false,
    children_count integer not null default 0 check (children_count >= 0),
    replies_count integer not null default 0 check (replies_count >= 0),
    created_at timestamptz not null default now(),
    edited_at timestamptz,
    deleted_at timestamptz,
    check ((parent_id is null) = (root_id is null))
  )`,
  // A thread's first page (either sort) and every later page: one index range scan.
  sql`create index comments_top_level on comments (thread_id, created_at, id)
    where root_id is null and not pinned and status in ('approved', 'deleted')`,
  sql`create index comments_pinned on comments (thread_id, created_at, id)
    where root_id is null and pinned and status in ('approved', 'deleted')`,
  // A page of replies to one top-level comment.
  sql`create index comments_replies on comments (root_id, created_at, id)
    where root_id is not null and status in ('approved', 'deleted')`,
  sql`create index comments_parent on comments (parent_id) where parent_id is not null`,
  // "Has this author an approved comment on this site?" and, later, a commenter's history.
  sql`create index comments_author on comments (site_id, email_bidx, status)`,
  sql`create index comments_thread_status on comments (thread_id, status, created_at)`,
  sql`create table edit_tokens (
    comment_id bigint primary key references comments (id) on delete cascade,
    token_hash bytea not null,
    created_at timestamptz not null default now()
  )`,
  sql`create table idempotency_keys (
    site_id text not null references sites (id) on delete cascade,
    key_hash bytea not null,
    request_hash bytea not null,
    response_enc bytea,
    created_at timestamptz not null default now(),
    primary key (site_id, key_hash)
  )`,
  sql`create index idempotency_keys_created on idempotency_keys (created_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
