/**
 * The closed set of error codes Hiwar answers with, and the HTTP status of each.
 *
 * Codes are stable: new ones are added, none is ever renamed. Clients map a code
 * to a message in the reader's language; the server never sends translated prose.
 * This module has no dependencies so that the SDK and the widget can import it.
 *
 * @example
 * if (body.error.code === 'rate_limited') retryLater(res.headers.get('Retry-After'))
 */
export const ERROR_STATUS = {
  invalid_json: 400,
  validation_failed: 422,
  url_not_allowed: 422,
  unknown_site: 404,
  not_found: 404,
  forbidden_origin: 403,
  invalid_token: 401,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  challenge_required: 403,
  edit_window_closed: 403,
  thread_closed: 403,
  banned: 403,
  duplicate_comment: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = /* @__PURE__ */ Object.keys(ERROR_STATUS) as ErrorCode[];

/**
 * Why one field of a request failed validation: the values of
 * `error.details.fields` in a `validation_failed` answer.
 */
export const FIELD_REASONS = [
  'required',
  'too_long',
  'too_short',
  'invalid',
  'invalid_email',
  'invalid_url',
  'invalid_characters',
  'must_be_empty',
  'out_of_range',
] as const;

export type FieldReason = (typeof FIELD_REASONS)[number];

/** The body of every error answer. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: { fields?: Record<string, FieldReason>; [key: string]: unknown };
  };
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}
