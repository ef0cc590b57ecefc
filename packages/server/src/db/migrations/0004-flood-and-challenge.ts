import { type Kysely, sql } from 'kysely';

// Issue 5, second part: flood limits, form tokens and proof of work, the spam checker.
// Frozen once released: a change is a new numbered file.
const statements = [
  // One comment per this many seconds per network (IPv4 address, IPv6 /64) and per
  // author (email blind index), as WordPress's comment flood check; 0 turns it off.
  sql`alter table sites add column flood_seconds integer not null default 15 check (flood_seconds between 0 and 86400)`,
  // Ceilings: comments per hour on one thread and on the whole site; 0 is no ceiling.
  sql`alter table sites add column thread_hourly_limit integer not null default 0 check (thread_hourly_limit between 0 and 1000000)`,
  sql`alter table sites add column site_hourly_limit integer not null default 0 check (site_hourly_limit between 0 and 1000000)`,
  // The form token of GET /api/v1/challenge: 'off' ignores it, 'hold' holds a comment
  // without a valid one, 'require' refuses it (403 challenge_required).
  sql`alter table sites add column challenge text not null default 'hold' check (challenge in ('off', 'hold', 'require'))`,
  // Seconds a person needs at least between the form token and the submission.
  sql`alter table sites add column min_fill_seconds integer not null default 3 check (min_fill_seconds between 0 and 3600)`,
  // Proof of work: never, only while the site is flooded, or always.
  sql`alter table sites add column pow_mode text not null default 'flood' check (pow_mode in ('off', 'flood', 'always'))`,
  // Leading zero bits of SHA-256(formToken ":" proof).
  sql`alter table sites add column pow_difficulty integer not null default 16 check (pow_difficulty between 1 and 32)`,
  // Comments on the site in the last 10 minutes from which it counts as flooded.
  sql`alter table sites add column pow_flood_threshold integer not null default 60 check (pow_flood_threshold between 1 and 1000000)`,
  // The spam-checking service ('off' or 'akismet'), its key sealed with the server's
  // encryption key, and whether the commenter's email is sent to it.
  sql`alter table sites add column spam_checker text not null default 'off' check (spam_checker in ('off', 'akismet'))`,
  sql`alter table sites add column akismet_key_enc bytea`,
  sql`alter table sites add column spam_check_email boolean not null default false`,
  // Form tokens already used, kept until they expire: single use on every instance.
  sql`create table used_form_tokens (
    token_id bytea primary key,
    expires_at timestamptz not null
  )`,
  sql`create index used_form_tokens_expiry on used_form_tokens (expires_at)`,
  // Flood look-ups: the latest comment of a network or an author on a site, and the
  // comments of a thread or a site in the last hour.
  sql`drop index comments_ip_net`,
  sql`create index comments_ip_net on comments (site_id, ip_net_hash, created_at)`,
  sql`create index comments_author_time on comments (site_id, email_bidx, created_at) where email_bidx is not null`,
  sql`create index comments_thread_time on comments (thread_id, created_at)`,
  sql`create index comments_site_time on comments (site_id, created_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
