#!/usr/bin/env node
/**
 * `pnpm test [vitest args…]`: build the workspace, start a throwaway PostgreSQL cluster
 * (scripts/pg-cluster.mjs), run `vitest run <args>` against it, and remove the cluster
 * whatever happens (failure, Ctrl-C, SIGTERM). Exits with vitest's exit code.
 *
 * Environment read:
 *   HIWAR_TEST_PG_URL=postgres://…   use this server instead of starting one (tests cannot restart it)
 *   HIWAR_TEST_SKIP_POSTGRES=1       no PostgreSQL at all: run only the unit and pglite projects
 *   HIWAR_TEST_SKIP_BUILD=1          skip `pnpm -r run build` (quicker when iterating on sources)
 *   HIWAR_TEST_SKIP_BROWSER=1        skip the browser specs (tests/browser, real Chromium)
 * Environment given to the tests (when this script started the cluster):
 *   HIWAR_TEST_PG_URL   postgres://postgres@127.0.0.1:PORT/postgres (superuser, trust auth)
 *   HIWAR_TEST_PG_PORT  PORT
 *   HIWAR_TEST_PG_DIR   the cluster's folder: attachCluster() / `pg-cluster.mjs ctl <stop|start> DIR`
 *   HIWAR_TEST_PG_BIN   the PostgreSQL bin folder (pg_ctl, psql, …)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import {
  findPgBin,
  INSTALL_HINT,
  serverMajorVersion,
  startCluster,
  sweepStaleClusters,
} from './pg-cluster.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MIN_PG_MAJOR = 15;
const SIGNAL_CODES = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** @type {import('./pg-cluster.mjs').PgCluster | undefined} */
let cluster;
/** @type {import('node:child_process').ChildProcess | undefined} */
let child;
let interrupted;

const log = (message) => process.stderr.write(`[hiwar test] ${message}\n`);

async function phase(name, task) {
  const started = performance.now();
  try {
    return await task();
  } finally {
    log(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** Runs a command with inherited stdio; resolves with its exit code (128+n when killed by a signal). */
function exec(file, args, env = process.env) {
  return new Promise((resolve, reject) => {
    child = spawn(file, args, { cwd: root, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      child = undefined;
      resolve(code ?? 128 + (SIGNAL_CODES[signal] ?? 1));
    });
  });
}

async function removeCluster() {
  const c = cluster;
  cluster = undefined;
  if (c) await phase('stop PostgreSQL', () => c.destroy());
  // Clusters that test files started in workers which vitest killed before their afterAll.
  for (const dir of sweepStaleClusters()) log(`removed a cluster left behind: ${dir}`);
}

for (const signal of Object.keys(SIGNAL_CODES)) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = signal;
    log(`${signal}: stopping`);
    // A terminal's Ctrl-C reaches vitest by itself; a SIGTERM sent to us alone does not.
    if (child) child.kill(signal);
    else removeCluster().finally(() => process.exit(128 + SIGNAL_CODES[signal]));
  });
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift();
  const env = { ...process.env };

  if (env.HIWAR_TEST_SKIP_BUILD === '1') log('HIWAR_TEST_SKIP_BUILD=1: not building');
  else {
    const code = await phase('build', () =>
      exec('pnpm', ['-r', '--workspace-concurrency=1', 'run', '--if-present', 'build']),
    );
    if (code !== 0) {
      log(`the build failed (exit ${code}); not running the tests`);
      return code;
    }
  }
  if (interrupted) return 128 + SIGNAL_CODES[interrupted];

  const skipPostgres = env.HIWAR_TEST_SKIP_POSTGRES === '1';
  if (skipPostgres) {
    log(
      'WARNING: HIWAR_TEST_SKIP_POSTGRES=1: running only the unit and pglite projects; ' +
        'the postgres and e2e projects are skipped, so this run proves nothing about PostgreSQL.',
    );
    delete env.HIWAR_TEST_PG_URL;
    if (!args.some((arg) => arg === '--project' || arg.startsWith('--project='))) {
      args.push('--project', 'unit', '--project', 'pglite');
    }
  } else if (env.HIWAR_TEST_PG_URL) {
    log(`using HIWAR_TEST_PG_URL from the environment; tests that restart PostgreSQL start their own`);
  } else {
    const bin = findPgBin();
    if (!bin) {
      process.stderr.write(`\n${INSTALL_HINT}\n\n`);
      return 1;
    }
    const major = serverMajorVersion(bin);
    if (major < MIN_PG_MAJOR) {
      process.stderr.write(
        `\nPostgreSQL ${major} in ${bin} is too old: Hiwar needs ${MIN_PG_MAJOR} or newer.\n`,
      );
      return 1;
    }
    cluster = await phase(`start PostgreSQL ${major}`, () => startCluster({ bin }));
    if (interrupted) return 128 + SIGNAL_CODES[interrupted];
    Object.assign(env, {
      HIWAR_TEST_PG_URL: cluster.url,
      HIWAR_TEST_PG_PORT: String(cluster.port),
      HIWAR_TEST_PG_DIR: cluster.dir,
      HIWAR_TEST_PG_BIN: cluster.bin,
    });
    log(`PostgreSQL at ${cluster.url} (folder ${cluster.dir})`);
  }

  const vitest = path.join(root, 'node_modules', '.bin', 'vitest');
  if (!existsSync(vitest)) {
    log(`${vitest} is missing: run \`pnpm install\` first`);
    return 1;
  }
  const code = await phase('vitest', () => exec(vitest, ['run', ...args], env));
  // The browser specs (real Chromium against the built widget) have a runner config of their
  // own; they run on a full `pnpm test`, not when arguments narrow the run.
  if (interrupted || env.HIWAR_TEST_SKIP_BROWSER === '1' || args.length > 0) return code;
  const browser = await phase('browser specs', () =>
    exec(vitest, ['run', '--config', 'tests/browser/vitest.config.ts'], env),
  );
  return code || browser;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  log(`failed: ${error?.stack ?? error}`);
} finally {
  try {
    await removeCluster();
  } catch (error) {
    log(`could not remove the PostgreSQL cluster: ${error?.message ?? error}`);
    exitCode ||= 1;
  }
}
process.exit(exitCode);
