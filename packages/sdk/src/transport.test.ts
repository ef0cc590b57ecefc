import { describe, expect, it } from 'vitest';
import { type ClientOptions, createClient, createLiteClient, type HiwarError } from './index.js';
import {
  apiError,
  comment,
  fakeFetch,
  hang,
  instantSleep,
  json,
  networkDown,
  type Reply,
  text,
  threadPage,
} from './test-support/fake-fetch.js';

function setUp(replies: Reply[], options: Partial<ClientOptions> = {}) {
  const fetch = fakeFetch(...replies);
  const sleep = instantSleep();
  const client = createClient({
    baseUrl: 'https://comments.example',
    site: 'news',
    fetch,
    sleep,
    ...options,
  });
  return { client, requests: fetch.requests, waits: sleep.waits };
}

const ok = json(200, threadPage(null));
const newComment = {
  url: 'https://news.example/a/1',
  body: 'مقال رائع',
  author: { name: 'سلمى', email: 'salma@example.com' },
};
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as HiwarError,
  );

describe('retrying reads', () => {
  it.each([
    ['a network failure', networkDown()],
    ['502', text(502, 'Bad Gateway')],
    ['503', apiError(503, 'unavailable')],
    ['504', text(504, 'Gateway Timeout')],
    ['429', apiError(429, 'rate_limited')],
  ])('repeats a GET after %s and returns the answer that follows', async (_, failure) => {
    const { client, requests } = setUp([failure, ok]);

    const page = await client.threads.get({ id: 'a-1' });

    expect(page.nextCursor).toBeNull();
    expect(requests).toHaveLength(2);
  });

  it('gives up after `retries` repeats (2 by default) with the last error', async () => {
    const { client, requests } = setUp([apiError(503, 'unavailable')]);

    const error = await rejection(client.threads.get({ id: 'a-1' }));

    expect(error.code).toBe('unavailable');
    expect(requests).toHaveLength(3);
  });

  it('honours a retries option, 0 meaning one attempt', async () => {
    const once = setUp([networkDown()], { retries: 0 });
    const fiveTimes = setUp([networkDown()], { retries: 4 });

    await rejection(once.client.threads.get({ id: 'a-1' }));
    await rejection(fiveTimes.client.threads.get({ id: 'a-1' }));

    expect(once.requests).toHaveLength(1);
    expect(fiveTimes.requests).toHaveLength(5);
  });

  it.each([
    [400, 'invalid_json'],
    [401, 'invalid_token'],
    [403, 'forbidden_origin'],
    [404, 'not_found'],
    [422, 'validation_failed'],
    [500, 'internal'],
  ])('does not repeat a request answered %i %s', async (status, code) => {
    const { client, requests } = setUp([apiError(status, code), ok]);

    const error = await rejection(client.threads.get({ id: 'a-1' }));

    expect(error.code).toBe(code);
    expect(requests).toHaveLength(1);
  });

  it('waits longer after each failure, with jitter', async () => {
    const { client, waits } = setUp([text(503, ''), text(503, ''), ok]);

    await client.threads.get({ id: 'a-1' });

    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(150);
    expect(waits[0]).toBeLessThanOrEqual(300);
    expect(waits[1]).toBeGreaterThanOrEqual(300);
    expect(waits[1]).toBeLessThanOrEqual(600);
  });

  it('waits as long as Retry-After asks', async () => {
    const { client, requests, waits } = setUp([
      apiError(429, 'rate_limited', undefined, { 'Retry-After': '3' }),
      ok,
    ]);

    await client.threads.get({ id: 'a-1' });

    expect(waits).toEqual([3000]);
    expect(requests).toHaveLength(2);
  });

  it('hands a Retry-After over 10 seconds to the caller instead of waiting', async () => {
    const { client, requests, waits } = setUp([
      apiError(429, 'rate_limited', undefined, { 'Retry-After': '120' }),
      ok,
    ]);

    const error = await rejection(client.threads.get({ id: 'a-1' }));

    expect(error.code).toBe('rate_limited');
    expect(error.retryAfter).toBe(120);
    expect(waits).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('repeats a read that timed out', async () => {
    const { client, requests } = setUp([hang(), ok], { timeoutMs: 5 });

    await client.threads.get({ id: 'a-1' });

    expect(requests).toHaveLength(2);
  });
});

describe('comments.create', () => {
  it('sends an Idempotency-Key so a retry creates one comment', async () => {
    // A server that stores the comment but whose answer is lost on the way back.
    const stored = new Map<string, unknown>();
    let answers = 0;
    const server: Reply = (request) => {
      const key = request.headers.get('Idempotency-Key') ?? `no-key-${stored.size}`;
      if (!stored.has(key))
        stored.set(key, { comment: comment(String(stored.size + 1)), editToken: 't', editableUntil: 'x' });
      if (answers++ === 0) return Promise.reject(new TypeError('connection reset'));
      return json(201, stored.get(key))(request);
    };
    const { client, requests } = setUp([server]);

    const result = await client.comments.create(newComment);

    expect(requests).toHaveLength(2);
    expect(stored.size).toBe(1);
    expect(result.comment.id).toBe('1');
    expect(requests[1]?.headers.get('Idempotency-Key')).toBe(requests[0]?.headers.get('Idempotency-Key'));
  });

  it('retries with the caller’s key on 503', async () => {
    const created = json(201, { comment: comment('1'), editToken: 't', editableUntil: 'x' });
    const { client, requests } = setUp([apiError(503, 'unavailable'), created]);

    await client.comments.create(newComment, { idempotencyKey: 'mine' });

    expect(requests.map((r) => r.headers.get('Idempotency-Key'))).toEqual(['mine', 'mine']);
  });

  it.each([
    [409, 'duplicate_comment'],
    [403, 'challenge_required'],
    [422, 'validation_failed'],
  ])('does not repeat a comment refused %i %s', async (status, code) => {
    const { client, requests } = setUp([apiError(status, code)]);

    expect((await rejection(client.comments.create(newComment))).code).toBe(code);
    expect(requests).toHaveLength(1);
  });
});

describe('edits and deletions are never repeated', () => {
  it.each([
    ['a network failure', networkDown()],
    ['503', apiError(503, 'unavailable')],
    ['429', apiError(429, 'rate_limited', undefined, { 'Retry-After': '1' })],
  ])('comments.update after %s', async (_, failure) => {
    const { client, requests, waits } = setUp([failure, json(200, { comment: comment('1') })]);

    await rejection(client.comments.update('1', { body: 'x' }, { editToken: 't' }));

    expect(requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('comments.remove after a timeout', async () => {
    const { client, requests } = setUp([hang(), json(200, { deleted: true, placeholder: false })], {
      timeoutMs: 5,
    });

    const error = await rejection(client.comments.remove('1', { editToken: 't' }));

    expect(error.details).toEqual({ timeout: true });
    expect(requests).toHaveLength(1);
  });
});

describe('aborting', () => {
  it('rethrows the AbortError of a request the caller aborted, without retrying', async () => {
    const { client, requests, waits } = setUp([hang(), ok]);
    const controller = new AbortController();

    const call = client.threads.get({ id: 'a-1' }, { signal: controller.signal });
    controller.abort();
    const error = await call.catch((e: unknown) => e);

    expect(error).toBe(controller.signal.reason);
    expect((error as Error).name).toBe('AbortError');
    expect(requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('rethrows the AbortError of an aborted edit rather than reporting a network failure', async () => {
    const { client } = setUp([hang()]);
    const controller = new AbortController();

    const call = client.comments.update('1', { body: 'x' }, { editToken: 't', signal: controller.signal });
    controller.abort();

    await expect(call).rejects.toBe(controller.signal.reason);
  });

  it('rethrows the caller’s own abort reason as it is', async () => {
    const { client } = setUp([hang()]);
    const controller = new AbortController();
    const reason = new Error('reader left the page');

    const call = client.comments.create(newComment, { signal: controller.signal });
    controller.abort(reason);

    await expect(call).rejects.toBe(reason);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const { client, requests } = setUp([ok]);

    await expect(client.threads.get({ id: 'a-1' }, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(requests).toHaveLength(0);
  });

  it('stops waiting between retries as soon as the caller aborts', async () => {
    const fetch = fakeFetch(apiError(503, 'unavailable', undefined, { 'Retry-After': '10' }), ok);
    const client = createClient({ baseUrl: 'https://comments.example', site: 'news', fetch });
    const controller = new AbortController();
    const started = Date.now();

    const call = client.threads.get({ id: 'a-1' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);

    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(fetch.requests).toHaveLength(1);
  });

  it('tells a timeout apart from the caller’s abort when both use the same request', async () => {
    const { client } = setUp([hang()], { timeoutMs: 5, retries: 0 });
    const controller = new AbortController();

    const error = await rejection(client.threads.get({ id: 'a-1' }, { signal: controller.signal }));

    expect(error.name).toBe('HiwarError');
    expect(error.details).toEqual({ timeout: true });
    expect(controller.signal.aborted).toBe(false);
  });

  it('stops listening to a long-lived signal once a call is over', async () => {
    const { client } = setUp([ok]);
    const controller = new AbortController();
    let listeners = 0;
    const { addEventListener, removeEventListener } = controller.signal;
    Object.assign(controller.signal, {
      addEventListener: (...args: Parameters<typeof addEventListener>) => {
        listeners++;
        addEventListener.apply(controller.signal, args);
      },
      removeEventListener: (...args: Parameters<typeof removeEventListener>) => {
        listeners--;
        removeEventListener.apply(controller.signal, args);
      },
    });

    for (let i = 0; i < 3; i++) await client.threads.get({ id: 'a-1' }, { signal: controller.signal });

    expect(listeners).toBe(0);
  });

  it('lets a slow answer through when the timeout is turned off', async () => {
    const slow: Reply = (request) => new Promise((resolve) => setTimeout(() => resolve(ok(request)), 30));
    const { client } = setUp([slow], { timeoutMs: 0 });

    await expect(client.threads.get({ id: 'a-1' })).resolves.toMatchObject({ nextCursor: null });
  });
});

describe('the lite client', () => {
  const lite = (replies: Reply[]) => {
    const fetch = fakeFetch(...replies);
    const client = createLiteClient({ baseUrl: 'https://comments.example/', site: 'news', fetch });
    return { client, requests: fetch.requests };
  };

  it('makes the same requests as the full client', async () => {
    const { client, requests } = lite([ok, json(200, { comment: comment('7') })]);

    await client.threads.replies({ url: 'https://news.example/a/1', parent: '3', cursor: 'c' });
    await client.comments.update('7', { body: 'نص' }, { editToken: 'tok' });

    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET https://comments.example/api/v1/threads?site=news&url=https%3A%2F%2Fnews.example%2Fa%2F1&parent=3&cursor=c',
      'PATCH https://comments.example/api/v1/comments/7',
    ]);
    expect(requests[1]?.headers.get('authorization')).toBe('Bearer tok');
    expect(client.avatarUrl('/api/v1/avatars/a.svg')).toBe('https://comments.example/api/v1/avatars/a.svg');
  });

  it('tries a read once more after a network failure or a 503, and no more', async () => {
    const recovered = lite([networkDown(), ok]);
    const down = lite([apiError(503, 'unavailable')]);

    await expect(recovered.client.threads.get({ id: 'a-1' })).resolves.toMatchObject({ nextCursor: null });
    const error = await rejection(down.client.threads.get({ id: 'a-1' }));

    expect(recovered.requests).toHaveLength(2);
    expect([error.code, down.requests.length]).toEqual(['unavailable', 2]);
  });

  it('does not repeat a rate-limited read, an edit, or a deletion', async () => {
    const limited = lite([apiError(429, 'rate_limited', undefined, { 'Retry-After': '1' })]);
    const edit = lite([networkDown()]);

    const error = await rejection(limited.client.threads.get({ id: 'a-1' }));
    await rejection(edit.client.comments.update('7', { body: 'x' }, { editToken: 't' }));
    await rejection(edit.client.comments.remove('7', { editToken: 't' }));

    expect([error.code, error.retryAfter, limited.requests.length]).toEqual(['rate_limited', undefined, 1]);
    expect(edit.requests).toHaveLength(2);
  });
});
