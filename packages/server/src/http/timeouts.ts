import type { IncomingMessage, ServerOptions } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import type { Logger } from 'pino';
import { ApiError } from './api-error.js';
import type { ApplySecurityHeaders } from './security-headers.js';

/** How long the Node server waits for each part of a request, and for its handler. */
export interface HttpTimeouts {
  /** The request line and every header must arrive within this (a slowloris client is cut: 408). */
  headersMs: number;
  /** The whole request, headers and body, must arrive within this (408). */
  requestMs: number;
  /** A keep-alive connection with no request is closed after this long idle. */
  keepAliveMs: number;
  /**
   * A handler that has not answered this long after its request arrived in full gets
   * 503 `unavailable`. A streamed answer counts as answered once it starts.
   */
  handlerMs: number;
}

/**
 * The defaults. `keepAliveMs` is longer than the idle timeout of the proxies in
 * front of Hiwar usually are (nginx and load balancers: 60 s), so that the proxy,
 * not Hiwar, closes an idle connection and never sends a request down one Hiwar
 * is closing.
 */
export const DEFAULT_HTTP_TIMEOUTS: Readonly<HttpTimeouts> = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 65_000,
  handlerMs: 20_000,
};

/** Time left for the database work around a spam check that used its whole limit. */
export const SPAM_CHECK_MARGIN_MS = 10_000;

/**
 * The handler limit for a config: the default, or more when the spam check (which
 * a comment's POST waits for, up to `spamCheckTimeoutMs`) could otherwise reach it,
 * so that a slow spam service holds the comment (its own timeout) instead of the
 * reader getting 503.
 *
 * @example
 * handlerTimeoutMs({ spamCheckTimeoutMs: 3_000 }) // → 20000
 * handlerTimeoutMs({ spamCheckTimeoutMs: 60_000 }) // → 70000
 */
export function handlerTimeoutMs(config: { spamCheckTimeoutMs: number }): number {
  return Math.max(DEFAULT_HTTP_TIMEOUTS.handlerMs, config.spamCheckTimeoutMs + SPAM_CHECK_MARGIN_MS);
}

/**
 * Options for `http.createServer`. Node checks the header and request timeouts on
 * a timer (every 30 s by default), so a limit of 10 s could let a client hold a
 * connection for 40: the check runs at a fifth of the shorter limit, at most once a second.
 *
 * @example
 * serve({ fetch, port, serverOptions: nodeServerOptions(DEFAULT_HTTP_TIMEOUTS) })
 */
export function nodeServerOptions(
  timeouts: Pick<HttpTimeouts, 'headersMs' | 'requestMs' | 'keepAliveMs'>,
): ServerOptions {
  if (!(timeouts.headersMs > 0 && timeouts.requestMs >= timeouts.headersMs && timeouts.keepAliveMs > 0)) {
    // Node refuses a header timeout longer than the request's; say which numbers are wrong.
    throw new RangeError(
      `HTTP timeouts must be positive, with headers (${timeouts.headersMs} ms) no longer than the whole request (${timeouts.requestMs} ms).`,
    );
  }
  return {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(timeouts.headersMs / 5))),
  };
}

type Fetch = (request: Request, env: HttpBindings) => Response | Promise<Response>;

export interface HandlerTimeoutOptions {
  timeoutMs: number;
  /** The same headers the app puts on its own answers. */
  secure: ApplySecurityHeaders;
  logger: Pick<Logger, 'warn'>;
}

/**
 * Wraps the app's fetch so that a request whose handler has not answered within
 * `timeoutMs` gets 503 `unavailable` (with `Retry-After`). The clock starts when the
 * request has arrived in full: a body still on its way is the Node server's
 * `requestTimeout`'s business (408), not a slow handler. The handler itself runs on
 * (it cannot be stopped); its late answer is dropped. A write that finishes after
 * its 503 is not undone: a retry with the same `Idempotency-Key` gets its answer.
 *
 * @example
 * serve({ fetch: withHandlerTimeout(app.fetch, { timeoutMs: 20_000, secure, logger }) })
 */
export function withHandlerTimeout(fetch: Fetch, options: HandlerTimeoutOptions): Fetch {
  return (request, env) => {
    const answer = Promise.resolve(fetch(request, env));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<Response>((resolve) => {
      const check = () => {
        if (!received(env.incoming)) {
          timer = setTimeout(check, options.timeoutMs);
          return;
        }
        const path = new URL(request.url).pathname;
        options.logger.warn(
          { method: request.method, path, timeoutMs: options.timeoutMs },
          'handler timed out',
        );
        resolve(timeoutResponse(path, request.headers.get('origin'), options.secure));
      };
      timer = setTimeout(check, options.timeoutMs);
    });
    // The request's socket closing ends the wait too (its answer has nowhere to go).
    const closed = () => clearTimeout(timer);
    env.outgoing?.once('close', closed);
    return Promise.race([answer, timedOut]).finally(() => {
      clearTimeout(timer);
      env.outgoing?.off('close', closed);
      // A late failure must not become an unhandled rejection.
      answer.catch(() => {});
    });
  };
}

/** Whether the request line, headers and body have all arrived (no `incoming`: a test's request). */
function received(incoming: IncomingMessage | undefined): boolean {
  return incoming?.complete ?? true;
}

function timeoutResponse(path: string, origin: string | null, secure: ApplySecurityHeaders): Response {
  const error = new ApiError('unavailable', 'The server took too long to answer; try again shortly.');
  const headers = new Headers({
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Retry-After': '5',
  });
  // As app.ts's CORS block answers the public API: a widget on another origin can then
  // read the code (and retry) instead of seeing a network error.
  if (origin && path.startsWith('/api/v1/') && !path.startsWith('/api/v1/admin/')) {
    headers.set('Access-Control-Allow-Origin', origin);
    headers.set('Access-Control-Expose-Headers', 'ETag, Retry-After');
    headers.set('Vary', 'Origin');
  }
  secure(path, headers);
  return new Response(JSON.stringify(error.toJSON()), { status: error.status, headers });
}
