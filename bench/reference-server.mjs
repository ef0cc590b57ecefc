/**
 * The bare reference of `pnpm bench`: the smallest Hono + Kysely + pg app that
 * serves a thread's first page and takes a new comment. Hiwar's thread GET and
 * its POST are measured against it.
 *
 * `GET /thread?site=S&url=U` runs, in one statement, what Hiwar's first page
 * reads: the thread by (site, 'u:' + url), its first 51 visible top-level
 * comments oldest first, and up to 11 visible replies of each, the same public
 * columns; it answers the rows as JSON (`{ comments: [...] }`). The thread id
 * comes from a scalar subquery, so the page is an index range scan at any
 * thread size (a plain join to `threads` is planned as a scan of the whole
 * thread: 60 ms on the 100 000-comment one).
 *
 * What it leaves out, on purpose: validation, URL normalization, the site
 * look-up and origin check, pinned comments, reshaping rows into the API's
 * nested objects, cursors, ETag, CORS and security headers, logging, error
 * mapping. It is the floor: what the database and the framework cost alone.
 *
 * `POST /comments` takes the body Hiwar's POST gets (`{ site, url, title, body,
 * author: { name, email } }`) and, in one transaction, does what any comment write
 * must: finds the thread by (site, 'u:' + url), making it on the first comment as
 * Hiwar does (insert … on conflict do nothing, then the look-up again), inserts a
 * top-level approved row with the body as markdown and as escaped text in a
 * `<p>`, the author's name and now(), and adds one to the thread's comment_count
 * and version; it answers 201 with `{ id }`. All ten connections write to one
 * thread, so the transactions queue for that thread's row, as Hiwar's do.
 *
 * What the POST leaves out, on purpose: validation (of the body, the URL, the
 * name), URL normalization, the site look-up and origin check, markdown
 * rendering and sanitizing, the moderators' folded search text, email
 * encryption and blind index, the avatar key (a constant: the column is not
 * null), IP hashes, the edit token, moderation and the spam words, the
 * duplicate check, bans, flood limits and form tokens, idempotency keys, the
 * answer's comment object, logging, error mapping. Its row goes into the same
 * table and indexes, but for the two partial ones on the columns it leaves
 * null (comments_author_time on the email's blind index, comments_dedupe).
 *
 * Environment: DATABASE_URL, PORT, HOST (default 127.0.0.1), POOL_SIZE (default 10,
 * the server's own pool size).
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_SIZE ?? 10),
});
const db = new Kysely({ dialect: new PostgresDialect({ pool }) });

const columns = sql.raw(
  'c.id, c.parent_id, c.root_id, c.status, c.pinned, c.body_html, c.author_name, c.author_website, ' +
    'c.author_moderator, c.avatar_key, c.created_at, c.edited_at, c.replies_count, c.children_count',
);
const visible = sql`c.status in ('approved', 'deleted') and (c.status = 'approved' or c.children_count > 0)`;

const app = new Hono();

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text) => text.replace(/[&<>"']/g, (char) => ESCAPES[char]);
/** 22 base64url characters, the shape of a real key; Hiwar derives one from the email. */
const AVATAR_KEY = 'AAAAAAAAAAAAAAAAAAAAAA';

const threadId = async (trx, site, key) =>
  (await sql`select id from threads where site_id = ${site} and key = ${key}`.execute(trx)).rows[0]?.id;

app.get('/thread', async (c) => {
  const { rows } = await sql`
    with top as (
      select ${columns}, 'top' as kind from comments c
      where c.thread_id = (select id from threads where site_id = ${c.req.query('site')} and key = ${`u:${c.req.query('url')}`})
        and c.root_id is null and not c.pinned and ${visible}
      order by c.created_at, c.id limit 51
    )
    select * from top
    union all
    select r.* from top cross join lateral (
      select ${columns}, 'reply' as kind from comments c
      where c.root_id = top.id and ${visible}
      order by c.created_at, c.id limit 11
    ) r`.execute(db);
  return c.json({ comments: rows });
});

app.post('/comments', async (c) => {
  const input = await c.req.json();
  const key = `u:${input.url}`;
  const id = await db.transaction().execute(async (trx) => {
    let thread = await threadId(trx, input.site, key);
    if (thread === undefined) {
      await sql`
        insert into threads (site_id, key, url, title) values (${input.site}, ${key}, ${input.url}, ${input.title ?? null})
        on conflict (site_id, key) do nothing`.execute(trx);
      thread = await threadId(trx, input.site, key);
    }
    const { rows } = await sql`
      insert into comments (site_id, thread_id, depth, status, body_md, body_html, author_name, avatar_key, created_at)
      values (${input.site}, ${thread}, 0, 'approved', ${input.body}, ${`<p>${escapeHtml(input.body)}</p>`},
        ${input.author.name}, ${AVATAR_KEY}, now())
      returning id`.execute(trx);
    await sql`update threads set comment_count = comment_count + 1, version = version + 1 where id = ${thread}`.execute(
      trx,
    );
    return rows[0].id;
  });
  return c.json({ id }, 201);
});

app.get('/ready', (c) => c.text('ok'));

const server = serve({
  fetch: app.fetch,
  port: Number(process.env.PORT ?? 8090),
  hostname: process.env.HOST ?? '127.0.0.1',
});

process.on('SIGTERM', () => {
  server.close();
  db.destroy().finally(() => process.exit(0));
});
