import type {
  ChallengeResponse,
  Comment,
  CommentResponse,
  CountsResponse,
  CreateCommentBody,
  CreateCommentResponse,
  DeleteCommentResponse,
  RepliesPage,
  ThreadPage,
  ThreadQuery,
  UpdateCommentBody,
} from '@hiwar/protocol';
import { HiwarError, parseRetryAfter } from './errors.js';
import {
  backoff,
  type Call,
  createTransport,
  randomId,
  retryOnce,
  type Send,
  type Sleep,
} from './transport.js';

export interface ClientOptions {
  /**
   * Where the Hiwar server answers, e.g. `https://comments.news.example`; a path
   * prefix is kept. `''` sends requests to the page's own origin.
   */
  baseUrl: string;
  /** The site id every call is made for, e.g. `news`. */
  site: string;
  /** The fetch to use; defaults to the global one. */
  fetch?: typeof fetch;
  /** Each attempt is aborted after this many milliseconds; 0 turns the timeout off. Default 10 000. */
  timeoutMs?: number;
  /** How many times a failed safe call is repeated. Default 2. */
  retries?: number;
  /** Waits between retries; tests pass one that does not really wait. */
  sleep?: Sleep;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** Which thread, in what order, from where. `url` or `id` names the thread. */
export interface ThreadPageQuery extends Pick<ThreadQuery, 'url' | 'id' | 'sort'> {
  /** Top-level comments per page; the server clamps it to 1..100 (default 50). */
  limit?: number;
  /** `nextCursor` of the previous page; null or absent for the first. */
  cursor?: string | null;
}

/** The replies to one top-level comment of a thread named by `url` or `id`. */
export interface RepliesQuery extends Pick<ThreadQuery, 'url' | 'id'> {
  /** Id of the top-level comment. */
  parent: string;
  limit?: number;
  /** `repliesCursor` of the comment or `nextCursor` of the previous replies page. */
  cursor?: string | null;
}

/** A comment to create; `site` defaults to the client's. */
export type CreateCommentRequest = Omit<CreateCommentBody, 'site'> & { site?: string };

export interface CreateCommentOptions extends CallOptions {
  /**
   * Repeats carrying the same key create the comment once. When absent the SDK makes
   * one up for this call, so its own retries are safe; pass your own to make a
   * resubmission (after a reload, say) safe too.
   */
  idempotencyKey?: string;
}

export interface GetCommentOptions extends CallOptions {
  /** The edit token from `comments.create`; also returns the author's own pending comment. */
  editToken?: string;
}

export interface EditCommentOptions extends CallOptions {
  /** The edit token from `comments.create`. */
  editToken: string;
}

/** Which site a form token is for; the client's when absent. */
export interface ChallengeRequest {
  site?: string;
}

/** Pages named by URL and/or by identifier, as sent. */
export interface CountsRequest {
  urls?: readonly string[];
  ids?: readonly string[];
}

export interface HiwarClient {
  threads: {
    /**
     * One page of a thread: top-level comments with a first batch of their replies.
     * A thread with no comment yet is an empty page, not an error.
     *
     * @example
     * const page = await client.threads.get({ url: 'https://news.example/a/1', sort: 'newest' });
     * const next = page.nextCursor && (await client.threads.get({ url, cursor: page.nextCursor }));
     */
    get(query: ThreadPageQuery, options?: CallOptions): Promise<ThreadPage>;
    /**
     * Every page of a thread, from `query.cursor` (or the first) until `nextCursor` is null.
     *
     * @example
     * for await (const page of client.threads.pages({ url })) render(page.comments);
     */
    pages(query: ThreadPageQuery, options?: CallOptions): AsyncIterableIterator<ThreadPage>;
    /**
     * One page of replies to a top-level comment.
     *
     * @example
     * const more = await client.threads.replies({ url, parent: comment.id, cursor: comment.repliesCursor });
     */
    replies(query: RepliesQuery, options?: CallOptions): Promise<RepliesPage>;
    /**
     * Every page of replies to a top-level comment, until `nextCursor` is null.
     *
     * @example
     * for await (const page of client.threads.allReplies({ url, parent: comment.id })) show(page.comments);
     */
    allReplies(query: RepliesQuery, options?: CallOptions): AsyncIterableIterator<RepliesPage>;
  };
  comments: {
    /**
     * Creates a comment. Keep `editToken`: it is shown once and lets the author see,
     * edit and delete the comment until `editableUntil`.
     *
     * @example
     * const { comment, editToken } = await client.comments.create({
     *   url: 'https://news.example/a/1',
     *   body: 'مقال رائع',
     *   author: { name: 'سلمى', email: 'salma@example.com' },
     * });
     */
    create(body: CreateCommentRequest, options?: CreateCommentOptions): Promise<CreateCommentResponse>;
    /**
     * One comment; with its edit token, also while it waits for moderation.
     *
     * @example
     * const comment = await client.comments.get(id, { editToken });
     */
    get(id: string, options?: GetCommentOptions): Promise<Comment>;
    /**
     * Edits one's own comment inside the edit window. Never retried by the SDK.
     *
     * @example
     * const comment = await client.comments.update(id, { body: 'نص مصحح' }, { editToken });
     */
    update(id: string, body: UpdateCommentBody, options: EditCommentOptions): Promise<Comment>;
    /**
     * Deletes one's own comment inside the edit window; one with replies leaves a
     * placeholder. Never retried by the SDK.
     *
     * @example
     * const { placeholder } = await client.comments.remove(id, { editToken });
     */
    remove(id: string, options: EditCommentOptions): Promise<DeleteCommentResponse>;
  };
  challenge: {
    /**
     * A fresh form token for one comment, and the proof-of-work puzzle to solve first
     * when the site asks for one now (`pow`, else null). Send `formToken` (and the
     * answer, from {@link solveProofOfWork}, as `proof`) with `comments.create`. A token
     * is single use and counts until `expiresAt`; a site whose `challenge` setting is
     * `require` refuses a comment without a valid one (403 `challenge_required`,
     * `details.reason` missing, invalid, expired, used or proof).
     *
     * @example
     * const { formToken, pow } = await client.challenge.get();
     * const proof = pow ? await solveProofOfWork(formToken, pow) : undefined;
     * await client.comments.create({ url, body, author, formToken, proof });
     */
    get(query?: ChallengeRequest, options?: CallOptions): Promise<ChallengeResponse>;
  };
  /**
   * Approved-comment counts of up to 100 pages in one request, keyed by the url or
   * id as sent. With no page at all it answers `{}` without asking the server.
   *
   * @example
   * const counts = await client.counts({ urls: ['https://news.example/a/1'], ids: ['a-2'] });
   * counts['https://news.example/a/1']; // 42
   */
  counts(pages: CountsRequest, options?: CallOptions): Promise<Record<string, number>>;
  /**
   * The absolute address of an avatar path such as a comment's `author.avatar`.
   *
   * @example
   * img.src = client.avatarUrl(comment.author.avatar);
   */
  avatarUrl(avatarPath: string): string;
}

/**
 * The calls of {@link HiwarClient} that most embedders need: a thread's pages and
 * replies, the comment calls, form tokens and avatar addresses; what
 * {@link createLiteClient} returns.
 */
export interface LiteClient {
  threads: Pick<HiwarClient['threads'], 'get' | 'replies'>;
  comments: HiwarClient['comments'];
  challenge: HiwarClient['challenge'];
  avatarUrl: HiwarClient['avatarUrl'];
}

/** How a {@link createLiteClient} is set up. */
export type LiteClientOptions = Pick<ClientOptions, 'baseUrl' | 'site' | 'fetch' | 'timeoutMs'>;

/** The calls both clients make, over one transport. */
function liteCalls(send: Send, { site, baseUrl }: Pick<ClientOptions, 'site' | 'baseUrl'>) {
  const root = baseUrl.replace(/\/+$/, '');
  const page = <P>(query: ThreadPageQuery & { parent?: string }, options?: CallOptions) =>
    send<P>({
      method: 'GET',
      path: '/api/v1/threads',
      query: {
        site,
        url: query.url,
        id: query.id,
        parent: query.parent,
        sort: query.sort,
        limit: query.limit,
        cursor: query.cursor,
      },
      signal: options?.signal,
    });
  const client = {
    threads: {
      get: (query, options) => page<ThreadPage>(query, options),
      replies: (query, options) => page<RepliesPage>(query, options),
    },
    comments: {
      create: (body, options) =>
        send<CreateCommentResponse>({
          method: 'POST',
          path: '/api/v1/comments',
          body: { ...body, site: body.site ?? site },
          headers: { 'Idempotency-Key': options?.idempotencyKey ?? randomId() },
          signal: options?.signal,
        }),
      get: (id, options) =>
        unwrap(send, {
          method: 'GET',
          path: commentPath(id),
          headers: bearer(options?.editToken),
          signal: options?.signal,
        }),
      update: (id, body, options) =>
        unwrap(send, {
          method: 'PATCH',
          path: commentPath(id),
          body,
          headers: bearer(options.editToken),
          signal: options.signal,
        }),
      remove: (id, options) =>
        send<DeleteCommentResponse>({
          method: 'DELETE',
          path: commentPath(id),
          headers: bearer(options.editToken),
          signal: options.signal,
        }),
    },
    challenge: {
      get: (query, options) =>
        send<ChallengeResponse>({
          method: 'GET',
          path: '/api/v1/challenge',
          query: { site: query?.site ?? site },
          signal: options?.signal,
        }),
    },
    avatarUrl: (avatarPath) =>
      /^[a-z][a-z\d+.-]*:/i.test(avatarPath) ? avatarPath : `${root}/${avatarPath.replace(/^\/+/, '')}`,
  } satisfies LiteClient;
  return { client, page };
}

/**
 * A client for one site of a Hiwar server. Every call takes an `AbortSignal`; an
 * abort rethrows the platform's `AbortError`, every other failure is a `HiwarError`.
 * GETs, and the POST that creates a comment (it carries an Idempotency-Key), are
 * retried on network failures, timeouts, 429, 502, 503 and 504; edits and deletions
 * never are.
 *
 * @example
 * import { createClient } from '@hiwar/sdk';
 *
 * const client = createClient({ baseUrl: 'https://comments.news.example', site: 'news' });
 * const page = await client.threads.get({ url: 'https://news.example/a/1' });
 * console.log(page.thread.commentCount);
 */
export function createClient(options: ClientOptions): HiwarClient {
  const { site } = options;
  const send = createTransport({
    baseUrl: options.baseUrl,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs ?? 10_000,
    retry: backoff(options.retries ?? 2, options.sleep),
    retryAfter: (headers) => parseRetryAfter(headers.get('retry-after'), Date.now()),
  });
  const { client, page } = liteCalls(send, options);

  return {
    ...client,
    threads: {
      ...client.threads,
      pages: (query, options) =>
        follow((cursor) => page<ThreadPage>({ ...query, cursor }, options), query.cursor),
      allReplies: (query, options) =>
        follow((cursor) => page<RepliesPage>({ ...query, cursor }, options), query.cursor),
    },
    counts: async (pages, options) => {
      if (!pages.urls?.length && !pages.ids?.length) return {};
      const response = await send<CountsResponse>({
        method: 'GET',
        path: '/api/v1/counts',
        query: { site, url: pages.urls, id: pages.ids },
        signal: options?.signal,
      });
      return response.counts;
    },
  };
}

/**
 * A smaller client for pages that embed comments (the widget): only the calls of
 * {@link LiteClient}, and one retry of a safe call, 300 to 600 ms after a network
 * failure, a timeout, a 502, 503 or 504. Its errors carry no `retryAfter`.
 * Otherwise it behaves as {@link createClient}'s.
 *
 * @example
 * const client = createLiteClient({ baseUrl: 'https://comments.news.example', site: 'news' });
 * const page = await client.threads.get({ url: location.href });
 */
export function createLiteClient(options: LiteClientOptions): LiteClient {
  const send = createTransport({
    baseUrl: options.baseUrl,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs ?? 10_000,
    retry: retryOnce,
  });
  return liteCalls(send, options).client;
}

/** Requests pages from `start` until one's `nextCursor` is null. */
async function* follow<P extends { nextCursor: string | null }>(
  getPage: (cursor: string | null | undefined) => Promise<P>,
  start: string | null | undefined,
): AsyncGenerator<P, void, undefined> {
  let cursor = start;
  for (;;) {
    const page = await getPage(cursor);
    yield page;
    if (page.nextCursor === null) return;
    // A server that hands back the cursor it was given would keep a loop going forever.
    if (page.nextCursor === cursor) {
      throw new HiwarError({ code: 'internal', status: 200, message: 'The server repeated a page cursor' });
    }
    cursor = page.nextCursor;
  }
}

async function unwrap(send: Send, call: Call): Promise<Comment> {
  return (await send<CommentResponse>(call)).comment;
}

function commentPath(id: string): string {
  return `/api/v1/comments/${encodeURIComponent(id)}`;
}

function bearer(editToken: string | undefined): Record<string, string> | undefined {
  return editToken ? { Authorization: `Bearer ${editToken}` } : undefined;
}
