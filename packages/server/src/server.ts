import type { Server, ServerOptions, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HttpBindings, serve } from '@hono/node-server';
import type { Logger } from 'pino';
import { type AppLifecycle, createApp } from './app.js';
import { type Config, resolveSecret } from './config.js';
import type { Clock } from './context.js';
import { deriveKeys } from './crypto/keys.js';
import { type DatabaseKind, openDatabase } from './db/open-database.js';
import { prepareDatabase } from './db/prepare.js';
import { createLogger } from './http/logger.js';
import { securityHeaders } from './http/security-headers.js';
import {
  DEFAULT_HTTP_TIMEOUTS,
  type HttpTimeouts,
  handlerTimeoutMs,
  nodeServerOptions,
  withHandlerTimeout,
} from './http/timeouts.js';

export const DRAIN_TIMEOUT_MS = 10_000;

export interface StartServerOptions {
  /** Defaults to a JSON logger at `config.logLevel` on stdout. */
  logger?: Logger;
  clock?: Clock;
  /** How long `close()` waits for requests in flight before cutting them. */
  drainTimeoutMs?: number;
  /**
   * The HTTP timeouts ({@link DEFAULT_HTTP_TIMEOUTS}; the handler's is
   * {@link handlerTimeoutMs} of the config). Tests shorten them.
   */
  timeouts?: Partial<HttpTimeouts>;
}

export interface RunningServer {
  /** Where the server listens, e.g. `http://127.0.0.1:8080` (with the real port when `config.port` is 0). */
  url: string;
  kind: DatabaseKind;
  logger: Logger;
  lifecycle: AppLifecycle;
  /**
   * Drains and stops: /readyz answers 503, no new connections, requests in
   * flight finish (up to the drain timeout), then the database closes (which
   * releases the embedded data folder). Every call returns the same promise.
   */
  close(): Promise<void>;
}

/** The port cannot be listened on (in use, privileged, not an address of this machine). */
export class ListenError extends Error {
  override name = 'ListenError';
}

/**
 * Opens the database the settings name, migrates it, checks the secret and
 * serves the app on `config.host:config.port`. Installs no process handlers:
 * see {@link stopOnSignals} for that.
 *
 * @example
 * const server = await startServer(loadConfig(process.env))
 * await fetch(`${server.url}/healthz`)
 * await server.close()
 */
export async function startServer(
  config: Readonly<Config>,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const keys = deriveKeys(resolveSecret(config));
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let server: Server;
  let lifecycle: AppLifecycle;
  const inFlight = new Set<ServerResponse>();
  try {
    await prepareDatabase(handle.db, keys, handle.kind);
    const created = createApp({ db: handle.db, config, keys, clock: options.clock, logger });
    lifecycle = created.lifecycle;
    const { app } = created;
    const timeouts: HttpTimeouts = {
      ...DEFAULT_HTTP_TIMEOUTS,
      handlerMs: handlerTimeoutMs(config),
      ...options.timeouts,
    };
    const fetch = withHandlerTimeout(app.fetch, {
      timeoutMs: timeouts.handlerMs,
      secure: securityHeaders({ publicUrl: config.publicUrl }),
      logger,
    });
    server = await listen(config, nodeServerOptions(timeouts), (request, env) => {
      const outgoing = env.outgoing;
      // Answers given while draining tell the client to close its connection.
      if (lifecycle.draining) outgoing.shouldKeepAlive = false;
      inFlight.add(outgoing);
      outgoing.once('close', () => inFlight.delete(outgoing));
      return fetch(request, env);
    });
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }

  const url = urlOf(server.address() as AddressInfo);
  logger.info(
    {
      url: friendlyUrl(config.host, (server.address() as AddressInfo).port),
      publicUrl: config.publicUrl,
      database: describeDatabase(config, handle.kind),
    },
    'Hiwar is listening',
  );

  const drainTimeoutMs = options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS;
  let closing: Promise<void> | undefined;
  const drainAndClose = async () => {
    lifecycle.draining = true;
    logger.info(
      { inFlight: inFlight.size, timeoutMs: drainTimeoutMs },
      'draining: finishing requests in flight',
    );
    for (const outgoing of inFlight) if (!outgoing.headersSent) outgoing.shouldKeepAlive = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive sockets with no request would hold close() open until they time out.
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((resolve) => {
      timer = setTimeout(() => resolve(true), drainTimeoutMs);
    });
    const cut = await Promise.race([closed.then(() => false), timedOut]);
    clearInterval(sweep);
    clearTimeout(timer);
    if (cut) {
      logger.warn({ inFlight: inFlight.size }, 'drain timed out: closing the connections still open');
      server.closeAllConnections();
      await closed;
    }
    await handle.close();
    logger.info('stopped');
  };

  return {
    url,
    kind: handle.kind,
    logger,
    lifecycle,
    close: () => {
      closing ??= drainAndClose();
      return closing;
    },
  };
}

type Fetch = (request: Request, env: HttpBindings) => Response | Promise<Response>;

function listen(config: Readonly<Config>, serverOptions: ServerOptions, fetch: Fetch): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: fetch as never, port: config.port, hostname: config.host, serverOptions },
      () => {
        server.off('error', onError);
        resolve(server as Server);
      },
    ) as Server;
    const onError = (error: NodeJS.ErrnoException) => {
      server.close();
      reject(new ListenError(listenMessage(error, config), { cause: error }));
    };
    server.once('error', onError);
  });
}

function listenMessage(error: NodeJS.ErrnoException, config: Readonly<Config>): string {
  const where = `${config.host}:${config.port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `Another program already listens on ${where}. Stop it, or set PORT to a free port.`;
    case 'EACCES':
      return `Hiwar may not listen on ${where}: ports below 1024 need privileges. Set PORT above 1023 and put a reverse proxy in front.`;
    case 'EADDRNOTAVAIL':
      return `HOST=${config.host} is not an address of this machine. Use 127.0.0.1, or 0.0.0.0 for every interface.`;
    default:
      return `Hiwar cannot listen on ${where}: ${error.message}`;
  }
}

function urlOf(address: AddressInfo): string {
  const host =
    address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/** For the log line: loopback and wildcard hosts as `localhost` (the log scrubs IP addresses). */
function friendlyUrl(host: string, port: number): string {
  const local = ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'].includes(host);
  return `http://${local ? 'localhost' : host}:${port}`;
}

/**
 * The database, for logs and messages, without credentials: the PostgreSQL
 * URL's host and database name only.
 *
 * @example
 * describeDatabase({ databaseUrl: 'postgres://u:secret@db:5432/hiwar', dataDir: './data' }, 'postgres')
 * // → { kind: 'postgres', host: 'db:5432', name: 'hiwar' }
 */
export function describeDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  kind: DatabaseKind = config.databaseUrl ? 'postgres' : 'pglite',
): { kind: DatabaseKind; host?: string; name?: string; dataDir?: string } {
  if (kind === 'pglite' || !config.databaseUrl) return { kind: 'pglite', dataDir: config.dataDir };
  try {
    const url = new URL(config.databaseUrl);
    return { kind: 'postgres', host: url.host, name: decodeURIComponent(url.pathname.replace(/^\//, '')) };
  } catch {
    return { kind: 'postgres' };
  }
}

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;

/** What {@link stopOnSignals} needs of `process`; tests pass a stand-in. */
export interface ProcessLike {
  on(event: string, listener: (arg: unknown) => void): unknown;
  exit(code: number): void;
}

/**
 * Ties a running server to its process: the first SIGTERM or SIGINT drains
 * and closes it, then resolves with exit code 0; a second one exits at once
 * (128 + the signal's number). An unhandled rejection or uncaught exception is
 * logged (scrubbed, by the server's logger) and exits 1.
 *
 * @example
 * const server = await startServer(config)
 * process.exit(await stopOnSignals(server))
 */
export function stopOnSignals(
  server: Pick<RunningServer, 'close' | 'logger'>,
  proc: ProcessLike = process,
): Promise<number> {
  const { logger } = server;
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: keyof typeof SIGNAL_NUMBERS) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting without waiting');
        proc.exit(128 + SIGNAL_NUMBERS[signal]);
        return;
      }
      stopping = true;
      logger.info({ signal }, 'shutting down');
      server.close().then(
        () => resolve(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    const crash = (kind: string) => (error: unknown) => {
      logger.fatal({ err: error }, kind);
      proc.exit(1);
    };
    proc.on('SIGTERM', () => onSignal('SIGTERM'));
    proc.on('SIGINT', () => onSignal('SIGINT'));
    proc.on('unhandledRejection', crash('unhandled promise rejection'));
    proc.on('uncaughtException', crash('uncaught exception'));
  });
}
