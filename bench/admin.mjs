/**
 * `pnpm bench:admin` (or `node bench/admin.mjs` after `pnpm build`): the moderation API
 * with 100 000 comments in the database, on PostgreSQL and on PGlite.
 *
 * Seeds two sites with set-based SQL (INSERT … SELECT generate_series): `news` with
 * 90 000 comments over 50 threads, `other` with 10 000; statuses 88 % approved, 8 %
 * pending, 3 % spam, 1 % deleted; folded search text as the server writes it. Then
 * drives the app in process (`app.request`, no socket, so the figures are the server's
 * and the database's, not the network's) with an owner's API token:
 *
 * - the queue's first page of pending comments on one site, on every site, the default
 *   view (every status but deleted), a filtered page (thread + status + date range), the
 *   20th page by cursor, a search for a common word and for a word no comment has
 *   (the worst case: every row of the site is read), the counts per status;
 * - a 100-comment bulk approve, undone by a bulk unapprove between rounds.
 *
 * Each request runs WARMUP times, then ROUNDS times; the report gives the median and the
 * 95th percentile in milliseconds, and on PostgreSQL the plan of each queue query.
 * `ADMIN_BENCH_ROUNDS=n` changes the rounds (default 30); `ADMIN_BENCH_PGLITE=0` skips PGlite.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { startCluster } from '../scripts/pg-cluster.mjs';

const ROUNDS = Number(process.env.ADMIN_BENCH_ROUNDS ?? 30);
const WARMUP = 5;
const TOTAL = 100_000;
const SECRET = 'admin-bench-secret-admin-bench-secret';
const TOKEN = `hiwar_${'b'.repeat(43)}`;
const WORDS = [
  'السياسه',
  'الاقتصاد',
  'الرياضه',
  'محمد',
  'احمد',
  'الحكومه',
  'المدرسه',
  'الطقس',
  'السوق',
  'الانتخابات',
];

const log = (line) => process.stderr.write(`[admin-bench] ${line}\n`);

async function seed(db) {
  await sql`insert into sites (id, origins, moderation) values
    ('news', '{https://news.example}', 'first-time'), ('other', '{https://other.example}', 'first-time')`.execute(
    db,
  );
  await sql`insert into threads (site_id, key, url, title, created_at)
    select case when g <= 50 then 'news' else 'other' end, 'u:https://news.example/a/' || g,
      'https://news.example/a/' || g, 'مقال ' || g, timestamptz '2025-01-01 00:00:00+00'
    from generate_series(1, 55) g`.execute(db);
  // 90 % of comments on news (threads 1..50), 10 % on other (51..55); ids follow time.
  await sql`insert into comments (site_id, thread_id, depth, status, status_before_delete, body_md, body_html,
      author_name, avatar_key, created_at, search_text)
    select s.site, s.thread, 0, s.status, case when s.status = 'deleted' then 'approved' end,
      'تعليق رقم ' || g || ' عن ' || (${sql.val(WORDS)}::text[])[1 + g % 10],
      '<p>تعليق رقم ' || g || ' عن ' || (${sql.val(WORDS)}::text[])[1 + g % 10] || '</p>',
      'قارئ ' || (g % 997), 'benchavatar00000000000',
      timestamptz '2025-01-01 00:00:00+00' + g * interval '30 seconds',
      'تعليق رقم ' || g || ' عن ' || (${sql.val(WORDS)}::text[])[1 + g % 10] || E'\n' || 'قارئ ' || (g % 997)
    from generate_series(1, ${TOTAL}::int) g
    cross join lateral (select
      case when g % 10 = 0 then 'other' else 'news' end as site,
      case when g % 10 = 0 then 51 + (g / 10) % 5 else 1 + g % 50 end as thread,
      case when g % 100 < 88 then 'approved' when g % 100 < 96 then 'pending'
           when g % 100 < 99 then 'spam' else 'deleted' end as status) s`.execute(db);
  await sql`update threads t set comment_count =
    (select count(*) from comments c where c.thread_id = t.id and c.status = 'approved')`.execute(db);
  const { rows } = await sql`insert into users (username, display_name, password_hash, role)
    values ('bench', 'Bench', 'x', 'owner') returning id`.execute(db);
  await sql`insert into api_tokens (user_id, name, prefix, token_hash)
    values (${rows[0].id}, 'bench', 'hiwar_bbbbbb', ${createHash('sha256').update(TOKEN).digest()})`.execute(
    db,
  );
  await sql`analyze`.execute(db);
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: Number(at(0.5).toFixed(2)), p95: Number(at(0.95).toFixed(2)) };
}

async function measure(run) {
  for (let i = 0; i < WARMUP; i++) await run(i);
  const samples = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await run(WARMUP + i);
    samples.push(performance.now() - started);
  }
  return stats(samples);
}

async function benchOne(server, kind, options) {
  const keys = server.deriveKeys(SECRET);
  const handle = await server.openDatabase(options);
  try {
    await server.prepareDatabase(handle.db, keys, kind);
    let started = performance.now();
    await seed(handle.db);
    log(`${kind}: seeded ${TOTAL} comments in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const config = {
      port: 0,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:8080',
      databaseUrl: options.databaseUrl,
      dataDir: options.dataDir ?? '',
      secret: SECRET,
      trustedProxies: [],
      akismetUrl: 'https://rest.akismet.com/1.1',
      spamCheckTimeoutMs: 3_000,
      logLevel: 'warn',
    };
    const { app } = server.createApp({ db: handle.db, config, keys, logger: server.createLogger('warn') });
    const headers = { authorization: `Bearer ${TOKEN}` };
    const get = async (url) => {
      const res = await app.request(url, { headers });
      if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const q = (params) => `/api/v1/admin/comments?${new URLSearchParams(params)}`;
    let cursor20 = null;
    {
      let page = await get(q({ site: 'news', status: 'approved' }));
      for (let i = 1; i < 19; i++)
        page = await get(q({ site: 'news', status: 'approved', cursor: page.nextCursor }));
      cursor20 = page.nextCursor;
    }
    const threadId = (await get(q({ site: 'news', status: 'pending', limit: 1 }))).comments[0].thread.id;
    const queries = {
      'pending, one site (first page of 50)': q({ site: 'news', status: 'pending' }),
      'pending, every site': q({ status: 'pending' }),
      'default view (all but deleted), one site': q({ site: 'news' }),
      'filtered: thread + approved + date range': q({
        site: 'news',
        thread: threadId,
        status: 'approved',
        from: '2025-01-10T00:00:00Z',
        to: '2025-01-20T00:00:00Z',
      }),
      '20th page by cursor (approved)': q({ site: 'news', status: 'approved', cursor: cursor20 }),
      'search a common word (محمد, 10 %)': q({ site: 'news', q: 'مُحَمَّد' }),
      'search a word no comment has (whole site read)': q({ site: 'news', q: 'غيرموجود' }),
      'counts per status, every site': '/api/v1/admin/comments/counts',
    };
    const results = {};
    for (const [name, url] of Object.entries(queries)) {
      results[name] = await measure(() => get(url));
      log(`${kind}: ${name}: ${JSON.stringify(results[name])}`);
    }
    const pending = (
      await sql`select id from comments where site_id = 'news' and status = 'pending' order by id desc limit 100`.execute(
        handle.db,
      )
    ).rows.map((r) => String(r.id));
    const act = async (action) => {
      const res = await app.request('/api/v1/admin/comments/actions', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ action, ids: pending }),
      });
      const body = await res.json();
      if (res.status !== 200 || body.comments.length !== 100) throw new Error(`${action}: ${res.status}`);
    };
    const approve = [];
    const unapprove = [];
    for (let i = 0; i < WARMUP + Math.ceil(ROUNDS / 3); i++) {
      started = performance.now();
      await act('approve');
      const a = performance.now() - started;
      started = performance.now();
      await act('unapprove');
      const u = performance.now() - started;
      if (i >= WARMUP) {
        approve.push(a);
        unapprove.push(u);
      }
    }
    results['bulk approve of 100 comments'] = stats(approve);
    results['bulk unapprove of 100 comments (the undo)'] = stats(unapprove);
    log(`${kind}: bulk approve 100: ${JSON.stringify(results['bulk approve of 100 comments'])}`);
    const drift = await sql`select count(*)::int as n from threads t where t.comment_count <>
      (select count(*) from comments c where c.thread_id = t.id and c.status = 'approved')`.execute(
      handle.db,
    );
    if (drift.rows[0].n !== 0) throw new Error('thread counters drifted');

    const plans = {};
    if (kind === 'postgres') {
      for (const [name, where] of Object.entries({
        'pending, one site': sql`c.site_id in ('news') and c.status = 'pending'`,
        'pending, every site': sql`c.status = 'pending'`,
        'default view, one site': sql`c.site_id in ('news') and c.status <> 'deleted'`,
      })) {
        const { rows } =
          await sql`explain select c.id from comments c where ${where} order by c.id desc limit 51`.execute(
            handle.db,
          );
        plans[name] = rows.map((r) => r['QUERY PLAN']).join('\n');
      }
    }
    return { results, plans };
  } finally {
    await handle.close();
  }
}

function table(all) {
  const kinds = Object.keys(all);
  const names = Object.keys(all[kinds[0]].results);
  const lines = [
    `| request (${TOTAL.toLocaleString('en')} comments, ${ROUNDS} rounds) | ${kinds.map((k) => `${k} median / p95 ms`).join(' | ')} |`,
    `| --- | ${kinds.map(() => '---').join(' | ')} |`,
  ];
  for (const name of names) {
    lines.push(
      `| ${name} | ${kinds.map((k) => `${all[k].results[name].median} / ${all[k].results[name].p95}`).join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

async function main() {
  const server = await import('@hiwar/server');
  const all = {};
  const cluster = await startCluster();
  try {
    const url = await cluster.createDatabase('hiwar_admin_bench');
    all.postgres = await benchOne(server, 'postgres', { databaseUrl: url, dataDir: '' });
  } finally {
    await cluster.destroy();
  }
  if (process.env.ADMIN_BENCH_PGLITE !== '0') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hiwar-admin-bench-'));
    try {
      all.pglite = await benchOne(server, 'pglite', { dataDir: dir, lock: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(`${table(all)}\n`);
  for (const [name, plan] of Object.entries(all.postgres.plans))
    process.stdout.write(`\n${name}:\n${plan}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
