/**
 * The bare reference of `pnpm bench`: the smallest Hono + Kysely + pg app that
 * serves a thread's first page. Hiwar's thread GET is measured against it.
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
