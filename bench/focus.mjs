#!/usr/bin/env node
/**
 * A tool for working on one figure (not part of `pnpm bench`): one scenario of the bench
 * against the built Hiwar on a throwaway PostgreSQL, with the statements that took the most
 * database time and, with --prof, a V8 CPU profile of the server for that scenario alone,
 * summarized (lib/profile-summary.mjs).
 *
 * Usage: node bench/focus.mjs <run>[,<run>…] [--prof] [--seconds N], runs among post, counts,
 * countsVaried, small, big, bigNewest; resident memory is printed after each, and 3 and 13 s after
 * the last. FOCUS_LOG_TAIL=n prints the server log's last n lines (with --trace-gc, say).
 * The server gets the Node flags of `pnpm start`; FOCUS_NODE_ARGS adds more (later ones win).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../scripts/pg-cluster.mjs';
import { enableStatements, resetStatements, topStatements } from './lib/pg-stats.mjs';
import {
  freePort,
  killAllChildrenSync,
  startNode,
  startScriptNodeArgs,
  stopAllChildren,
} from './lib/processes.mjs';
import { GET_RUNS, runGets, runPosts } from './lib/scenario.mjs';
import { seed } from './lib/seed.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));

const ROOT = path.resolve(BENCH, '..');
const args = process.argv.slice(2);
const what = args[0] ?? 'post';
const prof = args.includes('--prof');
const seconds = Number(args[args.indexOf('--seconds') + 1] || 10) || 10;
const SECRET = 'hiwar-bench-secret-not-for-production-0123456789';
const log = (m) => process.stderr.write(`${m}\n`);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hiwar-focus-'));
process.on('exit', () => killAllChildrenSync());
const cluster = await startCluster();
try {
  const databaseUrl = await cluster.createDatabase('hiwar_bench');
  await enableStatements(cluster, databaseUrl).catch((e) => log(`no pg_stat_statements: ${e.message}`));
  const server = await import(path.join(ROOT, 'packages/server/dist/index.js'));
  const handle = await server.openDatabase({ databaseUrl, dataDir: '' });
  await server.prepareDatabase(handle.db, server.deriveKeys(SECRET), 'postgres');
  await seed(handle.db);
  await handle.close();
  const port = await freePort();
  const hiwar = await startNode({
    name: 'hiwar',
    script: path.join(ROOT, 'packages/server/dist/main.js'),
    nodeArgs: [
      ...startScriptNodeArgs(ROOT),
      ...(process.env.FOCUS_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
      ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${tmp}`, '--cpu-prof-name=focus.cpuprofile'] : []),
    ],
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      HIWAR_SECRET: SECRET,
      HIWAR_LOG_LEVEL: 'warn',
      HIWAR_DATA_DIR: path.join(tmp, 'data'),
      DATABASE_URL: databaseUrl,
    },
    port,
    logFile: path.join(tmp, 'hiwar.log'),
    readyPath: '/readyz',
    cwd: ROOT,
  });
  log(`idle memory ${hiwar.memory().rssMiB} MiB`);
  await resetStatements(databaseUrl).catch(() => {});
  const warm = new Set();
  for (const scenario of what.split(',')) {
    if (scenario === 'post') await runPosts(hiwar, { seconds, warmupSeconds: 3, log });
    else
      await runGets(hiwar, {
        seconds,
        warmupSeconds: 2,
        firstWarmupSeconds: 4,
        log,
        runs: GET_RUNS.filter(([key]) => key.startsWith(`${scenario}@`)),
        warm,
      });
    log(`memory after ${scenario}: ${hiwar.memory().rssMiB} MiB`);
  }
  for (const wait of [3, 10]) {
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    log(`memory ${wait} s later: ${hiwar.memory().rssMiB} MiB`);
  }
  if (process.env.FOCUS_LOG_TAIL) {
    const lines = readFileSync(path.join(tmp, 'hiwar.log'), 'utf8').trim().split('\n');
    log(lines.slice(-Number(process.env.FOCUS_LOG_TAIL)).join('\n'));
  }
  const top = (await topStatements(databaseUrl).catch(() => ({}))).hiwar ?? [];
  for (const row of top.slice(0, 8)) log(`  ${JSON.stringify(row).slice(0, 240)}`);
  await stopAllChildren();
  if (prof) {
    const { execFileSync } = await import('node:child_process');
    process.stdout.write(
      execFileSync(
        process.execPath,
        [path.join(BENCH, 'lib/profile-summary.mjs'), path.join(tmp, 'focus.cpuprofile')],
        { encoding: 'utf8' },
      ),
    );
  }
} finally {
  await stopAllChildren();
  await cluster.destroy();
  rmSync(tmp, { recursive: true, force: true });
}
