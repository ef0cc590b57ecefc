/**
 * What is measured against one running server: the request paths, a check
 * that each answers what the seed says before it is loaded (a fast wrong
 * answer is no result), and the runs themselves.
 */

import { getLoad, postLoad } from './load.mjs';
import { COUNT_PAGES, PAGE_ORIGIN, POST_PAGE, pageUrl, SITE } from './seed.mjs';

export const HEADERS = { origin: PAGE_ORIGIN };

/** Ten loopback source addresses for the POST run: Linux routes all of 127/8 to lo. */
export const SOURCE_ADDRESSES = Array.from({ length: 10 }, (_, i) => `127.0.0.${i + 2}`);

const threadPath = (name, extra = '') =>
  `/api/v1/threads?site=${SITE}&url=${encodeURIComponent(pageUrl(name))}${extra}`;

export const PATHS = {
  small: threadPath('small'),
  big: threadPath('big'),
  bigNewest: threadPath('big', '&sort=newest'),
  counts: `/api/v1/counts?site=${SITE}&${COUNT_PAGES.map((name) => `url=${encodeURIComponent(pageUrl(name))}`).join('&')}`,
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
  return pages;
}

/** The GET runs, in order: [result key, path, connections]. */
export const GET_RUNS = [
  ['small@1', 'small', 1],
  ['small@50', 'small', 50],
  ['big@1', 'big', 1],
  ['big@50', 'big', 50],
  ['bigNewest@50', 'bigNewest', 50],
  ['counts@10', 'counts', 10],
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
    const url = `${server.url}${paths[pathName]}`;
    if (!warm.has(pathName)) {
      const first = warm.size === 0;
      await getLoad({ url, connections: 10, seconds: first ? firstWarmupSeconds : warmupSeconds, headers });
      warm.add(pathName);
    }
    const cpuBefore = server.cpuMs();
    const r = await getLoad({ url, connections, seconds, headers });
    r.serverCpuMsPerRequest = cpuPerRequest(server.cpuMs() - cpuBefore, r.requests);
    results[key] = r;
    log(
      `  ${label}${key.padEnd(13)} ${String(r.rps).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ` +
        `non-2xx ${r.non2xx}  errors ${r.errors}  server CPU ${r.serverCpuMsPerRequest} ms/req`,
    );
  }
  return results;
}

/** POSTs new comments, each with a unique body, to one thread from 10 source addresses. */
export async function runPosts(server, { seconds, log }) {
  const stamp = Date.now().toString(36);
  const cpuBefore = server.cpuMs();
  const result = await postLoad({
    origin: server.url,
    path: PATHS.post,
    addresses: SOURCE_ADDRESSES,
    seconds,
    headers: { ...HEADERS, 'content-type': 'application/json' },
    makeBody: (connection, sequence) => ({
      site: SITE,
      url: pageUrl(POST_PAGE),
      title: 'Bench: POST target',
      body: `Bench comment ${stamp}-${connection}-${sequence}: *a little* markdown and a [link](https://example.com/${sequence}).`,
      author: { name: `Bench writer ${connection}`, email: `writer-${connection}@bench.example` },
    }),
  });
  result.serverCpuMsPerRequest = cpuPerRequest(server.cpuMs() - cpuBefore, result.requests);
  log(
    `  post@10       ${String(result.rps).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  ` +
      `201: ${result.created}  other: ${result.requests - result.created}  errors ${result.errors}  ` +
      `server CPU ${result.serverCpuMsPerRequest} ms/req`,
  );
  for (const failure of result.failures) log(`    ${failure}`);
  return result;
}

/** The thread the POSTs went to must count exactly the 201s: each comment landed once. */
export async function checkPosts(baseUrl, created) {
  const { body } = await getJson(`${baseUrl}${threadPath(POST_PAGE, '&limit=1')}`);
  return {
    commentCount: body.thread.commentCount,
    created,
    consistent: body.thread.commentCount === created,
  };
}
