import { ERROR_STATUS, type ErrorBody, type ErrorCode, type FieldReason } from '@hiwar/protocol';

/**
 * The one error class handlers throw. `app.onError` turns it into
 * `{ error: { code, message, details } }` with the code's status.
 *
 * @example
 * throw new ApiError('not_found', 'No comment has this id.')
 */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorBody['error']['details'],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }

  toJSON(): ErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) },
    };
  }
}

export function validationError(fields: Record<string, FieldReason>): ApiError {
  const names = Object.keys(fields).join(', ');
  return new ApiError('validation_failed', `Some fields are not valid: ${names}.`, { fields });
}
