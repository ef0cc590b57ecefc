#!/usr/bin/env node
/**
 * `pnpm bench`: Hiwar's performance against the targets of issue 2, in one run.
 *
 * 1. A throwaway PostgreSQL cluster (scripts/pg-cluster.mjs), with
 *    pg_stat_statements loaded to show where database time goes.
 * 2. Seeds the same data set (lib/seed.mjs) on PostgreSQL and in a PGlite folder,
 *    through the server's own migrations.
 * 3. The bare reference (reference-server.mjs) and Hiwar (packages/server/dist/main.js),
 *    each a child process, side by side on that PostgreSQL: the thread's first
 *    page at 1 and 50 connections and POST at 10 from 10 loopback source
 *    addresses, each run of one followed at once by the same run of the other.
 * 4. Hiwar alone, on PostgreSQL and then on PGlite: resident memory idle and after
 *    the runs, the first pages of the 100 000-comment thread, counts for 20 pages
 *    at 10 connections (the same 20 every time, and 20 drawn from 2 000 for each
 *    request), POST at 10 from 10 loopback source addresses (on PostgreSQL right
 *    after the reference's). On PostgreSQL also the cost of the abuse rules on
 *    POST: the same POSTs with the rules off and on, each request from a loopback
 *    address and an author of its own.
 * 5. The markdown renderer on pathological input (markdown.mjs).
 * 6. PASS/FAIL per target; results in bench/results/<timestamp>.{json,md}.
 *
 * Missed targets are reported, not asserted: the exit code is non-zero only when
 * something crashed. Everything started here is stopped on exit. All traffic
 * stays on 127.0.0.0/8.
 *
 * Environment: BENCH_SECONDS (each run, default 10), BENCH_QUICK=1 (3 s runs, a
 * smoke check), BENCH_PROFILE=1 (Hiwar servers write V8 CPU profiles next to the
 * results), BENCH_SERVER_MAIN (another server entry to measure instead of
 * packages/server/dist/main.js; it must read the same settings),
 * BENCH_SERVER_NODE_ARGS (Node flags for the server instead of those of `pnpm start`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../scripts/pg-cluster.mjs';
import {
  createReferenceRole,
  enableStatements,
  REFERENCE_ROLE,
  resetStatements,
  topStatements,
  withClient,
} from './lib/pg-stats.mjs';
import {
  freePort,
  killAllChildrenSync,
  refuseNewChildren,
  startNode,
  startScriptNodeArgs,
  stopAllChildren,
} from './lib/processes.mjs';
import { evaluateTargets, renderMarkdown } from './lib/report.mjs';
import {
  checkHiwar,
  checkPosts,
  checkReferencePosts,
  fetchFormTokens,
  GET_RUNS,
  runAbuseRulePair,
  runGets,
  runPosts,
} from './lib/scenario.mjs';
import {
  FRESH_POST_PAGE,
  GUARDED_HOLD_LINKS,
  GUARDED_HOLD_WORDS,
  GUARDED_PAGE,
  GUARDED_SITE,
  pageUrl,
  REFERENCE_POST_PAGE,
  REFERENCE_POST_WARMUP_PAGE,
  SITE,
  seed,
} from './lib/seed.mjs';
import { benchMarkdownInChild } from './markdown.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, '..');
const SERVER_MAIN = process.env.BENCH_SERVER_MAIN
  ? path.resolve(process.env.BENCH_SERVER_MAIN)
  : path.join(ROOT, 'packages/server/dist/main.js');
/**
 * The Node flags the server runs with: those `pnpm start` gives it (the root
 * package.json's start script), so that the bench measures the server as it is
 * run; BENCH_SERVER_NODE_ARGS overrides them ('' for none).
 */
function serverNodeArgs() {
  if (process.env.BENCH_SERVER_NODE_ARGS !== undefined) {
    return process.env.BENCH_SERVER_NODE_ARGS.split(/\s+/).filter(Boolean);
  }
  return startScriptNodeArgs(ROOT);
}
const SERVER_NODE_ARGS = serverNodeArgs();
const QUICK = process.env.BENCH_QUICK === '1';
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 3 : 10));
const WARMUP_SECONDS = QUICK ? 1 : 2;
/** A fresh server's first warm-up: its CPU per request settles only after a few thousand requests. */
const FIRST_WARMUP_SECONDS = QUICK ? 2 : 6;
const SETTLE_MS = 3_000;
const PROFILE = process.env.BENCH_PROFILE === '1';
const SECRET = 'hiwar-bench-secret-not-for-production-0123456789';
const RESULTS_DIR = path.join(BENCH, 'results');

if (!Number.isFinite(SECONDS) || SECONDS <= 0 || SECONDS > 120) {
  process.stderr.write(
    `BENCH_SECONDS must be a number of seconds from 1 to 120 (got "${process.env.BENCH_SECONDS}")\n`,
  );
  process.exit(2);
}

const log = (message) => process.stderr.write(`[bench] ${message}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hiwar-bench-'));
/** @type {import('../scripts/pg-cluster.mjs').PgCluster | undefined} */
let cluster;

async function cleanup() {
  await stopAllChildren();
  await cluster?.destroy();
  rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', () => {
  killAllChildrenSync();
  rmSync(tmp, { recursive: true, force: true });
});
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
]) {
  process.on(signal, () => {
    log(`${signal}: stopping everything`);
    refuseNewChildren();
    cleanup().finally(() => process.exit(code));
  });
}

/** The server must be built; `pnpm bench` builds first, a direct `node bench/run.mjs` may not have. */
function ensureBuilt() {
  if (existsSync(SERVER_MAIN)) return;
  log('packages/server/dist/main.js is missing: building protocol and server');
  spawnSync('pnpm', ['-r', '--filter', '@hiwar/protocol', '--filter', '@hiwar/server', 'run', 'build'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is still missing after the build`);
}

/** An environment with none of the caller's Hiwar or database settings leaking into a child. */
function childEnv(settings) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(HIWAR_|DATABASE_URL$|PORT$|HOST$|PG[A-Z]*$|NODE_OPTIONS$)/.test(key)) env[key] = value;
  }
  return { ...env, ...settings };
}

async function seedWith(server, options, kind) {
  const started = performance.now();
  const handle = await server.openDatabase(options);
  try {
    await server.prepareDatabase(handle.db, server.deriveKeys(SECRET), kind);
    const seeded = await seed(handle.db);
    log(`seeded ${kind} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return seeded;
  } finally {
    await handle.close();
  }
}

const REFERENCE_PATH = `/thread?site=${SITE}&url=${encodeURIComponent(pageUrl('small'))}`;
const REFERENCE_POST_PATH = '/comments';

/**
 * The reference's role may read every table (createReferenceRole); its POST also
 * writes threads and comments (their ids come from identity sequences).
 */
async function grantReferenceWrites(databaseUrl) {
  await withClient(databaseUrl, (client) =>
    client.query(
      `grant insert, update on threads to ${REFERENCE_ROLE}; grant insert on comments to ${REFERENCE_ROLE}; ` +
        `grant usage on all sequences in schema public to ${REFERENCE_ROLE}`,
    ),
  );
}

async function startReference(databaseUrl) {
  const port = await freePort();
  return startNode({
    name: 'reference server',
    script: path.join(BENCH, 'reference-server.mjs'),
    env: childEnv({ DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', POOL_SIZE: '10' }),
    port,
    logFile: path.join(tmp, 'reference.log'),
    readyPath: '/ready',
    cwd: BENCH,
  });
}

/** The reference's page must hold what the seed says: 51 top-level rows and their replies. */
async function checkReference(reference) {
  const response = await fetch(`${reference.url}${REFERENCE_PATH}`);
  const text = await response.text();
  const rows = response.status === 200 ? JSON.parse(text).comments : [];
  const top = rows.filter((row) => row.kind === 'top').length;
  if (top !== 51) throw new Error(`the reference answered ${response.status} with ${top} top-level rows`);
  return `${top} top-level + ${rows.length - top} replies, ${(Buffer.byteLength(text) / 1024).toFixed(1)} KiB`;
}

async function startHiwar(kind, { databaseUrl, dataDir, profileDir }) {
  const port = await freePort();
  return startNode({
    name: `Hiwar on ${kind}`,
    script: SERVER_MAIN,
    nodeArgs: [
      ...SERVER_NODE_ARGS,
      ...(profileDir
        ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=hiwar-${kind}.cpuprofile`]
        : []),
    ],
    env: childEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      HIWAR_SECRET: SECRET,
      HIWAR_LOG_LEVEL: 'warn',
      HIWAR_DATA_DIR: dataDir,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    }),
    port,
    logFile: path.join(tmp, `hiwar-${kind}.log`),
    readyPath: '/readyz',
    cwd: ROOT,
  });
}

/**
 * Every Hiwar run after the thread pages that are compared with the reference.
 * With `reference` ({ server, runs }), its POST run comes right before Hiwar's, with
 * the same warm-up and load, on pages of its own.
 */
async function restOfHiwar(hiwar, warm, runs, reference) {
  const rest = GET_RUNS.filter(([key]) => !key.startsWith('small@'));
  Object.assign(
    runs,
    await runGets(hiwar, {
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      firstWarmupSeconds: FIRST_WARMUP_SECONDS,
      log,
      runs: rest,
      warm,
    }),
  );
  const post = { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, log };
  if (reference) {
    reference.runs['post@10'] = await runPosts(reference.server, {
      ...post,
      path: REFERENCE_POST_PATH,
      page: REFERENCE_POST_PAGE,
      warmupPage: REFERENCE_POST_WARMUP_PAGE,
      label: 'reference ',
    });
  }
  runs['post@10'] = await runPosts(hiwar, { ...post, label: reference ? 'Hiwar     ' : '' });
  const after = hiwar.memory();
  log(`  Hiwar memory after the runs ${after.rssMiB} MiB (peak ${after.peakMiB})`);
  return after;
}

/**
 * PostgreSQL only: what the abuse rules cost a POST (see runAbuseRulePair): the same
 * fresh-connection POSTs with the rules off and on, alternating. `post@10` (kept-alive
 * connections, rules off) is the other yardstick.
 */
async function abuseRuleRuns(hiwar, runs) {
  // Form tokens for three times the rate without rules, over both warm-ups and the runs.
  const rate = Math.max(runs['post@10'].rps, 50);
  const count = Math.min(60_000, Math.ceil(rate * (SECONDS + 2 * WARMUP_SECONDS) * 3));
  const started = performance.now();
  const tokens = await fetchFormTokens(hiwar.url, GUARDED_SITE, count);
  log(`  fetched ${tokens.length} form tokens in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  Object.assign(
    runs,
    await runAbuseRulePair(hiwar, { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, log, tokens }),
  );
  return {
    fresh: await checkPosts(hiwar.url, runs['postFresh@10'].created, { page: FRESH_POST_PAGE }),
    guarded: await checkPosts(hiwar.url, runs['postGuarded@10'].created, {
      site: GUARDED_SITE,
      page: GUARDED_PAGE,
    }),
    tokensFetched: tokens.length,
  };
}

/**
 * PostgreSQL: the reference and Hiwar run side by side, and each thread-page run
 * and the POST run of one is followed at once by the same run of the other, so that
 * other work on the machine, if any, weighs on both alike. The reference idles
 * through Hiwar's other GET runs.
 */
async function benchPostgres({ databaseUrl, referenceUrl, expectedCounts, statsUrl, profileDir }) {
  const reference = await startReference(referenceUrl);
  try {
    const hiwar = await startHiwar('postgres', {
      databaseUrl,
      dataDir: path.join(tmp, 'unused'),
      profileDir,
    });
    try {
      await sleep(SETTLE_MS);
      const idle = hiwar.memory();
      const referenceIdle = reference.memory();
      log(`  idle memory: Hiwar ${idle.rssMiB} MiB, reference ${referenceIdle.rssMiB} MiB`);
      const pages = await checkHiwar(hiwar.url, expectedCounts);
      const referencePage = await checkReference(reference);
      await resetStatements(statsUrl);
      const runs = {};
      const referenceRuns = {};
      const warm = new Set();
      const referenceWarm = new Set();
      for (const c of [1, 50]) {
        const key = `small@${c}`;
        const options = {
          seconds: SECONDS,
          warmupSeconds: WARMUP_SECONDS,
          firstWarmupSeconds: FIRST_WARMUP_SECONDS,
          log,
          runs: [[key, 'small', c]],
        };
        Object.assign(
          referenceRuns,
          await runGets(reference, {
            ...options,
            paths: { small: REFERENCE_PATH },
            headers: {},
            warm: referenceWarm,
            label: 'reference ',
          }),
        );
        Object.assign(runs, await runGets(hiwar, { ...options, warm, label: 'Hiwar     ' }));
      }
      const after = await restOfHiwar(hiwar, warm, runs, { server: reference, runs: referenceRuns });
      const referenceAfter = reference.memory();
      await reference.stop();
      const referencePostCheck = await checkReferencePosts(databaseUrl, referenceRuns['post@10'].created);
      const postCheck = await checkPosts(hiwar.url, runs['post@10'].created);
      const abuseChecks = await abuseRuleRuns(hiwar, runs);
      const statements = await topStatements(statsUrl);
      return {
        reference: {
          runs: referenceRuns,
          memory: { idle: referenceIdle, after: referenceAfter },
          page: referencePage,
          postCheck: referencePostCheck,
          statements: statements.reference,
        },
        postgres: {
          runs,
          memory: { idle, after },
          pages,
          postCheck,
          abuseChecks,
          statements: statements.hiwar,
        },
      };
    } finally {
      await hiwar.stop();
    }
  } finally {
    await reference.stop();
  }
}

async function benchPglite({ dataDir, expectedCounts, profileDir }) {
  const hiwar = await startHiwar('pglite', { dataDir, profileDir });
  try {
    await sleep(SETTLE_MS);
    const idle = hiwar.memory();
    log(`  idle memory: Hiwar ${idle.rssMiB} MiB`);
    const pages = await checkHiwar(hiwar.url, expectedCounts);
    const warm = new Set();
    const runs = await runGets(hiwar, {
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      firstWarmupSeconds: FIRST_WARMUP_SECONDS,
      log,
      runs: GET_RUNS.filter(([key]) => key.startsWith('small@')),
      warm,
    });
    const after = await restOfHiwar(hiwar, warm, runs);
    const postCheck = await checkPosts(hiwar.url, runs['post@10'].created);
    return { runs, memory: { idle, after }, pages, postCheck };
  } finally {
    await hiwar.stop();
  }
}

async function section(results, name, task) {
  try {
    results[name] = await task();
  } catch (error) {
    log(`${name} failed: ${error.stack ?? error}`);
    results[name] = { error: String(error.message ?? error) };
    process.exitCode = 1;
  }
}

async function main() {
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  mkdirSync(RESULTS_DIR, { recursive: true });
  const profileDir = PROFILE ? path.join(RESULTS_DIR, `${stamp}-profiles`) : undefined;
  ensureBuilt();
  const server = await import('@hiwar/server');
  const results = {
    startedAt: startedAt.toISOString(),
    settings: {
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      firstWarmupSeconds: FIRST_WARMUP_SECONDS,
      quick: QUICK,
      settleMs: SETTLE_MS,
    },
    environment: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '?',
      memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
      node: process.version,
      pglite: server.PGLITE_VERSION,
      loadAverageAtStart: os.loadavg().map((n) => Number(n.toFixed(2))),
      serverNodeArgs: SERVER_NODE_ARGS,
    },
    notes: [],
  };

  log(
    `each run ${SECONDS} s after a ${WARMUP_SECONDS} s warm-up (${FIRST_WARMUP_SECONDS} s for a fresh server)${QUICK ? ' (quick)' : ''}; temp folder ${tmp}`,
  );
  log('starting PostgreSQL');
  cluster = await startCluster();
  const databaseUrl = await cluster.createDatabase('hiwar_bench');
  const stats = await enableStatements(cluster, databaseUrl);
  if (!stats.enabled) results.notes.push(`pg_stat_statements unavailable: ${stats.reason}`);
  const statsUrl = stats.enabled ? databaseUrl : undefined;
  results.environment.postgres = await withClient(
    databaseUrl,
    async (client) => (await client.query('show server_version')).rows[0].server_version,
  );

  // Both seeds at once: nothing is measured yet, and PGlite's initdb and inserts are the slow part.
  const pgliteDir = path.join(tmp, 'pglite');
  const [seeded] = await Promise.all([
    seedWith(server, { databaseUrl, dataDir: '' }, 'postgres'),
    section(results, 'pgliteSeed', () => seedWith(server, { dataDir: pgliteDir }, 'pglite')),
  ]);
  // The reference connects as its own role, so that pg_stat_statements tells its statements from Hiwar's.
  const referenceUrl = await createReferenceRole(databaseUrl);
  await grantReferenceWrites(databaseUrl);

  log('reference and Hiwar on PostgreSQL');
  const both = {};
  await section(both, 'postgres', () =>
    benchPostgres({ databaseUrl, referenceUrl, expectedCounts: seeded.expectedCounts, statsUrl, profileDir }),
  );
  if (both.postgres.error) results.postgres = both.postgres;
  else Object.assign(results, both.postgres);
  await cluster.destroy();
  cluster = undefined;
  if (!results.pgliteSeed?.error) {
    log('Hiwar on PGlite');
    await section(results, 'pglite', () =>
      benchPglite({ dataDir: pgliteDir, expectedCounts: seeded.expectedCounts, profileDir }),
    );
  }
  delete results.pgliteSeed;

  log('markdown renderer on pathological input');
  results.markdown = await benchMarkdownInChild();
  if (results.markdown.error) process.exitCode = 1;

  if (results.reference?.page)
    results.notes.push(
      `Reference first page: ${results.reference.page} (rows as the database returns them).`,
    );
  if (results.postgres?.pages) {
    results.notes.push(
      `Hiwar first page, 200-comment thread: ${results.postgres.pages.small}; 100 000-comment thread: ${results.postgres.pages.big}.`,
    );
  }
  for (const kind of ['postgres', 'pglite']) {
    const check = results[kind]?.postCheck;
    if (check) {
      results.notes.push(
        `${kind}: the POST thread counts ${check.commentCount} comments for ${check.created} answers 201: ${check.consistent ? 'each landed once' : 'MISMATCH'}.`,
      );
    }
  }
  const referencePosts = results.reference?.postCheck;
  if (referencePosts) {
    results.notes.push(
      `reference: its POST thread counts ${referencePosts.commentCount} comments (${referencePosts.rows} rows) for ${referencePosts.created} answers 201: ${referencePosts.consistent ? 'each landed once' : 'MISMATCH'}.`,
    );
  }
  if (results.postgres?.pages?.countsVaried) {
    results.notes.push(
      `Varied counts: each request asks for ${results.postgres.pages.countsVaried}, a set drawn anew (a PRNG seeded with the request's number), so that a cache of whole answers is almost never hit; ` +
        'each page is in about one request in 100, so that a cache per page would be.',
    );
  }
  const abuse = results.postgres?.abuseChecks;
  if (abuse) {
    for (const [label, check] of [
      ['rules off, fresh connections', abuse.fresh],
      ['abuse rules on', abuse.guarded],
    ]) {
      results.notes.push(
        `postgres, POST ${label}: the thread counts ${check.commentCount} comments for ${check.created} answers 201: ${check.consistent ? 'each landed once, none held' : 'MISMATCH (or some were held)'}.`,
      );
    }
    results.notes.push(
      `The abuse rules of site \`${GUARDED_SITE}\`: flood limits 15 s per network and per author (each request from its own loopback address and email, so checked, never triggered; ` +
        `hourly ceilings off), a form token required (${abuse.tokensFetched} fetched from GET /api/v1/challenge before the run; no minimum fill time, no proof of work), ` +
        `duplicate check, hold words (${GUARDED_HOLD_WORDS.length}) and hold links (${GUARDED_HOLD_LINKS}); spam checker off.`,
    );
  }
  results.notes.push(
    'The reference reads the same rows in one statement and answers them as they come; Hiwar also looks up the site and checks the origin, ' +
      'validates the query, builds the nested page, sets ETag/CORS/security headers. GETs to Hiwar carry an Origin header, as a widget sends.',
  );
  results.notes.push(
    "The reference's POST finds (or makes) the thread, inserts the row and counts it in one transaction, and answers `{ id }`; " +
      'Hiwar also validates, looks up the site and checks the origin, renders and sanitizes the markdown, encrypts the email and hashes it, the IP and the network, ' +
      'checks bans, duplicates and moderation, stores an edit token and answers the whole comment.',
  );
  if (profileDir) results.notes.push(`CPU profiles: ${profileDir}`);

  results.environment.loadAverageAtEnd = os.loadavg().map((n) => Number(n.toFixed(2)));
  // At the start nothing of the bench runs yet: load then is other work on the machine.
  const busy = results.environment.loadAverageAtStart[0];
  if (busy > os.cpus().length * 0.5) {
    results.notes.unshift(
      `The machine was busy with other work (load average ${busy} on ${os.cpus().length} CPUs before the bench started): the absolute figures are low and noisy; ` +
        'the ratios to the reference, measured in the same conditions, say more.',
    );
  }
  results.targets = evaluateTargets(results);
  const markdown = renderMarkdown(results);
  writeFileSync(path.join(RESULTS_DIR, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(RESULTS_DIR, `${stamp}.md`), markdown);
  process.stdout.write(`\n${markdown}\n`);
  log(`results: bench/results/${stamp}.{json,md}`);
}

try {
  await main();
} catch (error) {
  log(`crashed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
