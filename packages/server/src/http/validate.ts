import { FIELD_REASONS, type FieldReason } from '@hiwar/protocol';
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError, validationError } from './api-error.js';

const REASONS = new Set<FieldReason>(FIELD_REASONS);

/** Maps zod's issues to `details.fields`: one stable reason per field path. */
export function fieldsOf(issues: z.core.$ZodIssue[], input: unknown): Record<string, FieldReason> {
  const fields: Record<string, FieldReason> = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join('.') || '_';
    if (fields[path]) continue;
    fields[path] = reasonOf(issue, input);
  }
  return fields;
}

function reasonOf(issue: z.core.$ZodIssue, input: unknown): FieldReason {
  const params = (issue as { params?: { reason?: string } }).params;
  if (params?.reason && REASONS.has(params.reason as FieldReason)) return params.reason as FieldReason;
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined ? 'required' : 'invalid';
    case 'too_big':
      return issue.origin === 'number' || issue.origin === 'int' ? 'out_of_range' : 'too_long';
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1) return 'required';
      return issue.origin === 'number' || issue.origin === 'int' ? 'out_of_range' : 'too_short';
    case 'invalid_format':
      return issue.format === 'email' ? 'invalid_email' : issue.format === 'url' ? 'invalid_url' : 'invalid';
    default:
      return 'invalid';
  }
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = Object.hasOwn(value, key) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return value;
}

/** Validates with a protocol schema, or throws `validation_failed`. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(fieldsOf(result.error.issues, input));
  return result.data;
}

/**
 * Reads a JSON request body: 415 unless `application/json`, 400 `invalid_json`
 * when it does not parse. (The 512 KiB cap is enforced before, by bodyLimit.)
 */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError('unsupported_media_type', 'Send the request body as application/json.');
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('invalid_json', 'The request body is not valid JSON.');
  }
}

/**
 * The query string as an object: the first value of each parameter, or every
 * value for the names in `arrays`.
 */
export function queryObject(c: Context, arrays: readonly string[] = []): Record<string, string | string[]> {
  const all = c.req.queries();
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [name, values] of Object.entries(all)) {
    if (arrays.includes(name)) out[name] = values;
    else if (values[0] !== undefined) out[name] = values[0];
  }
  return out;
}
