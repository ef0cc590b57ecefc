#!/usr/bin/env node
/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temporary folder, start on a free
 * port on 127.0.0.1, stop and start it again at will (fault tests), remove it at the end.
 * Uses only node:* modules and the PostgreSQL binaries of the machine.
 *
 * @example
 * import { startCluster } from '../../scripts/pg-cluster.mjs';
 * const pg = await startCluster();
 * // connect to pg.url ...
 * await pg.stop();    // the server is down; the data stays
 * await pg.start();   // same port, same data
 * await pg.destroy(); // stopped and its folder removed; safe to call twice
 *
 * CLI:
 *   node scripts/pg-cluster.mjs start            print the URL, run until SIGINT/SIGTERM, then remove
 *   node scripts/pg-cluster.mjs ctl <stop|start|status> [dir] [fast|immediate]
 *                                                control a cluster by its folder (default
 *                                                $HIWAR_TEST_PG_DIR); the stop mode defaults to fast
 *   node scripts/pg-cluster.mjs bin              print the PostgreSQL bin folder, or fail with a hint
 *   node scripts/pg-cluster.mjs sweep            stop and remove clusters left by dead processes
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  chownSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const DIR_PREFIX = 'hiwar-pg-';
const STATE_FILE = 'cluster.json';
const REQUIRED_BINARIES = ['initdb', 'pg_ctl', 'postgres'];

export const INSTALL_HINT =
  'No PostgreSQL server binaries (initdb, pg_ctl, postgres) were found: not via `pg_config --bindir`, ' +
  'not in /usr/lib/postgresql/*/bin, not on PATH.\n' +
  'Install them, e.g. on Debian/Ubuntu as root: apt-get update && apt-get install -y postgresql\n' +
  '(or set HIWAR_TEST_PG_BIN to a folder holding them, or HIWAR_TEST_PG_URL to a server you run, ' +
  'or HIWAR_TEST_SKIP_POSTGRES=1 to run only the tests that need no PostgreSQL server).';

/** Thrown for every failure of this module, with the command output or server log attached. */
export class PgClusterError extends Error {
  name = 'PgClusterError';
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** PG* variables of the caller (PGPORT, PGDATA, ...) must not redirect our commands. */
function cleanEnv() {
  const env = { ...process.env, LC_ALL: 'C' };
  for (const key of Object.keys(env)) if (key.startsWith('PG')) delete env[key];
  return env;
}

function hasServerBinaries(dir) {
  if (!dir) return false;
  try {
    for (const name of REQUIRED_BINARIES) accessSync(path.join(dir, name), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The folder holding initdb, pg_ctl and postgres, or null when the machine has none.
 * Order: $HIWAR_TEST_PG_BIN, `pg_config --bindir`, the highest /usr/lib/postgresql/N/bin, PATH.
 * (Debian's /usr/bin/pg_config comes with libpq-dev and may name a folder holding only the
 * client tools, hence the check for the server binaries.)
 */
export function findPgBin() {
  const candidates = [];
  if (process.env.HIWAR_TEST_PG_BIN) candidates.push(process.env.HIWAR_TEST_PG_BIN);
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8', env: cleanEnv() });
  if (pgConfig.status === 0) candidates.push(pgConfig.stdout.trim());
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    for (const v of versions) candidates.push(path.join(debianRoot, v, 'bin'));
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'initdb'))) {
      candidates.push(path.dirname(realpathSync(path.join(dir, 'initdb'))));
    }
  }
  return candidates.find(hasServerBinaries) ?? null;
}

/** Like findPgBin, but throws a PgClusterError that says how to install PostgreSQL. */
export function requirePgBin() {
  const bin = findPgBin();
  if (!bin) throw new PgClusterError(INSTALL_HINT);
  return bin;
}

/** The major version of the server binaries in `bin`, e.g. 15. */
export function serverMajorVersion(bin = requirePgBin()) {
  const out = spawnSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout ?? '';
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(out);
  if (!match) throw new PgClusterError(`cannot read the version of ${bin}/postgres: ${out}`);
  return Number(match[1]);
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

function postgresIds() {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new PgClusterError(
      'running as root, but there is no `postgres` user to run initdb and pg_ctl as ' +
        '(initdb refuses root). Create one (useradd -r postgres) or install the postgresql package.',
    );
  }
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/** initdb and pg_ctl refuse to run as root: as root they run as `postgres` through runuser. */
function asServerUser(file, args) {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

/** Runs a command to its end; resolves with its exit code and merged output, never rejects on a code. */
function run(file, args, { cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

function utf8Locale() {
  const locales = spawnSync('locale', ['-a'], { encoding: 'utf8' });
  const found = locales.status === 0 && /^c\.utf-?8$/im.test(locales.stdout);
  return found ? 'C.UTF-8' : 'C';
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code === 'EPERM';
  }
  try {
    // A killed process nobody has reaped yet is a zombie: dead for our purpose.
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Clusters this process created, removed on exit if the caller forgot (or crashed). */
const owned = new Set();
let exitHookInstalled = false;
function trackOwned(cluster) {
  owned.add(cluster);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of owned) c.destroySync();
    });
  }
}

/**
 * A PostgreSQL cluster in a folder of its own: `dir/data` (the data), `dir/postgres.log`,
 * the Unix socket in `dir`, and `dir/cluster.json` (what attachCluster reads).
 * Its settings (port, listen address, socket folder, fsync off, max_connections=300) live in
 * `data/hiwar-test.conf`, included from postgresql.conf, so a plain `pg_ctl -D <dataDir> start`
 * brings it back exactly as it was.
 */
export class PgCluster {
  #chain = Promise.resolve();
  #destroyed = false;

  /** @param {{ dir: string, port: number, bin: string }} options */
  constructor({ dir, port, bin }) {
    this.dir = dir;
    this.port = port;
    this.bin = bin;
    this.dataDir = path.join(dir, 'data');
    this.logFile = path.join(dir, 'postgres.log');
  }

  /** `postgres://postgres@127.0.0.1:PORT/postgres`: trust authentication, no password. */
  get url() {
    return this.urlFor('postgres');
  }

  /** The URL of another database of this cluster (see createDatabase). */
  urlFor(database) {
    return `postgres://postgres@127.0.0.1:${this.port}/${encodeURIComponent(database)}`;
  }

  /** Runs `pg_ctl <args> -D <dataDir>` as the server's user; resolves with `{ code, output }`. */
  pgCtl(args) {
    const [file, argv] = asServerUser(path.join(this.bin, 'pg_ctl'), [...args, '-D', this.dataDir]);
    return run(file, argv, { cwd: this.dir });
  }

  /** Whether the server is running (`pg_ctl status`). */
  async isRunning() {
    return (await this.pgCtl(['status'])).code === 0;
  }

  /** Starts the server if it is down, on the same port with the same data; waits until it accepts connections. */
  start() {
    return this.#serial(async () => {
      this.#assertAlive();
      if (await this.isRunning()) return;
      const { code, output } = await this.pgCtl(['start', '-w', '-t', '60', '-l', this.logFile]);
      if (code !== 0) {
        throw new PgClusterError(
          `pg_ctl start failed (exit ${code}) for ${this.dataDir}:\n${output}\n--- ${this.logFile}:\n${tail(this.logFile)}`,
        );
      }
    });
  }

  /**
   * Stops the server if it runs; the data stays, so start() brings it back. Safe to call twice.
   * mode: 'fast' (default: disconnects clients, clean shutdown), 'immediate' (like a crash), 'smart'.
   */
  stop({ mode = 'fast' } = {}) {
    return this.#serial(async () => {
      if (this.#destroyed || !existsSync(this.dataDir)) return;
      if (!(await this.isRunning())) return;
      const { code, output } = await this.pgCtl(['stop', '-w', '-t', '60', '-m', mode]);
      if (code !== 0 && (await this.isRunning())) {
        throw new PgClusterError(`pg_ctl stop failed (exit ${code}) for ${this.dataDir}:\n${output}`);
      }
    });
  }

  /** Runs SQL through psql as the `postgres` superuser; resolves with psql's output. */
  async psql(sql, { database = 'postgres' } = {}) {
    const psql = path.join(this.bin, 'psql');
    const connection = ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', database];
    const args = ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', ...connection, '-c', sql];
    const { code, output } = await run(existsSync(psql) ? psql : 'psql', args);
    if (code !== 0) throw new PgClusterError(`psql failed (exit ${code}) running ${sql}:\n${output}`);
    return output;
  }

  /**
   * Creates a database and resolves with its URL. `template` copies another database of the
   * cluster (a migrated one, say: much cheaper than migrating again).
   */
  async createDatabase(name, { template } = {}) {
    const sql = `CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ''}`;
    await this.psql(sql);
    return this.urlFor(name);
  }

  /** Drops a database if it exists, disconnecting its clients. */
  async dropDatabase(name) {
    await this.psql(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  }

  /** Stops the server and removes the whole folder. Safe to call twice; start() fails afterwards. */
  destroy() {
    return this.#serial(async () => {
      if (this.#destroyed) return;
      if (existsSync(this.dataDir) && (await this.isRunning())) {
        await this.pgCtl(['stop', '-w', '-t', '60', '-m', 'immediate']);
      }
      this.#remove();
    });
  }

  /** destroy() for exit handlers, where nothing asynchronous runs any more. */
  destroySync() {
    if (this.#destroyed) return;
    if (existsSync(path.join(this.dataDir, 'postmaster.pid'))) {
      const [file, argv] = asServerUser(path.join(this.bin, 'pg_ctl'), [
        'stop',
        '-w',
        '-t',
        '30',
        '-m',
        'immediate',
        '-D',
        this.dataDir,
      ]);
      spawnSync(file, argv, { cwd: os.tmpdir(), env: cleanEnv(), stdio: 'ignore' });
    }
    this.#remove();
  }

  #remove() {
    this.#destroyed = true;
    owned.delete(this);
    rmSync(this.dir, { recursive: true, force: true });
  }

  #assertAlive() {
    if (this.#destroyed) throw new PgClusterError(`the cluster in ${this.dir} was destroyed`);
  }

  /** stop/start/destroy never interleave, whoever calls them. */
  #serial(task) {
    const next = this.#chain.then(task, task);
    this.#chain = next.catch(() => {});
    return next;
  }

  /** What attachCluster needs, written to dir/cluster.json. */
  toJSON() {
    return { dir: this.dir, port: this.port, bin: this.bin, url: this.url, ownerPid: process.pid };
  }
}

function quoteIdent(name) {
  return `"${String(name).replaceAll('"', '""')}"`;
}

function writeSettings(dataDir, { port, socketDir }) {
  const settings = [
    '# written by scripts/pg-cluster.mjs: a throwaway test cluster, durability off',
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${socketDir.replaceAll("'", "''")}'`,
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'max_connections = 300',
    '',
  ].join('\n');
  const file = path.join(dataDir, 'hiwar-test.conf');
  writeFileSync(file, settings);
  return file;
}

/**
 * Creates and starts a throwaway cluster; resolves with its handle. The caller owns it and
 * must destroy() it (an exit hook removes it too if the process ends normally; `sweep`
 * removes clusters of processes that were killed).
 *
 * @param {{ bin?: string, port?: number }} [options]
 * @returns {Promise<PgCluster>}
 * @example
 * const pg = await startCluster();
 * try { await runTests(pg.url); } finally { await pg.destroy(); }
 */
export async function startCluster({ bin = requirePgBin(), port } = {}) {
  sweepStaleClusters();
  const dir = mkdtempSync(path.join(os.tmpdir(), DIR_PREFIX));
  const writeState = (cluster) =>
    writeFileSync(path.join(dir, STATE_FILE), `${JSON.stringify(cluster, null, 2)}\n`);
  try {
    // At once, so that sweepStaleClusters() can tell whose folder this is if we die in initdb.
    writeState(new PgCluster({ dir, port: 0, bin }));
    // As root, the server's files belong to `postgres` (initdb and pg_ctl run as that user).
    const serverUser = isRoot() ? postgresIds() : null;
    const giveToServerUser = (file) => serverUser && chownSync(file, serverUser.uid, serverUser.gid);
    giveToServerUser(dir);
    const dataDir = path.join(dir, 'data');
    const initdb = async (locale) => {
      const [file, argv] = asServerUser(path.join(bin, 'initdb'), [
        '-D',
        dataDir,
        '-A',
        'trust',
        '-U',
        'postgres',
        '--no-sync',
        '--no-instructions',
        '-E',
        'UTF8',
        `--locale=${locale}`,
      ]);
      return run(file, argv, { cwd: dir });
    };
    const locale = utf8Locale();
    let result = await initdb(locale);
    if (result.code !== 0 && locale !== 'C' && !existsSync(dataDir)) result = await initdb('C');
    if (result.code !== 0) throw new PgClusterError(`initdb failed (exit ${result.code}):\n${result.output}`);
    const conf = path.join(dataDir, 'postgresql.conf');
    writeFileSync(conf, `${readFileSync(conf, 'utf8')}\ninclude 'hiwar-test.conf'\n`);

    // Another process may take the free port between the probe and the bind: try a few.
    for (let attempt = 1; ; attempt++) {
      const cluster = new PgCluster({ dir, port: port ?? (await freePort()), bin });
      giveToServerUser(writeSettings(dataDir, { port: cluster.port, socketDir: dir }));
      writeState(cluster);
      trackOwned(cluster);
      try {
        await cluster.start();
        return cluster;
      } catch (error) {
        owned.delete(cluster);
        const portTaken = /could not (bind|create listen socket)|Address already in use/i.test(
          tail(cluster.logFile, 10),
        );
        if (!portTaken || port !== undefined || attempt >= 5) throw error;
      }
    }
  } catch (error) {
    // A server that came up half-way (pg_ctl timed out, say) must not outlive its folder.
    new PgCluster({ dir, port: 0, bin }).destroySync();
    throw error;
  }
}

/**
 * A handle on a cluster started elsewhere (by scripts/test.mjs, say), found by its folder.
 * stop() and start() work as on the original; destroy() removes it for everyone.
 *
 * @param {{ dir?: string }} [options] dir defaults to $HIWAR_TEST_PG_DIR
 * @returns {PgCluster}
 * @example
 * const pg = attachCluster(); // the cluster of `pnpm test`
 * await pg.stop({ mode: 'immediate' });
 * await pg.start();
 */
export function attachCluster({ dir = process.env.HIWAR_TEST_PG_DIR } = {}) {
  if (!dir) throw new PgClusterError('attachCluster: no dir given and HIWAR_TEST_PG_DIR is not set');
  const stateFile = path.join(dir, STATE_FILE);
  if (!existsSync(stateFile)) throw new PgClusterError(`attachCluster: ${stateFile} does not exist`);
  const state = JSON.parse(readFileSync(stateFile, 'utf8'));
  return new PgCluster({ dir, port: state.port, bin: state.bin });
}

/**
 * Stops and removes clusters in os.tmpdir() whose creating process is gone (a killed test run).
 * Returns the folders removed.
 */
export function sweepStaleClusters() {
  const removed = [];
  const tmp = os.tmpdir();
  let entries = [];
  try {
    entries = readdirSync(tmp).filter((name) => name.startsWith(DIR_PREFIX));
  } catch {
    return removed;
  }
  for (const name of entries) {
    const dir = path.join(tmp, name);
    try {
      const stateFile = path.join(dir, STATE_FILE);
      if (existsSync(stateFile)) {
        const state = JSON.parse(readFileSync(stateFile, 'utf8'));
        if (pidAlive(state.ownerPid)) continue;
        new PgCluster({ dir, port: state.port, bin: state.bin }).destroySync();
        removed.push(dir);
      } else if (Date.now() - statSync(dir).mtimeMs > 60 * 60 * 1000) {
        // No state file: left long ago by a process killed right after creating the folder.
        rmSync(dir, { recursive: true, force: true });
        removed.push(dir);
      }
    } catch {
      // Another process is sweeping or starting it: not ours to fight over.
    }
  }
  return removed;
}

async function cli(argv) {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start': {
      const cluster = await startCluster();
      let stopping = false;
      const shutdown = async () => {
        if (stopping) return;
        stopping = true;
        await cluster.destroy();
        process.exit(0);
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
      process.on('SIGHUP', shutdown);
      process.stdout.write(`${cluster.url}\n`);
      process.stderr.write(
        `PostgreSQL ${serverMajorVersion(cluster.bin)} running: dir ${cluster.dir}, bin ${cluster.bin}. ` +
          'Ctrl-C stops and removes it.\n',
      );
      setInterval(() => {}, 1 << 30);
      return;
    }
    case 'ctl': {
      const [action, dir] = rest;
      const cluster = attachCluster(dir ? { dir } : {});
      if (action === 'stop') await cluster.stop({ mode: rest[2] ?? 'fast' });
      else if (action === 'start') await cluster.start();
      else if (action === 'status') {
        const running = await cluster.isRunning();
        process.stdout.write(`${running ? 'running' : 'stopped'} ${cluster.url}\n`);
        process.exitCode = running ? 0 : 3;
      } else throw new PgClusterError(`ctl: expected stop, start or status, got ${action ?? 'nothing'}`);
      return;
    }
    case 'bin': {
      process.stdout.write(`${requirePgBin()}\n`);
      return;
    }
    case 'sweep': {
      for (const dir of sweepStaleClusters()) process.stdout.write(`removed ${dir}\n`);
      return;
    }
    default:
      process.stderr.write(
        'usage: node scripts/pg-cluster.mjs start | ctl <stop|start|status> [dir] [fast|immediate] | bin | sweep\n',
      );
      process.exitCode = 2;
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`pg-cluster: ${error instanceof PgClusterError ? error.message : error.stack}\n`);
    process.exit(1);
  });
}
