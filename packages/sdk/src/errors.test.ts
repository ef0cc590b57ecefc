import { describe, expect, it } from 'vitest';
import { createClient, HiwarError, isHiwarError } from './index.js';
import { apiError, fakeFetch, hang, json, networkDown, type Reply, text } from './test-support/fake-fetch.js';

/** The error a thread read fails with when the server answers with `reply`, no retries. */
async function failureOf(reply: Reply, options: { timeoutMs?: number } = {}): Promise<HiwarError> {
  const client = createClient({
    baseUrl: 'https://comments.example',
    site: 'news',
    fetch: fakeFetch(reply),
    retries: 0,
    ...options,
  });
  const error = await client.threads.get({ id: 'a-1' }).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(error instanceof HiwarError)) throw new Error(`expected a HiwarError, got ${String(error)}`);
  return error;
}

describe('error answers of the contract', () => {
  it('carry their code, status, message and details', async () => {
    const error = await failureOf(apiError(404, 'unknown_site', { site: 'news' }));

    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('HiwarError');
    expect(error.code).toBe('unknown_site');
    expect(error.status).toBe(404);
    expect(error.message).toBe('unknown_site (test)');
    expect(error.details).toEqual({ site: 'news' });
    expect(error.fields).toBeUndefined();
  });

  it('lift the fields of validation_failed to error.fields', async () => {
    const fields = { 'author.email': 'invalid_email', body: 'required' };
    const error = await failureOf(apiError(422, 'validation_failed', { fields }));

    expect(error.code).toBe('validation_failed');
    expect(error.fields).toEqual(fields);
    expect(error.details?.fields).toEqual(fields);
  });

  it('read Retry-After in seconds', async () => {
    const error = await failureOf(apiError(429, 'rate_limited', undefined, { 'Retry-After': '30' }));

    expect(error.code).toBe('rate_limited');
    expect(error.retryAfter).toBe(30);
  });

  it('read a Retry-After given as an HTTP date', async () => {
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    const error = await failureOf(apiError(503, 'unavailable', undefined, { 'Retry-After': inAMinute }));

    expect(error.retryAfter).toBeGreaterThanOrEqual(58);
    expect(error.retryAfter).toBeLessThanOrEqual(60);
  });

  it('leave retryAfter out when Retry-After is missing or unreadable', async () => {
    expect((await failureOf(apiError(429, 'rate_limited'))).retryAfter).toBeUndefined();
    const garbled = await failureOf(apiError(429, 'rate_limited', undefined, { 'Retry-After': 'soon' }));
    expect(garbled.retryAfter).toBeUndefined();
  });
});

describe('answers that do not follow the contract get a code from their status', () => {
  it.each([
    [502, 'unavailable'],
    [503, 'unavailable'],
    [504, 'unavailable'],
    [500, 'internal'],
    [501, 'internal'],
    [429, 'rate_limited'],
    [413, 'payload_too_large'],
    [404, 'not_found'],
    [403, 'forbidden'],
    [401, 'unauthorized'],
    [418, 'internal'],
  ])('an HTML %i page → %s', async (status, code) => {
    const error = await failureOf(text(status, '<html><body>Bad Gateway</body></html>'));

    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.message).toBe(`HTTP ${status}`);
  });

  it('a JSON body of another shape', async () => {
    const error = await failureOf(json(500, { message: 'upstream exploded' }));

    expect(error.code).toBe('internal');
    expect(error.status).toBe(500);
    expect(error.details).toBeUndefined();
  });

  it('a code this SDK does not know, keeping the server’s message', async () => {
    const error = await failureOf(apiError(503, 'brand_new_code'));

    expect(error.code).toBe('unavailable');
    expect(error.message).toBe('brand_new_code (test)');
  });

  it('a JSON null or an empty body', async () => {
    expect((await failureOf(json(502, null))).code).toBe('unavailable');
    expect((await failureOf(text(500, ''))).code).toBe('internal');
  });

  it('a successful status whose body is not JSON is internal', async () => {
    const error = await failureOf(text(200, '<html>captive portal</html>'));

    expect(error.code).toBe('internal');
    expect(error.status).toBe(200);
  });
});

describe('failures without an answer', () => {
  it('a network failure is unavailable with status 0 and keeps the cause', async () => {
    const error = await failureOf(networkDown());

    expect(error.code).toBe('unavailable');
    expect(error.status).toBe(0);
    expect(error.details).toBeUndefined();
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('a timeout is unavailable with status 0 and details.timeout', async () => {
    const error = await failureOf(hang(), { timeoutMs: 5 });

    expect(error.code).toBe('unavailable');
    expect(error.status).toBe(0);
    expect(error.details).toEqual({ timeout: true });
  });
});

describe('isHiwarError', () => {
  it('recognises a HiwarError', () => {
    expect(isHiwarError(new HiwarError({ code: 'not_found', status: 404 }))).toBe(true);
  });

  it('recognises one made by another copy of the SDK', () => {
    const foreign = Object.assign(new Error('x'), { name: 'HiwarError', code: 'banned', status: 403 });

    expect(isHiwarError(foreign)).toBe(true);
  });

  it('rejects other errors and values', () => {
    expect(isHiwarError(new Error('x'))).toBe(false);
    expect(isHiwarError(new DOMException('stop', 'AbortError'))).toBe(false);
    expect(isHiwarError(Object.assign(new Error('x'), { name: 'HiwarError', code: 'nonsense' }))).toBe(false);
    expect(isHiwarError({ name: 'HiwarError', code: 'banned' })).toBe(false);
    expect(isHiwarError(null)).toBe(false);
  });
});
