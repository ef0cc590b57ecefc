import { errorFromResponse, HiwarError } from './errors.js';

/** Waits `ms` milliseconds; rejects with the signal's reason if it aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** When a failed call that is safe to repeat is tried again. */
export interface RetryPolicy {
  /** How many times a failed safe call is repeated. */
  retries: number;
  /** Milliseconds before the next attempt, or undefined when the failure is final. */
  delay(error: HiwarError, attempt: number): number | undefined;
  sleep: Sleep;
}

export interface TransportOptions {
  baseUrl: string;
  fetch?: typeof fetch | undefined;
  /** Each attempt is aborted after this many milliseconds; 0 or Infinity: never. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** Seconds to wait that an error answer asks for (its `Retry-After`), for `HiwarError.retryAfter`. */
  retryAfter?: (headers: Headers) => number | undefined;
}

export type QueryValue = string | number | readonly string[] | null | undefined;

export interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
}

export type Send = <T>(call: Call) => Promise<T>;

/** A server asking to wait longer than this is not retried: the caller gets `retryAfter`. */
export const MAX_RETRY_AFTER_MS = 10_000;
/** No answer (network failure, timeout), too many requests, or a server briefly away. */
const RETRYABLE_STATUSES = [0, 429, 502, 503, 504];
const BACKOFF_BASE_MS = 300;
const BACKOFF_MAX_MS = 5_000;

/**
 * One place that talks HTTP: builds the URL, times each attempt out, retries what is
 * safe to retry as `options.retry` says and turns every failure into a HiwarError.
 */
export function createTransport(options: TransportOptions): Send {
  const root = options.baseUrl.replace(/\/+$/, '');
  const { retry } = options;
  // Looked up at call time, so a fetch installed after the client was made is used.
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  return async function send<T>(call: Call): Promise<T> {
    const url = root + call.path + queryString(call.query);
    const headers: Record<string, string> = { Accept: 'application/json', ...call.headers };
    const init: RequestInit = { method: call.method, headers };
    if (call.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(call.body);
    }
    // Repeating a GET is harmless; a POST only when the server can recognise the
    // repeat by its Idempotency-Key. A PATCH or DELETE that timed out may have
    // landed, so it is never sent twice.
    const retryable = call.method === 'GET' || (call.method === 'POST' && 'Idempotency-Key' in headers);

    for (let attempt = 0; ; attempt++) {
      const result = await attemptOnce(doFetch, url, init, options, call.signal);
      if (!(result instanceof HiwarError)) return result as T;
      const wait = retryable && attempt < retry.retries ? retry.delay(result, attempt) : undefined;
      if (wait === undefined) throw result;
      await retry.sleep(wait, call.signal);
    }
  };
}

/**
 * The SDK's retry policy: exponential backoff with jitter on network failures,
 * timeouts, 429, 502, 503 and 504, honouring a short `Retry-After`.
 */
export const backoff = (retries: number, sleep: Sleep = defaultSleep): RetryPolicy => ({
  retries,
  delay: retryDelay,
  sleep,
});

/**
 * A small policy for embedded clients: one more attempt, 300 to 600 ms later, when
 * no answer came or the server was briefly away (502, 503, 504).
 */
export const retryOnce: RetryPolicy = {
  retries: 1,
  delay: (error) => ([0, 502, 503, 504].includes(error.status) ? 300 + Math.random() * 300 : undefined),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Milliseconds before the next attempt, or undefined when the failure is final. */
function retryDelay(error: HiwarError, attempt: number): number | undefined {
  if (!RETRYABLE_STATUSES.includes(error.status)) return undefined;
  if (error.retryAfter !== undefined) {
    const ms = error.retryAfter * 1000;
    return ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
  }
  // Exponential backoff with jitter, so that clients failed by one outage do not all
  // come back in the same instant.
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/**
 * One request and its body, under the timeout. Resolves with the parsed body or a
 * HiwarError to consider retrying; rejects only when the caller aborted.
 */
async function attemptOnce(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
  { timeoutMs, retryAfter }: TransportOptions,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  signal?.throwIfAborted();
  // One controller per attempt, fed by the caller's signal and by the timer. Doing
  // by hand what AbortSignal.any and AbortSignal.timeout do keeps older browsers
  // working and removes the listener from a long-lived caller signal afterwards.
  const controller = new AbortController();
  const forward = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', forward);
  let timedOut: boolean = false;
  const timer =
    timeoutMs > 0 && timeoutMs < Infinity
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs)
      : undefined;
  try {
    const response = await doFetch(url, { ...init, signal: controller.signal });
    const text = await response.text();
    if (!response.ok) return errorFromResponse(response.status, text, retryAfter?.(response.headers));
    try {
      return JSON.parse(text);
    } catch (cause) {
      return new HiwarError({
        code: 'internal',
        status: response.status,
        message: 'The answer is not JSON',
        cause,
      });
    }
  } catch (cause) {
    if (signal?.aborted) throw cause;
    return new HiwarError({
      code: 'unavailable',
      status: 0,
      message: timedOut ? `No answer within ${timeoutMs} ms` : 'The server could not be reached',
      details: timedOut ? { timeout: true } : undefined,
      cause,
    });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forward);
  }
}

/** `?a=1&b=x&b=y`, encoding with encodeURIComponent so `+` and spaces survive any server. */
function queryString(query: Record<string, QueryValue> | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of typeof value === 'object' ? value : [value]) {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(item)}`);
    }
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const done = () => {
      signal?.removeEventListener('abort', abort);
      resolve();
    };
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', abort, { once: true });
  });

/**
 * A random version 4 UUID. `crypto.randomUUID` exists only in secure contexts, and a
 * publisher's page may still be served over plain http.
 */
export function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
