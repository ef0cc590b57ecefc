/**
 * Child processes of the bench: each server runs in its own process so that
 * its resident memory can be read from /proc/<pid>/status and no load
 * generator shares its event loop.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every child started here, so that cleanup can stop them whatever happened. */
const children = new Set();
let closed = false;

/** After this (on a signal), starting a child throws: the bench is on its way out. */
export function refuseNewChildren() {
  closed = true;
}

function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts `node [nodeArgs] <script>` with exactly `env`, output to `logFile`, and
 * waits until `GET http://127.0.0.1:<port><readyPath>` answers 200.
 */
export async function startNode({
  name,
  script,
  nodeArgs = [],
  env,
  port,
  logFile,
  readyPath,
  cwd,
  timeoutMs = 60_000,
}) {
  if (closed) throw new Error(`not starting ${name}: the bench is stopping`);
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeArgs, script], { cwd, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    children.delete(handle);
  });
  const handle = {
    name,
    pid: child.pid,
    port,
    logFile,
    url: `http://127.0.0.1:${port}`,
    memory: () => readMemory(child.pid),
    cpuMs: () => readCpuMs(child.pid),
    stop: () => stopChild(child, () => exited),
  };
  children.add(handle);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited)
      throw new Error(
        `${name} exited (${exited.code ?? exited.signal}) before it was ready:\n${tail(logFile)}`,
      );
    try {
      const response = await fetch(`${handle.url}${readyPath}`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return handle;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await handle.stop();
      throw new Error(`${name} was not ready after ${timeoutMs / 1000} s:\n${tail(logFile)}`);
    }
    await sleep(100);
  }
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the child is gone. */
async function stopChild(child, exited) {
  if (exited()) return;
  child.kill('SIGTERM');
  for (let waited = 0; !exited() && waited < 10_000; waited += 50) await sleep(50);
  if (!exited()) {
    child.kill('SIGKILL');
    for (let waited = 0; !exited() && waited < 5_000; waited += 50) await sleep(50);
  }
}

export async function stopAllChildren() {
  await Promise.all([...children].map((child) => child.stop()));
}

/** For exit handlers, where nothing asynchronous runs any more. */
export function killAllChildrenSync() {
  for (const child of children) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Resident memory (now and peak) of a process, in MiB. */
export function readMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return {
    rssMiB: Number((kib('VmRSS') / 1024).toFixed(1)),
    peakMiB: Number((kib('VmHWM') / 1024).toFixed(1)),
  };
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/**
 * CPU time (user + system) a process has used, in ms. Per request it is a figure
 * that other work on the machine disturbs far less than throughput.
 */
export function readCpuMs(pid) {
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/**
 * The Node flags `pnpm start` gives the server, read from the start script of the
 * root package.json at `root`, so that the benches measure the server as it is run.
 */
export function startScriptNodeArgs(root) {
  const { scripts } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
  const flags =
    /\bnode((?:\s+-[^\s]+)*)\s+packages\/server\/dist\/main\.js/.exec(scripts?.start ?? '')?.[1] ?? '';
  return flags.split(/\s+/).filter(Boolean);
}
