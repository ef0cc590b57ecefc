import { type Kysely, sql } from 'kysely';

// Issue 2: a new comment's thread counter, applied when its transaction commits.
// Frozen once released: a change is a new numbered file.
//
// Every comment on a thread updates the thread's row (its approved count and the
// version in the page's ETag). Updated inside the comment's transaction, that row
// stayed locked from the update until the server had read the answer and sent
// COMMIT, so comments on one thread queued behind each other's round trips (the
// bench measured the update at 3.5 ms, nearly all of it waiting, and 18 ms once the
// rest of the transaction had shrunk). Now the transaction inserts its change into
// `thread_count_changes`, which locks nothing, and a deferred constraint trigger
// applies it to the thread during COMMIT and deletes it: the row is locked for the
// commit alone, and a rolled-back comment changes nothing. The table is empty
// outside transactions.
const statements = [
  sql`create table thread_count_changes (
    id bigint generated always as identity primary key,
    thread_id bigint not null,
    delta integer not null
  )`,
  sql`create function hiwar_apply_thread_count_change() returns trigger language plpgsql as $$
    begin
      update threads set comment_count = comment_count + new.delta, version = version + 1
      where id = new.thread_id;
      delete from thread_count_changes where id = new.id;
      return null;
    end
  $$`,
  sql`create constraint trigger thread_count_changes_apply
    after insert on thread_count_changes
    deferrable initially deferred
    for each row execute function hiwar_apply_thread_count_change()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
