import { z } from 'zod';

/**
 * Limits follow WordPress's (`wp_get_comment_fields_max_lengths`) as a floor, so
 * nothing an imported WordPress comment holds is refused.
 */
export const LIMITS = {
  name: 245,
  email: 100,
  website: 200,
  body: 65_525,
  title: 500,
  url: 2_000,
  threadId: 200,
  site: 64,
  idempotencyKey: 200,
} as const;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when a string holds a NUL or a lone UTF-16 surrogate. */
export function hasForbiddenCharacters(value: string): boolean {
  return value.includes('\u0000') || LONE_SURROGATE.test(value);
}

/**
 * A string that is refused when it holds NUL or a lone surrogate, is normalized
 * to NFC, and only then has its length checked.
 */
export function text(max: number, options: { trim?: boolean; min?: number } = {}) {
  const { trim = true, min = 0 } = options;
  return z
    .string()
    .refine((value) => !hasForbiddenCharacters(value), { params: { reason: 'invalid_characters' } })
    .transform((value) => {
      const normalized = value.normalize('NFC');
      return trim ? normalized.trim() : normalized;
    })
    .pipe(z.string().min(min).max(max));
}

/** Lower-cased, trimmed, NFC; at most {@link LIMITS.email} characters. */
export const emailField = text(LIMITS.email)
  .transform((value) => value.toLowerCase())
  .pipe(z.email());

/** Whether a string is an absolute http(s) URL with a host. */
export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol, hostname } = new URL(value);
  return (protocol === 'http:' || protocol === 'https:') && hostname.length > 0;
}

/** An absolute http(s) URL; with `optional`, the empty string is accepted too. */
export function httpUrl(max: number, options: { allowEmpty?: boolean } = {}) {
  return text(max).pipe(
    z.string().refine((value) => (options.allowEmpty && value === '') || isHttpUrl(value), {
      params: { reason: 'invalid_url' },
    }),
  );
}
