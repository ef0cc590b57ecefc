import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const MAIN = `${ROOT}packages/server/dist/main.js`;
export const CLI = `${ROOT}packages/server/dist/cli.js`;
export const EMBED = `${ROOT}packages/widget/dist/embed.js`;

/** Stops the run at once, saying what to do, when the built files are missing. */
export function assertBuilt(): void {
  const missing = [MAIN, CLI, EMBED].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `The browser specs run the built server and widget, and these files are missing:\n${missing
        .map((file) => `  - ${file}`)
        .join('\n')}\nRun \`pnpm build\` first (\`pnpm test\` does).`,
    );
  }
}

/** A port nobody listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The server's environment: the embedded database in `dataDir`, nothing from the caller's database settings. */
function serverEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HIWAR_DATA_DIR: dataDir, HIWAR_LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.HIWAR_SECRET;
  delete env.HIWAR_PUBLIC_URL;
  return { ...env, ...extra };
}

/**
 * Runs `hiwar <args>` (the built CLI) on the embedded database in `dataDir`, with
 * `input` on its stdin (a password, say); rejects with its output on failure.
 */
export function runCli(dataDir: string, args: string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: serverEnv(dataDir) });
    child.stdin.end(input);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`hiwar ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

export interface HiwarProcess {
  /** As readers' browsers reach it: `http://localhost:PORT` (another origin than the host pages). */
  url: string;
  /** For Node (the SDK): `http://127.0.0.1:PORT`, so no IPv6 guess is involved. */
  apiUrl: string;
  port: number;
  /** What the server printed, for failure messages. */
  output(): string;
  /** Ends the process (SIGTERM drains; SIGKILL is a crash) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `node packages/server/dist/main.js` on the embedded database in `dataDir`,
 * listening on 127.0.0.1:`port`, and resolves once /readyz answers 200.
 *
 * @example
 * const hiwar = await startHiwar({ dataDir, port: await freePort() })
 * await hiwar.stop()
 */
export async function startHiwar(options: {
  dataDir: string;
  port: number;
  timeoutMs?: number;
  /** More settings, e.g. `DATABASE_URL` and `HIWAR_SECRET` for PostgreSQL instead of the embedded database. */
  env?: Record<string, string>;
}): Promise<HiwarProcess> {
  const { dataDir, port } = options;
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: serverEnv(dataDir, { PORT: String(port), HOST: '127.0.0.1', ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const apiUrl = `http://127.0.0.1:${port}`;
  const until = Date.now() + (options.timeoutMs ?? 90_000);
  for (;;) {
    if (exited) throw new Error(`The Hiwar server exited before it was ready:\n${output}`);
    try {
      if ((await fetch(`${apiUrl}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`The Hiwar server was not ready in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url: `http://localhost:${port}`,
    apiUrl,
    port,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (exited) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
