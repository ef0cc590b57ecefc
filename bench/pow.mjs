/**
 * `pnpm bench:pow` (or `node bench/pow.mjs` after `pnpm build`): how long does the
 * widget's proof-of-work solver take a reader, and does it ever freeze the page?
 *
 * Loads the built solver chunk (packages/widget/dist/pow-[hash].js, found through the
 * widget build's manifest) in headless Chromium, from a page on plain http under a name
 * of its own (`http://pow.hiwar.test`, which Chromium is told is 127.0.0.1): not a secure
 * context, so the page has no `crypto.subtle`, as on a reader's plain-http site, which
 * the solver must serve too. It solves puzzles as the server sets them: tokens shaped like the server's form tokens (a 34-byte payload and a 32-byte
 * MAC, base64url; derived from a counter, so every run solves the same puzzles), at
 * difficulty 12, 16 (the default) and 20. For each difficulty it reports the median,
 * 90th percentile and longest solve, hashes per second (the nonces tried: the proof
 * plus one, as the solver counts up from 0 and stops at the first that solves), the longest main-thread task while solving
 * (PerformanceObserver `longtask`: only tasks of 50 ms or more are reported) and the
 * longest gap between two runs of a 10 ms timer beside the solver (how long the page's
 * own work can wait), and the main thread's busy time per solve (DevTools metrics). Each proof is checked in Node with the server's sum.
 *
 * Prints a Markdown report and writes it, with every figure as JSON, to
 * `bench/results/pow-<timestamp>.{md,json}`. Figures are reported, never asserted.
 * `POW_BENCH_PUZZLES=20` sets the puzzles per difficulty (difficulty 20 gets half as
 * many), `POW_BENCH_DIFFICULTIES=12,16,20` the difficulties.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/chromium.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = path.join(ROOT, 'packages/widget/dist');
const RESULTS = path.join(ROOT, 'bench/results');
const PUZZLES = Number(process.env.POW_BENCH_PUZZLES ?? 20);
const DIFFICULTIES = (process.env.POW_BENCH_DIFFICULTIES ?? '12,16,20').split(',').map(Number);
/**
 * The page's host name: not localhost, so plain http there is not a secure context.
 * Chromium resolves it to 127.0.0.1 (--host-resolver-rules): nothing leaves the machine.
 */
const PAGE_HOST = 'pow.hiwar.test';

// playwright-core is a dependency of the test package, not of the bench.
const { chromium } = createRequire(path.join(ROOT, 'tests/package.json'))('playwright-core');

const log = (line) => process.stderr.write(`[pow] ${line}\n`);
const round = (n, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The solver chunk's file name, from the widget build's manifest. */
function solverChunk() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(DIST, '.vite/manifest.json'), 'utf8'));
  } catch {
    throw new Error('The widget is not built: run `pnpm build` first (`pnpm bench:pow` does).');
  }
  const file = manifest['src/pow.ts']?.file;
  if (!file) throw new Error('The widget build has no solver chunk (src/pow.ts) in its manifest.');
  return file;
}

/**
 * A token of the server's shape (`base64url(payload).base64url(mac)`, the payload being
 * version, 16 random bytes, the issue time, the difficulty and the site id `news`),
 * its bytes derived from `n`.
 */
function formToken(n, difficulty) {
  const bytes = (label, length) => createHash('sha512').update(`${label}:${n}`).digest().subarray(0, length);
  const payload = Buffer.concat([
    Buffer.from([1]),
    bytes('id', 16),
    Buffer.alloc(8),
    Buffer.from([difficulty]),
    Buffer.from('news'),
  ]);
  payload.writeBigInt64BE(BigInt(Date.UTC(2026, 0, 1) + n * 1000), 17);
  return `${payload.toString('base64url')}.${bytes('mac', 32).toString('base64url')}`;
}

/** The server's check (packages/server/src/abuse/challenge.ts, verifyProof). */
function zeroBits(token, proof) {
  const hash = createHash('sha256').update(`${token}:${proof}`, 'utf8').digest();
  let bits = 0;
  for (const byte of hash) {
    if (byte) return bits + Math.clz32(byte) - 24;
    bits += 8;
  }
  return bits;
}

function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

/** A page and the chunk, from 127.0.0.1, reached by the browser as http://{@link PAGE_HOST}. */
async function serve(chunk) {
  const code = readFileSync(path.join(DIST, chunk));
  const server = http.createServer((request, response) => {
    if (request.url === `/${chunk}`) {
      response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(code);
    } else {
      response
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        .end('<!doctype html><html lang="ar" dir="rtl"><title>pow</title><p>مقياس اللغز</p></html>');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://${PAGE_HOST}:${server.address().port}`, close: () => server.close() };
}

/** Solves the puzzles in the page, one after another; returns the time and nonce of each and what the page went through. */
function solveInPage(page, chunk, tokens, difficulty) {
  return page.evaluate(
    async ({ chunk, tokens, difficulty }) => {
      const { solveProofOfWork } = await import(`/${chunk}`);
      const longTasks = [];
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push(entry.duration);
      });
      observer.observe({ type: 'longtask' });
      // A timer beside the solver, as a page's own work: how long can it go without running?
      let maxTimerGap = 0;
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        maxTimerGap = Math.max(maxTimerGap, now - last);
        last = now;
      }, 10);
      const solves = [];
      for (const token of tokens) {
        const started = performance.now();
        const proof = await solveProofOfWork(token, { algorithm: 'SHA-256', difficulty });
        solves.push({ ms: performance.now() - started, proof });
      }
      clearInterval(timer);
      maxTimerGap = Math.max(maxTimerGap, performance.now() - last);
      // Entries of the last task arrive after it.
      await new Promise((resolve) => setTimeout(resolve, 100));
      observer.disconnect();
      return {
        solves,
        longTasks,
        maxTimerGap,
        userAgent: navigator.userAgent,
        secureContext: isSecureContext,
        subtle: Boolean(globalThis.crypto?.subtle),
      };
    },
    { chunk, tokens, difficulty },
  );
}

/** Milliseconds the renderer's main thread has spent in tasks and in script so far (DevTools metrics). */
async function mainThread(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  return { task: value('TaskDuration'), script: value('ScriptDuration') };
}

async function main() {
  const chunk = solverChunk();
  const chunkBytes = readFileSync(path.join(DIST, chunk)).length;
  const machine = {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    load: os.loadavg().map((l) => round(l, 2)),
  };
  log(`solver ${chunk} (${chunkBytes} bytes); ${machine.cpus} CPUs, load ${machine.load.join(' ')}`);
  const site = await serve(chunk);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${PAGE_HOST} 127.0.0.1`],
    headless: true,
  });
  const results = [];
  let userAgent = '';
  // What the page had: it must be no secure context, so no crypto.subtle.
  let context = { secureContext: true, subtle: true };
  try {
    const page = await (await browser.newContext()).newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(site.url);
    // A warm-up: the chunk is loaded and compiled before anything is timed.
    const warmUp = await solveInPage(page, chunk, [formToken(-1, 12)], 12);
    context = { secureContext: warmUp.secureContext, subtle: warmUp.subtle };
    if (context.secureContext || context.subtle)
      throw new Error('The bench page should not be a secure context.');
    for (const difficulty of DIFFICULTIES) {
      const count = difficulty >= 20 ? Math.max(1, Math.ceil(PUZZLES / 2)) : PUZZLES;
      const tokens = Array.from({ length: count }, (_, i) => formToken(difficulty * 1000 + i, difficulty));
      log(`difficulty ${difficulty}: ${count} puzzles…`);
      const before = await mainThread(cdp);
      const run = await solveInPage(page, chunk, tokens, difficulty);
      const after = await mainThread(cdp);
      userAgent = run.userAgent;
      run.solves.forEach(({ proof }, i) => {
        if (zeroBits(tokens[i], proof) < difficulty) throw new Error(`Wrong proof ${proof} for ${tokens[i]}`);
      });
      const times = run.solves.map((s) => s.ms).sort((a, b) => a - b);
      const hashes = run.solves.reduce((sum, s) => sum + Number(s.proof) + 1, 0);
      const totalMs = run.solves.reduce((sum, s) => sum + s.ms, 0);
      const result = {
        difficulty,
        puzzles: count,
        medianMs: round(quantile(times, 0.5)),
        p90Ms: round(quantile(times, 0.9)),
        maxMs: round(times.at(-1)),
        meanHashes: Math.round(hashes / count),
        hashesPerSecond: Math.round((hashes / totalMs) * 1000),
        longTasks: run.longTasks.length,
        longestTaskMs: round(Math.max(0, ...run.longTasks)),
        maxTimerGapMs: round(run.maxTimerGap),
        // The renderer's main thread, busy (tasks) and running script, per solve.
        mainThreadMsPerSolve: round((after.task - before.task) / count),
        scriptMsPerSolve: round((after.script - before.script) / count),
      };
      log(JSON.stringify(result));
      results.push(result);
    }
  } finally {
    await browser.close();
    site.close();
  }

  const lines = [
    `# Proof-of-work solver in Chromium (${new Date().toISOString()})`,
    '',
    `${userAgent}; ${machine.cpus} CPUs (${machine.model}), load average ${machine.load.join(' ')} at the start.`,
    `Solver chunk \`${chunk}\`, ${chunkBytes} bytes; default slice 10 ms. Page on plain http (${PAGE_HOST}): secure context ${context.secureContext}, crypto.subtle ${context.subtle ? 'present' : 'absent'}.`,
    '',
    '| difficulty | puzzles | median ms | p90 ms | max ms | mean hashes | hashes/s | main thread ms / solve | script ms / solve | long tasks | longest task ms | longest 10 ms timer gap ms |',
    '| ---------: | ------: | --------: | -----: | -----: | ----------: | -------: | ---------------------: | ----------------: | ---------: | --------------: | -------------------------: |',
    ...results.map(
      (r) =>
        `| ${r.difficulty} | ${r.puzzles} | ${r.medianMs} | ${r.p90Ms} | ${r.maxMs} | ${r.meanHashes} | ${r.hashesPerSecond} | ${r.mainThreadMsPerSolve} | ${r.scriptMsPerSolve} | ${r.longTasks} | ${r.longTasks ? r.longestTaskMs : '–'} | ${r.maxTimerGapMs} |`,
    ),
    '',
    'The work is random: a solve takes 2^difficulty hashes on average, and single solves spread widely around it',
    '(p90 about 2.3× the mean). Long tasks are those of 50 ms or more; "–" means none was observed. The timer',
    "gap is the longest wait of a 10 ms setInterval running beside the solver: the page's own work waits no longer.",
  ];
  const report = lines.join('\n');
  process.stdout.write(`${report}\n`);
  mkdirSync(RESULTS, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(path.join(RESULTS, `pow-${stamp}.md`), `${report}\n`);
  writeFileSync(
    path.join(RESULTS, `pow-${stamp}.json`),
    `${JSON.stringify({ machine, userAgent, chunk, chunkBytes, ...context, results }, null, 2)}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
