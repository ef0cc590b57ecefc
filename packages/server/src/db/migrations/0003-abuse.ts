import { type Kysely, sql } from 'kysely';

// Issue 5: abuse control. Frozen once released: a change is a new numbered file.
const statements = [
  // A comment with this many links or more waits for a moderator; 0 turns the rule off.
  sql`alter table sites add column hold_links integer not null default 2 check (hold_links between 0 and 1000)`,
  // Keyed hash of (thread, author, folded body): duplicate detection. Null on comments
  // written before this migration, and on moderators' replies.
  sql`alter table comments add column dedupe_hash bytea`,
  sql`create index comments_dedupe on comments (thread_id, dedupe_hash) where dedupe_hash is not null`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
