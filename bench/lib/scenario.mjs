/**
 * What is measured against one running server: the request paths, a check
 * that each answers what the seed says before it is loaded (a fast wrong
 * answer is no result), and the runs themselves.
 */

import { createMeter, getLoad, meterSummary, postLoad, postLoadFresh } from './load.mjs';
import { withClient } from './pg-stats.mjs';
import {
  COUNT_PAGES,
  FRESH_POST_PAGE,
  GUARDED_PAGE,
  GUARDED_SITE,
  GUARDED_WARMUP_PAGE,
  PAGE_ORIGIN,
  POST_PAGE,
  POST_WARMUP_PAGE,
  pageKey,
  pageUrl,
  REFERENCE_POST_PAGE,
  SITE,
  VARIED_PAGES,
  variedCount,
  variedPage,
} from './seed.mjs';

export const HEADERS = { origin: PAGE_ORIGIN };

/** Ten loopback source addresses for the POST run: Linux routes all of 127/8 to lo. */
export const SOURCE_ADDRESSES = Array.from({ length: 10 }, (_, i) => `127.0.0.${i + 2}`);

let sources = 0;

/**
 * A loopback source address never handed out before in this run, from 127.1.0.1 on
 * (127.0.0.x is left to SOURCE_ADDRESSES): for POSTs that must each come from
 * another network, to pass the flood limits without turning them off.
 */
export function nextSourceAddress() {
  const n = sources++;
  const rest = Math.floor(n / 254);
  const a = Math.floor(rest / 256) + 1;
  if (a > 254) throw new Error('the bench ran out of loopback source addresses');
  return `127.${a}.${rest % 256}.${(n % 254) + 1}`;
}

const threadPath = (name, extra = '', site = SITE) =>
  `/api/v1/threads?site=${site}&url=${encodeURIComponent(pageUrl(name))}${extra}`;

const countsPath = (names) =>
  `/api/v1/counts?site=${SITE}&${names.map((name) => `url=${encodeURIComponent(pageUrl(name))}`).join('&')}`;

/**
 * Request n's 20 varied pages: distinct, drawn from the VARIED_PAGES by a small
 * PRNG (mulberry32) seeded with n, so that a run asks for the same sets every
 * time and two requests almost never for the same one (C(2000, 20) sets).
 */
export function variedDraw(n, size = 20) {
  let state = Math.imul(n + 1, 0x9e3779b9) | 0;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  const picked = new Set();
  while (picked.size < size) picked.add(next() % VARIED_PAGES);
  return [...picked];
}

/** The varied sets are numbered across the whole process: no warm-up, check or run repeats one. */
let variedRequests = 0;
const nextVariedDraw = () => variedDraw(variedRequests++);

/**
 * The paths of the GET runs; a function is called for each request and returns
 * its path (see getLoad's makePath).
 */
export const PATHS = {
  small: threadPath('small'),
  big: threadPath('big'),
  bigNewest: threadPath('big', '&sort=newest'),
  counts: countsPath(COUNT_PAGES),
  countsVaried: () => countsPath(nextVariedDraw().map(variedPage)),
  post: '/api/v1/comments',
};

async function getJson(url) {
  const response = await fetch(url, { headers: HEADERS });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return { body: JSON.parse(text), bytes: Buffer.byteLength(text) };
}

function describePage(body, bytes) {
  const replies = body.comments.reduce((sum, comment) => sum + comment.replies.length, 0);
  return `${body.comments.length} top-level + ${replies} replies, ${(bytes / 1024).toFixed(1)} KiB`;
}

/** Fetches each path once and checks it against the seed; resolves with a description of each page. */
export async function checkHiwar(baseUrl, expectedCounts) {
  const pages = {};
  for (const [name, total] of [
    ['small', 200],
    ['big', 100_000],
    ['bigNewest', 100_000],
  ]) {
    const { body, bytes } = await getJson(`${baseUrl}${PATHS[name]}`);
    if (body.thread.commentCount !== total || body.comments.length !== 50 || body.nextCursor === null) {
      throw new Error(
        `${name}: expected 50 of ${total} comments and a next cursor, got ${body.comments.length} of ${body.thread.commentCount}`,
      );
    }
    pages[name] = describePage(body, bytes);
  }
  const { body } = await getJson(`${baseUrl}${PATHS.counts}`);
  const wrong = Object.entries(expectedCounts).filter(([url, n]) => body.counts[url] !== n);
  if (wrong.length > 0)
    throw new Error(
      `counts are off for ${wrong.map(([url]) => url).join(', ')}: ${JSON.stringify(body.counts)}`,
    );
  pages.countsVaried = await checkVariedCounts(baseUrl);
  return pages;
}

/** One varied counts request (a set of its own) against the seed: 20 pages, each with its count. */
async function checkVariedCounts(baseUrl) {
  const drawn = nextVariedDraw();
  const { body, bytes } = await getJson(`${baseUrl}${countsPath(drawn.map(variedPage))}`);
  const answered = Object.keys(body.counts ?? {}).length;
  const wrong = drawn.filter((i) => body.counts?.[pageUrl(variedPage(i))] !== variedCount(i));
  if (wrong.length > 0 || answered !== drawn.length)
    throw new Error(
      `varied counts are off (${answered} pages answered) for pages ${wrong.join(', ')}: ${JSON.stringify(body.counts)}`,
    );
  return `${drawn.length} of ${VARIED_PAGES} pages (${(bytes / 1024).toFixed(1)} KiB answered)`;
}

/** The GET runs, in order: [result key, path, connections]. */
export const GET_RUNS = [
  ['small@1', 'small', 1],
  ['small@50', 'small', 50],
  ['big@1', 'big', 1],
  ['big@50', 'big', 50],
  ['bigNewest@50', 'bigNewest', 50],
  ['counts@10', 'counts', 10],
  ['countsVaried@10', 'countsVaried', 10],
];

const cpuPerRequest = (ms, requests) => (requests > 0 ? Number((ms / requests).toFixed(3)) : null);

/**
 * Runs each GET against `server` (a handle from startNode) after one warm-up
 * per path at 10 connections, discarded (paths already in `warm` are not warmed
 * again). A fresh server gets a longer first warm-up: its CPU per request keeps
 * falling for a few thousand requests (JIT, young-generation sizing). Logs as it
 * goes and resolves with the results keyed as in GET_RUNS, each with the
 * server's CPU time per request.
 */
export async function runGets(
  server,
  {
    seconds,
    warmupSeconds,
    firstWarmupSeconds = warmupSeconds,
    log,
    runs = GET_RUNS,
    paths = PATHS,
    headers = HEADERS,
    warm = new Set(),
    label = '',
  },
) {
  const results = {};
  for (const [key, pathName, connections] of runs) {
    const target = paths[pathName];
    const makePath = typeof target === 'function' ? target : undefined;
    const url = makePath ? server.url : `${server.url}${target}`;
    if (!warm.has(pathName)) {
      const first = warm.size === 0;
      await getLoad({
        url,
        connections: 10,
        seconds: first ? firstWarmupSeconds : warmupSeconds,
        headers,
        makePath,
      });
      warm.add(pathName);
    }
    const cpuBefore = server.cpuMs();
    const r = await getLoad({ url, connections, seconds, headers, makePath });
    r.serverCpuMsPerRequest = cpuPerRequest(server.cpuMs() - cpuBefore, r.requests);
    results[key] = r;
    log(
      `  ${label}${key.padEnd(15)} ${String(r.rps).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ` +
        `non-2xx ${r.non2xx}  errors ${r.errors}  server CPU ${r.serverCpuMsPerRequest} ms/req`,
    );
  }
  return results;
}

/**
 * POSTs new comments, each with a unique body, to one thread from 10 source
 * addresses, after a warm-up of the same on another page (discarded), so the first
 * POST run does not pay alone for loading the markdown renderer. The reference
 * gets the same requests on its own `path` and pages.
 */
export async function runPosts(
  server,
  {
    seconds,
    warmupSeconds = 0,
    log,
    path = PATHS.post,
    page: postPage = POST_PAGE,
    warmupPage = POST_WARMUP_PAGE,
    label = '',
  },
) {
  const stamp = Date.now().toString(36);
  const load = (page, duration) =>
    postLoad({
      origin: server.url,
      path,
      addresses: SOURCE_ADDRESSES,
      seconds: duration,
      headers: { ...HEADERS, 'content-type': 'application/json' },
      makeBody: (connection, sequence) => ({
        site: SITE,
        url: pageUrl(page),
        title: 'Bench: POST target',
        body: `Bench comment ${stamp}-${page}-${connection}-${sequence}: *a little* markdown and a [link](https://example.com/${sequence}).`,
        author: { name: `Bench writer ${connection}`, email: `writer-${connection}@bench.example` },
      }),
    });
  if (warmupSeconds > 0) await load(warmupPage, warmupSeconds);
  const cpuBefore = server.cpuMs();
  const result = await load(postPage, seconds);
  result.serverCpuMsPerRequest = cpuPerRequest(server.cpuMs() - cpuBefore, result.requests);
  log(
    `  ${label}${'post@10'.padEnd(15)} ${String(result.rps).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  ` +
      `201: ${result.created}  other: ${result.requests - result.created}  errors ${result.errors}  ` +
      `server CPU ${result.serverCpuMsPerRequest} ms/req`,
  );
  for (const failure of result.failures) log(`    ${failure}`);
  return result;
}

/**
 * `count` form tokens of `site` from GET /api/v1/challenge, fetched at 10 at a time
 * before a timed run (each is single use).
 */
export async function fetchFormTokens(baseUrl, site, count) {
  const tokens = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < count) {
        next++;
        const { body } = await getJson(`${baseUrl}/api/v1/challenge?site=${site}`);
        if (typeof body.formToken !== 'string' || body.pow !== null)
          throw new Error(`GET /api/v1/challenge answered ${JSON.stringify(body).slice(0, 300)}`);
        tokens.push(body.formToken);
      }
    }),
  );
  return tokens;
}

/** The two sides of the abuse-rule comparison: result key, site, pages, whether a form token is sent. */
const ABUSE_VARIANTS = {
  off: {
    key: 'postFresh@10',
    site: SITE,
    page: FRESH_POST_PAGE,
    warmupPage: POST_WARMUP_PAGE,
    tokens: false,
  },
  on: {
    key: 'postGuarded@10',
    site: GUARDED_SITE,
    page: GUARDED_PAGE,
    warmupPage: GUARDED_WARMUP_PAGE,
    tokens: true,
  },
};

/**
 * What the abuse rules cost a POST: the same requests to site `bench` (rules off) and
 * to site `guarded` (rules on), from 10 concurrent loops, each request on a fresh
 * connection from a loopback address of its own and by an author of its own (the
 * flood limits are checked for every request and triggered by none); on `guarded`
 * each spends one of `tokens` as its form token. After a warm-up of each (discarded),
 * the two alternate in half runs, off-on-on-off, so that a drift of the machine's
 * speed (the JIT settling, other work) weighs on both alike. A side that runs out of
 * tokens stops early; its rate stays right (requests over the time measured).
 * Resolves with both results, keyed as ABUSE_VARIANTS says.
 */
export async function runAbuseRulePair(server, { seconds, warmupSeconds, log, tokens }) {
  const stamp = Date.now().toString(36);
  let spent = 0;
  // Across all segments: each comment has its own text and author.
  let sent = 0;
  const load = (variant, page, duration, meter) =>
    postLoadFresh({
      origin: server.url,
      path: PATHS.post,
      workers: 10,
      seconds: duration,
      headers: { ...HEADERS, 'content-type': 'application/json' },
      meter,
      makeRequest: () => {
        if (variant.tokens && spent >= tokens.length) return null;
        const sequence = sent++;
        const id = `${stamp}-${sequence}`;
        return {
          localAddress: nextSourceAddress(),
          body: {
            site: variant.site,
            url: pageUrl(page),
            title: `Bench: ${variant.key}`,
            body: `Bench comment ${id}: *a little* markdown and a [link](https://example.com/${sequence}).`,
            author: { name: `Bench writer ${sequence % 997}`, email: `writer-${id}@bench.example` },
            ...(variant.tokens ? { formToken: tokens[spent++], homepage: '' } : {}),
          },
        };
      },
    });
  for (const variant of Object.values(ABUSE_VARIANTS)) {
    await load(variant, variant.warmupPage, warmupSeconds, createMeter());
  }
  const meters = { off: createMeter(), on: createMeter() };
  const cpuMs = { off: 0, on: 0 };
  for (const side of ['off', 'on', 'on', 'off']) {
    const before = server.cpuMs();
    await load(ABUSE_VARIANTS[side], ABUSE_VARIANTS[side].page, seconds / 2, meters[side]);
    cpuMs[side] += server.cpuMs() - before;
  }
  const results = {};
  for (const side of ['off', 'on']) {
    const { key } = ABUSE_VARIANTS[side];
    const result = meterSummary(meters[side]);
    result.serverCpuMsPerRequest = cpuPerRequest(cpuMs[side], result.requests);
    results[key] = result;
    log(
      `  ${key.padEnd(15)} ${String(result.rps).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  ` +
        `201: ${result.created}  other: ${result.requests - result.created}  errors ${result.errors}  ` +
        `server CPU ${result.serverCpuMsPerRequest} ms/req${result.exhausted ? '  (form tokens ran out: stopped early)' : ''}`,
    );
    for (const failure of result.failures) log(`    ${failure}`);
  }
  return results;
}

/** The thread the POSTs went to must count exactly the 201s: each comment landed once. */
export async function checkPosts(baseUrl, created, { site = SITE, page = POST_PAGE } = {}) {
  const { body } = await getJson(`${baseUrl}${threadPath(page, '&limit=1', site)}`);
  // No thread yet when nothing was created: an unknown thread is an empty page.
  const commentCount = body.thread?.commentCount ?? 0;
  return { commentCount, created, consistent: commentCount === created };
}

/**
 * The same for the reference's POSTs, read from the database (the reference serves
 * no thread counts): its thread's comment_count and its rows must both be its 201s.
 */
export async function checkReferencePosts(databaseUrl, created) {
  const { rows } = await withClient(databaseUrl, (client) =>
    client.query(
      `select t.comment_count, (select count(*)::int from comments c where c.thread_id = t.id) as rows
       from threads t where t.site_id = $1 and t.key = $2`,
      [SITE, pageKey(REFERENCE_POST_PAGE)],
    ),
  );
  const commentCount = rows[0]?.comment_count ?? 0;
  const rowCount = rows[0]?.rows ?? 0;
  return {
    commentCount,
    rows: rowCount,
    created,
    consistent: commentCount === created && rowCount === created,
  };
}
