// A stand-in for fetch that answers from a script and records what it was asked.
// Only the SDK's unit tests use it; the tests against a real server live in /tests.

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Headers;
  /** The parsed JSON body, or undefined when none was sent. */
  body: unknown;
  signal: AbortSignal | undefined;
}

export type Reply = (request: RecordedRequest) => Response | Promise<Response>;

export interface FakeFetch {
  (input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  requests: RecordedRequest[];
}

/**
 * A fetch that answers the n-th request with the n-th reply; the last reply answers
 * every request after it.
 */
export function fakeFetch(...replies: Reply[]): FakeFetch {
  const requests: RecordedRequest[] = [];
  const fake = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const request: RecordedRequest = {
      url: String(input),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      signal: init.signal ?? undefined,
    };
    requests.push(request);
    const reply = replies[Math.min(requests.length, replies.length) - 1];
    if (!reply) throw new Error('fakeFetch was given no reply');
    return reply(request);
  };
  return Object.assign(fake, { requests });
}

/** Answers with a JSON body. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json', ...headers },
    });
}

/** Answers with a body that is not JSON, as a proxy or load balancer would. */
export function text(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return () => new Response(body, { status, headers: { 'Content-Type': 'text/html', ...headers } });
}

/** Answers with the error shape of the contract. */
export function apiError(
  status: number,
  code: string,
  details?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Reply {
  return json(status, { error: { code, message: `${code} (test)`, ...(details && { details }) } }, headers);
}

/** Fails the way fetch does when the network is down. */
export function networkDown(): Reply {
  return () => Promise.reject(new TypeError('fetch failed'));
}

/** Never answers; rejects with the signal's reason when aborted, as fetch does. */
export function hang(): Reply {
  return ({ signal }) =>
    new Promise((_, reject) => {
      signal?.throwIfAborted();
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
}

/** A sleep that returns at once and remembers what it was asked to wait. */
export function instantSleep(): ((ms: number) => Promise<void>) & { waits: number[] } {
  const waits: number[] = [];
  return Object.assign(
    async (ms: number) => {
      waits.push(ms);
    },
    { waits },
  );
}

/** A thread page as the server sends it, with the fields a test cares about. */
export function threadPage(nextCursor: string | null, commentIds: string[] = []) {
  return {
    site: { lang: 'ar', editWindowMinutes: 15 },
    thread: {
      id: '1',
      url: 'https://news.example/a/1',
      title: null,
      closed: false,
      commentCount: commentIds.length,
    },
    comments: commentIds.map((id) => ({ ...comment(id), replies: [], replyCount: 0, repliesCursor: null })),
    nextCursor,
  };
}

export function comment(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    parentId: null,
    status: 'approved',
    author: { name: 'سلمى', website: null, avatar: `/api/v1/avatars/${id}.svg`, moderator: false },
    html: '<p>مقال رائع</p>',
    createdAt: '2025-01-01T00:00:00.000Z',
    editedAt: null,
    deleted: false,
    pinned: false,
    ...overrides,
  };
}
