/**
 * The bench data set, written with set-based SQL through the server's own
 * migrated schema (the same statements on PostgreSQL and PGlite):
 *
 * - site `bench`: moderation none, origins http://127.0.0.1:*, every abuse rule that
 *   has a setting off (flood limits, form token, proof of work), so that the POST run
 *   measures the comment path itself
 * - site `guarded`: the same with the abuse rules on, for the POST run that measures
 *   their cost: flood limits at their default (15 s), a form token required (no
 *   minimum fill time, no proof of work), hold words and a link threshold; its
 *   threads are made by the POSTs
 * - `small`: 200 comments, 150 top-level and 50 replies (14 under the first
 *   comment, 2 under each of the next 18), all on the first page
 * - `big`: 100 000 comments, 95 000 top-level and 5 000 replies; its first page
 *   has the same shape as `small`'s, the other 4 950 replies are spread one per
 *   19 top-level comments further on
 * - `page-1` … `page-20`: n top-level comments each, for the counts request
 * - `varied-0` … `varied-1999`: (i mod 7) + 1 top-level comments each, for counts
 *   requests that each ask for another 20 of them (a counts cache sees few repeats)
 * - no thread yet for the POST pages (Hiwar's and the reference's): the first
 *   comment makes it, so that each thread counts only its run's 201s
 *
 * Rows are valid as the server writes them: approved, sanitized HTML, a 22-char
 * base64url avatar key, and stored counters (threads.comment_count,
 * comments.children_count and replies_count) computed from the rows.
 */
import { normalizePageUrl } from '@hiwar/protocol';
import { sql } from 'kysely';

export const SITE = 'bench';
export const PAGE_ORIGIN = 'http://127.0.0.1:8080';
export const pageUrl = (name) => `http://127.0.0.1/bench/${name}`;
export const COUNT_PAGES = Array.from({ length: 20 }, (_, i) => `page-${i + 1}`);
export const POST_PAGE = 'post';
/** POSTs before a timed POST run go to a page of their own, so each run's thread counts only its 201s. */
export const POST_WARMUP_PAGE = 'post-warmup';
/** The bare reference's POSTs (reference-server.mjs), on pages of their own: Hiwar's post check still holds. */
export const REFERENCE_POST_PAGE = 'post-reference';
export const REFERENCE_POST_WARMUP_PAGE = 'post-reference-warmup';
/** Rules off, but each request on a fresh connection from its own address, as the guarded run sends them. */
export const FRESH_POST_PAGE = 'post-fresh';
export const GUARDED_SITE = 'guarded';
export const GUARDED_PAGE = 'guarded';
export const GUARDED_WARMUP_PAGE = 'guarded-warmup';
/** Words the guarded site holds comments for; the bench's comments never use them, so each is checked, none held. */
export const GUARDED_HOLD_WORDS = ['casino', 'lottery', 'viagra', 'كازينو', 'يانصيب'];
/** Comments with this many links wait for a moderator on the guarded site; the bench's carry one. */
export const GUARDED_HOLD_LINKS = 2;

/** The many small threads that varied counts requests draw their 20 pages from. */
export const VARIED_PAGES = 2_000;
export const variedPage = (i) => `varied-${i}`;
/** Comments on varied page i: 1 to 7, never 0, so that a page answered as unknown is told apart. */
export const variedCount = (i) => (i % 7) + 1;

/** A page's thread key, as Hiwar (and the reference, which skips normalizing) writes it. */
export const pageKey = (name) => `u:${normalizePageUrl(pageUrl(name))}`;

const BODY =
  'a short paragraph, as readers write them, with **some emphasis** and a [link](https://example.com/read-more). ' +
  'It goes on for a second sentence, so that the page weighs what a real one does.';
const BODY_HTML =
  'a short paragraph, as readers write them, with <strong>some emphasis</strong> and a ' +
  '<a href="https://example.com/read-more" rel="nofollow ugc noopener">link</a>. ' +
  'It goes on for a second sentence, so that the page weighs what a real one does.';

const avatar = (seed) =>
  sql`translate(substr(encode(sha256(convert_to('reader-' || ${seed}, 'UTF8')), 'base64'), 1, 22), '+/', '-_')`;

async function addThread(db, name, title) {
  const { rows } = await sql`
    insert into threads (site_id, key, url, title) values (${SITE}, ${pageKey(name)}, ${normalizePageUrl(pageUrl(name))}, ${title})
    returning id`.execute(db);
  return rows[0].id;
}

async function addTopLevel(db, threadId, count) {
  await sql`
    insert into comments (site_id, thread_id, depth, status, body_md, body_html, author_name, avatar_key, created_at)
    select ${SITE}, ${threadId}, 0, 'approved',
      'Comment ' || g || ': ' || ${BODY},
      '<p>Comment ' || g || ': ' || ${BODY_HTML} || '</p>',
      'Reader ' || (g % 997),
      ${avatar(sql`(g % 997)`)},
      timestamptz '2025-01-01 00:00:00+00' + g * interval '1 second'
    from generate_series(1, ${count}::int) g`.execute(db);
}

/**
 * The VARIED_PAGES threads and their comments, in two statements whatever their
 * number: a thread's page number is the tail of its URL.
 */
async function addVaried(db) {
  const prefix = normalizePageUrl(pageUrl(variedPage('')));
  if (normalizePageUrl(pageUrl(variedPage(12))) !== `${prefix}12`)
    throw new Error(`varied page URLs do not normalize to themselves: ${prefix}`);
  await sql`
    insert into threads (site_id, key, url, title)
    select ${SITE}, 'u:' || ${prefix}::text || g, ${prefix}::text || g, 'Bench: varied counts page ' || g
    from generate_series(0, ${VARIED_PAGES - 1}::int) g`.execute(db);
  await sql`
    insert into comments (site_id, thread_id, depth, status, body_md, body_html, author_name, avatar_key, created_at)
    select ${SITE}, t.id, 0, 'approved',
      'Comment ' || k || ': ' || ${BODY},
      '<p>Comment ' || k || ': ' || ${BODY_HTML} || '</p>',
      'Reader ' || (t.n % 997),
      ${avatar(sql`(t.n % 997)`)},
      timestamptz '2025-02-01 00:00:00+00' + t.n * interval '1 minute' + k * interval '1 second'
    from (
      select id, substr(url, ${prefix.length + 1}::int)::int as n from threads
      where site_id = ${SITE} and url like ${`${prefix}%`}
    ) t
    cross join lateral generate_series(1, t.n % 7 + 1) k`.execute(db);
  return prefix;
}

/**
 * Replies under the thread's top-level comments, ranked oldest first: 14 under
 * the first, 2 under each of ranks 2–19 (50 on the first page), then one under
 * every 19th from rank 51 on, `spread` of them.
 */
async function addReplies(db, threadId, spread) {
  await sql`
    insert into comments (site_id, thread_id, parent_id, root_id, depth, status, body_md, body_html, author_name, avatar_key, created_at)
    select ${SITE}, ${threadId}, p.id, p.id, 1, 'approved',
      'Reply ' || k || ' to ' || p.id || ': ' || ${BODY},
      '<p>Reply ' || k || ' to ' || p.id || ': ' || ${BODY_HTML} || '</p>',
      'Reader ' || ((p.rn + k) % 997),
      ${avatar(sql`((p.rn + k) % 997)`)},
      p.created_at + k * interval '10 milliseconds'
    from (
      select id, created_at, row_number() over (order by created_at, id) as rn
      from comments where thread_id = ${threadId} and root_id is null
    ) p
    cross join lateral generate_series(1, case
      when p.rn = 1 then 14
      when p.rn between 2 and 19 then 2
      when p.rn > 50 and (p.rn - 51) % 19 = 0 and (p.rn - 51) / 19 < ${spread}::int then 1
      else 0 end) k`.execute(db);
}

/** Seeds a migrated, empty database; resolves with the thread ids. */
export async function seed(db) {
  // Explicitly off: the columns' defaults (migration 0004) would throttle the POST run.
  await sql`
    insert into sites (id, origins, moderation, lang, flood_seconds, challenge, pow_mode)
    values (${SITE}, ${['http://127.0.0.1:*']}, 'none', 'en', 0, 'off', 'off')`.execute(db);
  await sql`
    insert into sites (id, origins, moderation, lang, flood_seconds, thread_hourly_limit, site_hourly_limit,
      challenge, min_fill_seconds, pow_mode, hold_words, hold_links)
    values (${GUARDED_SITE}, ${['http://127.0.0.1:*']}, 'none', 'en', 15, 0, 0,
      'require', 0, 'off', ${GUARDED_HOLD_WORDS}, ${GUARDED_HOLD_LINKS})`.execute(db);

  const small = await addThread(db, 'small', 'Bench: 200 comments');
  await addTopLevel(db, small, 150);
  await addReplies(db, small, 0);

  const big = await addThread(db, 'big', 'Bench: 100 000 comments');
  await addTopLevel(db, big, 95_000);
  await addReplies(db, big, 4_950);

  for (const [i, name] of COUNT_PAGES.entries()) {
    const id = await addThread(db, name, `Bench: counts page ${i + 1}`);
    await addTopLevel(db, id, i + 1);
  }
  const variedPrefix = await addVaried(db);

  await sql`
    update comments c set children_count = r.n, replies_count = r.n
    from (select parent_id, count(*)::int as n from comments where parent_id is not null and status = 'approved' group by parent_id) r
    where c.id = r.parent_id`.execute(db);
  await sql`
    update threads t set comment_count = c.n, version = 1
    from (select thread_id, count(*)::int as n from comments where status = 'approved' group by thread_id) c
    where t.id = c.thread_id`.execute(db);
  await sql`vacuum analyze`.execute(db);

  const { rows } = await sql`select key, comment_count from threads where site_id = ${SITE}`.execute(db);
  const counts = Object.fromEntries(rows.map((row) => [row.key, row.comment_count]));
  if (counts[pageKey('small')] !== 200 || counts[pageKey('big')] !== 100_000) {
    throw new Error(
      `seed is off: small has ${counts[pageKey('small')]}, big has ${counts[pageKey('big')]} comments`,
    );
  }
  const varied = Array.from({ length: VARIED_PAGES }, (_, i) => i).filter(
    (i) => counts[`u:${variedPrefix}${i}`] !== variedCount(i),
  );
  if (varied.length > 0)
    throw new Error(
      `seed is off: ${varied.length} varied pages have the wrong count (page ${varied[0]} first)`,
    );
  return {
    small,
    big,
    expectedCounts: Object.fromEntries(COUNT_PAGES.map((name, i) => [pageUrl(name), i + 1])),
  };
}
