import { type ErrorBody, type ErrorCode, type FieldReason, isErrorCode } from '@hiwar/protocol/codes';

/** The `details` object of an error answer (`validation_failed` puts `fields` here). */
export type ErrorDetails = NonNullable<ErrorBody['error']['details']>;

/** What a {@link HiwarError} is built from. */
export interface HiwarErrorInit {
  code: ErrorCode;
  /** HTTP status; 0 when no answer came (network failure, timeout). */
  status: number;
  message?: string;
  details?: ErrorDetails;
  /** Seconds the server asked to wait (`Retry-After`). */
  retryAfter?: number;
  cause?: unknown;
}

/**
 * The one error the SDK throws, except for an abort the caller asked for, which is
 * rethrown as the platform's `AbortError`. `code` is one of the stable codes of the
 * contract; map it to words in the reader's language rather than showing `message`.
 *
 * @example
 * try {
 *   await client.comments.create(body);
 * } catch (error) {
 *   if (isHiwarError(error) && error.code === 'validation_failed') {
 *     showFieldErrors(error.fields); // { 'author.email': 'invalid_email' }
 *   } else throw error;
 * }
 */
export class HiwarError extends Error {
  override readonly name = 'HiwarError';
  /** One of the contract's stable codes; `unavailable` also when no answer came. */
  readonly code: ErrorCode;
  /** HTTP status; 0 when no answer came (network failure, timeout). */
  readonly status: number;
  // Declared, not initialised: absent ones are not even own properties.
  /** Field → reason, from `details.fields` of a `validation_failed` answer. */
  declare readonly fields?: Record<string, FieldReason>;
  declare readonly details?: ErrorDetails;
  /** Seconds the server asked to wait (`Retry-After`), e.g. with `rate_limited`. */
  declare readonly retryAfter?: number;

  constructor(init: HiwarErrorInit) {
    super(init.message ?? init.code, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    if (init.details) {
      this.details = init.details;
      if (init.details.fields) this.fields = init.details.fields;
    }
    if (init.retryAfter !== undefined) this.retryAfter = init.retryAfter;
  }
}

/**
 * True for a {@link HiwarError}, also one thrown by another copy of the SDK (the
 * widget and the admin may each bundle their own).
 *
 * @example
 * if (isHiwarError(error) && error.code === 'rate_limited') wait(error.retryAfter ?? 10);
 */
export function isHiwarError(error: unknown): error is HiwarError {
  return (
    error instanceof HiwarError ||
    (error instanceof Error && error.name === 'HiwarError' && isErrorCode((error as HiwarError).code))
  );
}

/** The code an answer gets when its body does not name one (a proxy's HTML page, say). */
export function codeForStatus(status: number): ErrorCode {
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  if (status === 429) return 'rate_limited';
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 404) return 'not_found';
  if (status === 403) return 'forbidden';
  if (status === 401) return 'unauthorized';
  return 'internal';
}

/**
 * Seconds to wait from a `Retry-After` value (delta-seconds or an HTTP date), or
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * The error an unsuccessful answer stands for, from its status and body text, with
 * the seconds its `Retry-After` asked for.
 */
export function errorFromResponse(status: number, text: string, retryAfter?: number): HiwarError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: a proxy's or a load balancer's page. The status is all we know.
  }
  const error =
    isRecord(body) && isRecord(body.error) ? (body.error as Partial<ErrorBody['error']>) : undefined;
  const code = error?.code;
  // A code newer than this SDK is unexpected too, but its message still helps whoever debugs.
  const known = isErrorCode(code);
  return new HiwarError({
    code: known ? code : codeForStatus(status),
    status,
    message: typeof error?.message === 'string' ? error.message : `HTTP ${status}`,
    details: known && isRecord(error?.details) ? error.details : undefined,
    retryAfter,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
