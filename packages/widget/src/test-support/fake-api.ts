// A Hiwar server in memory, answering the public API as a fetch function, so the
// models are tested against the real SDK without a network. Only the unit tests use it.
import { createHash } from 'node:crypto';
import type { Comment, CommentStatus } from '@hiwar/protocol';
import { createClient } from '@hiwar/sdk';

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

interface Stored {
  comment: Comment;
  rootId: string | null;
  token: string;
  thread: string;
}

export interface FakeApiOptions {
  /** What a new comment becomes: `approved` (moderation none) or `pending`. */
  status?: CommentStatus;
  /** Replies carried by each top-level comment of a thread page (the server's REPLY_BATCH). */
  replyBatch?: number;
  editWindowMinutes?: number;
  /** The site's language (`site.lang`), `ar` unless given. */
  siteLang?: 'ar' | 'en';
  /** The clock of the fake server, in ms. */
  now?: () => number;
  /** The difficulty of the puzzle each form token carries; none when absent. */
  pow?: number;
  /** `require`: a comment without a valid, unspent, solved form token is refused (403), as the server's mode. */
  challenge?: 'off' | 'require';
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const apiError = (status: number, code: string, details?: Record<string, unknown>) =>
  json(status, { error: { code, message: `${code} (fake)`, ...(details && { details }) } });

const THREAD = 'https://news.example/a/1';

/**
 * A fake Hiwar server. `add()` puts comments in; `failNext()` makes the next
 * requests fail; `requests` records what was asked.
 */
export function fakeApi(options: FakeApiOptions = {}) {
  const now = options.now ?? (() => Date.parse('2025-03-01T12:00:00Z'));
  const replyBatch = options.replyBatch ?? 10;
  const stored: Stored[] = [];
  const requests: RecordedRequest[] = [];
  const failures: (() => Response | Promise<Response>)[] = [];
  const challengeFailures: (() => Response | Promise<Response>)[] = [];
  /** Form tokens issued, with whether they were spent. */
  const formTokens = new Map<string, { used: boolean }>();
  const replays = new Map<string, unknown>();
  let nextId = 1;
  let clock = 0;

  const threadKey = (params: URLSearchParams | Record<string, unknown>) => {
    const get = (k: string) =>
      params instanceof URLSearchParams ? params.get(k) : (params[k] as string | undefined);
    return get('id') ? `id:${get('id')}` : `url:${get('url')}`;
  };
  const visible = (s: Stored) => s.comment.status === 'approved' || s.comment.deleted;

  /** Puts a comment in, as if posted earlier; returns it. */
  function add(init: Partial<Comment> & { thread?: string; token?: string } = {}): Comment {
    const { thread = `url:${THREAD}`, token = `token-${nextId}`, ...fields } = init;
    const id = String(nextId++);
    const parent = fields.parentId ? stored.find((s) => s.comment.id === fields.parentId) : undefined;
    const comment: Comment = {
      id,
      parentId: null,
      status: 'approved',
      author: { name: `قارئ ${id}`, website: null, avatar: `/api/v1/avatars/${id}.svg`, moderator: false },
      html: `<p>تعليق ${id}</p>`,
      createdAt: new Date(Date.parse('2025-03-01T10:00:00Z') + clock++ * 60_000).toISOString(),
      editedAt: null,
      deleted: false,
      pinned: false,
      ...fields,
    };
    stored.push({ comment, rootId: parent ? (parent.rootId ?? parent.comment.id) : null, token, thread });
    return comment;
  }

  function threadPage(params: URLSearchParams) {
    const key = threadKey(params);
    const limit = Number(params.get('limit') ?? 50);
    const offset = Number(params.get('cursor') ?? 0);
    const inThread = stored.filter((s) => s.thread === key);
    const base = {
      site: { lang: options.siteLang ?? 'ar', editWindowMinutes: options.editWindowMinutes ?? 15 },
      thread: {
        id: inThread.length ? '1' : null,
        url: params.get('url'),
        title: null,
        closed: false,
        commentCount: inThread.filter((s) => s.comment.status === 'approved' && !s.comment.deleted).length,
      },
    };
    const parent = params.get('parent');
    if (parent) {
      const replies = inThread.filter((s) => s.rootId === parent && visible(s)).map((s) => s.comment);
      const page = replies.slice(offset, offset + limit);
      return {
        ...base,
        comments: page,
        nextCursor: offset + limit < replies.length ? String(offset + limit) : null,
      };
    }
    const top = inThread.filter((s) => s.rootId === null && visible(s)).map((s) => s.comment);
    if (params.get('sort') === 'newest') top.reverse();
    const ordered =
      offset === 0
        ? [...top.filter((c) => c.pinned), ...top.filter((c) => !c.pinned)]
        : top.filter((c) => !c.pinned);
    const page = ordered.slice(offset, offset + limit);
    return {
      ...base,
      comments: page.map((comment) => {
        const replies = inThread.filter((s) => s.rootId === comment.id && visible(s)).map((s) => s.comment);
        return {
          ...comment,
          replies: replies.slice(0, replyBatch),
          replyCount: replies.length,
          repliesCursor: replies.length > replyBatch ? String(replyBatch) : null,
        };
      }),
      nextCursor: offset + limit < ordered.length ? String(offset + limit) : null,
    };
  }

  /** Why the server's `require` mode would refuse this form, or null; spends a good token. */
  function challengeProblem(body: Record<string, unknown>): string | null {
    const formToken = body.formToken as string | undefined;
    if (!formToken) return 'missing';
    const issued = formTokens.get(formToken);
    if (!issued) return 'invalid';
    if (options.pow && !solves(formToken, body.proof as string | undefined, options.pow)) return 'proof';
    if (issued.used) return 'used';
    issued.used = true;
    return null;
  }

  function create(body: Record<string, unknown>, key: string | null) {
    if (key && replays.has(key)) return json(201, replays.get(key));
    const problem = options.challenge === 'require' ? challengeProblem(body) : null;
    if (problem) return apiError(403, 'challenge_required', { reason: problem });
    const author = body.author as { name: string; website?: string };
    const comment = add({
      thread: threadKey(body),
      parentId: (body.parentId as string | null) ?? null,
      status: options.status ?? 'approved',
      html: `<p>${String(body.body)}</p>`,
      author: {
        name: author.name,
        website: author.website ?? null,
        avatar: '/api/v1/avatars/new.svg',
        moderator: false,
      },
    });
    const token = stored.find((s) => s.comment.id === comment.id)?.token;
    const answer = {
      comment,
      editToken: token,
      editableUntil: new Date(now() + (options.editWindowMinutes ?? 15) * 60_000).toISOString(),
    };
    if (key) replays.set(key, answer);
    return json(201, answer);
  }

  async function answer(request: RecordedRequest): Promise<Response> {
    const { method, url, headers } = request;
    const id = /^\/api\/v1\/comments\/(\d+)$/.exec(url.pathname)?.[1];
    const found = id ? stored.find((s) => s.comment.id === id) : undefined;
    const bearer = headers.get('authorization')?.replace(/^Bearer /, '');
    if (method === 'GET' && url.pathname === '/api/v1/threads')
      return json(200, threadPage(url.searchParams));
    if (method === 'GET' && url.pathname === '/api/v1/challenge') {
      const formToken = `form-${formTokens.size + 1}`;
      formTokens.set(formToken, { used: false });
      return json(200, {
        formToken,
        // From the real clock, which the widget compares it with (the fake's `now` is in 2025).
        expiresAt: new Date(Date.now() + 12 * 3_600_000).toISOString(),
        pow: options.pow ? { algorithm: 'SHA-256', difficulty: options.pow } : null,
      });
    }
    if (method === 'POST' && url.pathname === '/api/v1/comments') {
      return create(request.body as Record<string, unknown>, headers.get('idempotency-key'));
    }
    if (!found) return apiError(404, 'not_found');
    if (method === 'GET') {
      if (!visible(found) && bearer !== found.token) return apiError(404, 'not_found');
      return json(200, { comment: found.comment });
    }
    if (bearer !== found.token) return apiError(401, 'invalid_token');
    if (method === 'PATCH') {
      const text = (request.body as { body: string }).body;
      found.comment = { ...found.comment, html: `<p>${text}</p>`, editedAt: new Date(now()).toISOString() };
      return json(200, { comment: found.comment });
    }
    const placeholder = stored.some((s) => s.comment.parentId === found.comment.id);
    if (placeholder) found.comment = { ...found.comment, deleted: true, html: '' };
    else stored.splice(stored.indexOf(found), 1);
    return json(200, { deleted: true, placeholder });
  }

  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const request: RecordedRequest = {
      method: init.method ?? 'GET',
      url: new URL(String(input)),
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    const failure =
      request.url.pathname === '/api/v1/challenge' ? challengeFailures.shift() : failures.shift();
    return failure ? failure() : answer(request);
  };
  const failure = (status: number | undefined, code: string, details?: Record<string, unknown>) => () =>
    status ? apiError(status, code, details) : Promise.reject(new TypeError('fetch failed'));

  return {
    fetch,
    requests,
    add,
    /** The comments the server holds, by id. */
    get: (id: string) => stored.find((s) => s.comment.id === id)?.comment,
    tokenOf: (id: string) => stored.find((s) => s.comment.id === id)?.token ?? '',
    /**
     * The next request (but for form tokens) is answered with this error (or, with no
     * status, fails as a network error).
     */
    failNext(status?: number, code = 'unavailable', details?: Record<string, unknown>) {
      failures.push(failure(status, code, details));
    },
    /** The same, for the next request for a form token. */
    failNextChallenge(status?: number, code = 'unavailable') {
      challengeFailures.push(failure(status, code));
    },
    /** The requests for a form token, in order. */
    challengeRequests: () => requests.filter((r) => r.url.pathname === '/api/v1/challenge'),
    /** A client of the fake server that neither retries nor waits. */
    client: () =>
      createClient({
        baseUrl: 'https://comments.example',
        site: 'news',
        fetch,
        retries: 0,
        sleep: async () => {},
      }),
  };
}

export type FakeApi = ReturnType<typeof fakeApi>;

/** The server's check of a proof of work (server/src/abuse/challenge.ts, verifyProof). */
export function solves(formToken: string, proof: string | undefined, difficulty: number): boolean {
  if (proof === undefined || !/^\d{1,20}$/.test(proof)) return false;
  const hash = createHash('sha256').update(`${formToken}:${proof}`, 'utf8').digest();
  let bits = 0;
  for (const byte of hash) {
    if (byte) return bits + Math.clz32(byte) - 24 >= difficulty;
    bits += 8;
  }
  return true;
}
export const PAGE_URL = THREAD;

/** A Storage in memory. */
export function memoryStorage(): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    key: (i: number) => [...data.keys()][i] ?? null,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, String(v)),
    removeItem: (k: string) => void data.delete(k),
  };
}
