import type { FieldReason } from '@hiwar/protocol/codes';
import { isHiwarError } from '@hiwar/sdk';

/** Field → why it was refused; `origins.2` names one origin of a list. */
export type FieldErrors = Record<string, FieldReason | 'mismatch'>;

/**
 * The per-field reasons of a `validation_failed` answer, with list entries other than
 * origins folded into their list (`holdWords.3` → `holdWords`); null for any other failure.
 *
 * @example
 * fieldErrorsOf(error) // { 'origins.1': 'invalid', autoCloseDays: 'out_of_range' }
 */
export function fieldErrorsOf(error: unknown, keepIndex: readonly string[] = []): FieldErrors | null {
  if (!isHiwarError(error) || error.code !== 'validation_failed') return null;
  const errors: FieldErrors = {};
  for (const [path, reason] of Object.entries(error.fields ?? {})) {
    const [head = path] = path.split('.');
    errors[keepIndex.includes(head) ? path : head] ??= reason;
  }
  return errors;
}

/** The first field (in form order) that has an error, to move the focus to. */
export function firstErrorField(errors: FieldErrors, order: readonly string[]): string | undefined {
  const keys = Object.keys(errors);
  for (const field of order)
    if (keys.some((key) => key === field || key.startsWith(`${field}.`))) return field;
  return keys[0];
}
