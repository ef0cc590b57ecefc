import { type Kysely, sql } from 'kysely';

// Issue 4: accounts, sessions, API tokens, login throttling, bans, the audit log, and the
// columns moderation needs. Frozen once released: a change is a new numbered file.
const statements = [
  sql`create table users (
    id bigint generated always as identity primary key,
    username text not null,
    display_name text not null,
    password_hash text not null,
    role text not null check (role in ('owner', 'moderator')),
    disabled boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  // Usernames are unique without regard to case.
  sql`create unique index users_username on users (lower(username))`,
  sql`create table user_sites (
    user_id bigint not null references users (id) on delete cascade,
    site_id text not null references sites (id) on delete cascade,
    primary key (user_id, site_id)
  )`,
  // The cookie holds a random id; only its hash is stored, so a database leak opens no session.
  sql`create table sessions (
    id_hash bytea primary key,
    user_id bigint not null references users (id) on delete cascade,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    expires_at timestamptz not null
  )`,
  sql`create index sessions_user on sessions (user_id)`,
  sql`create index sessions_expires on sessions (expires_at)`,
  sql`create table api_tokens (
    id bigint generated always as identity primary key,
    user_id bigint not null references users (id) on delete cascade,
    name text not null,
    prefix text not null,
    token_hash bytea not null unique,
    created_at timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at timestamptz
  )`,
  sql`create index api_tokens_user on api_tokens (user_id)`,
  // Failed logins, keyed by a keyed hash of the client network and of (username, network).
  sql`create table login_failures (
    id bigint generated always as identity primary key,
    key_hash bytea not null,
    at timestamptz not null default now()
  )`,
  sql`create index login_failures_key on login_failures (key_hash, at)`,
  sql`create table bans (
    id bigint generated always as identity primary key,
    site_id text not null references sites (id) on delete cascade,
    kind text not null check (kind in ('email', 'ip', 'name')),
    effect text not null default 'ban' check (effect in ('ban', 'hold')),
    value_hash bytea not null,
    label_enc bytea not null,
    reason text,
    created_by bigint references users (id) on delete set null,
    created_at timestamptz not null default now(),
    expires_at timestamptz
  )`,
  sql`create index bans_match on bans (site_id, kind, value_hash)`,
  // Written in the same transaction as the action it records. No foreign keys: an entry
  // outlives the user, site or comment it names.
  sql`create table audit_log (
    id bigint generated always as identity primary key,
    at timestamptz not null default now(),
    user_id bigint,
    actor text,
    action text not null,
    site_id text,
    target_type text,
    target_id text,
    before jsonb,
    after jsonb
  )`,
  sql`create index audit_log_site on audit_log (site_id, id)`,
  // A moderator's reply points at their account.
  sql`alter table comments add column author_user_id bigint references users (id) on delete set null`,
  // Keyed hash of the IPv4 address or the IPv6 /64 the comment came from: bans and floods by network.
  sql`alter table comments add column ip_net_hash bytea`,
  // Body and name folded for the admin search: Arabic diacritics and tatweel removed, alef
  // and yeh forms unified, lower case. Never holds an email address.
  sql`alter table comments add column search_text text`,
  // The queue: one site (or all), one status, newest or oldest first, by id.
  sql`create index comments_queue on comments (site_id, status, id)`,
  sql`create index comments_ip_net on comments (site_id, ip_net_hash)`,
  // The queue's default view (every status but deleted) on one site, by id; and one status
  // across every site (an owner's "pending" tab), by id.
  sql`create index comments_queue_live on comments (site_id, id) where status <> 'deleted'`,
  sql`create index comments_status on comments (status, id)`,
  sql`alter table sites add column auto_close_days integer not null default 0 check (auto_close_days between 0 and 36500)`,
  sql`alter table sites add column hold_words text[] not null default '{}'`,
  sql`alter table sites add column reject_words text[] not null default '{}'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
