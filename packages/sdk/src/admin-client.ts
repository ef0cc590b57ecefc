import type { AdminComment, AdminRouteName, AuditQuery, adminRoutes, QueueQuery } from '@hiwar/protocol';
import { HiwarError, parseRetryAfter } from './errors.js';
import { backoff, type Call, createTransport, type QueryValue, type Sleep } from './transport.js';

type Routes = typeof adminRoutes;
// zod's `z.input` / `z.output`, spelled without importing zod: the SDK's types come from
// the very schemas the server validates with, and no schema code ends up in a bundle.
type InputOf<S> = S extends { _zod: { input: infer I } } ? I : never;
type OutputOf<S> = S extends { _zod: { output: infer O } } ? O : never;
type SuccessSchema<R> = R extends { responses: infer Rs }
  ? Rs[keyof Rs] extends { schema: infer S }
    ? S
    : never
  : never;

/** What the admin route `K` takes as its JSON body, e.g. `AdminBody<'createUser'>`. */
export type AdminBody<K extends AdminRouteName> = Routes[K] extends { body: infer S } ? InputOf<S> : never;
/** What the admin route `K` answers with on success, e.g. `AdminResult<'listUsers'>` is `{ users }`. */
export type AdminResult<K extends AdminRouteName> = OutputOf<SuccessSchema<Routes[K]>>;
/** The query of `commentCounts` and `listBans`: one site, or every site the caller moderates. */
export type SiteFilter = InputOf<Routes['listBans']['query']>;

export interface AdminClientOptions {
  /** Where the Hiwar server answers; `''` for the page's own origin (the dashboard). */
  baseUrl: string;
  /**
   * A personal API token, sent as `Authorization: Bearer <token>`. Without one the
   * requests carry the session cookie of a same-origin page (`credentials: 'same-origin'`).
   */
  token?: string;
  /** The fetch to use; defaults to the global one. */
  fetch?: typeof fetch;
  /** Each attempt is aborted after this many milliseconds; 0 turns the timeout off. Default 10 000. */
  timeoutMs?: number;
  /** How many times a failed GET is repeated. Default 2. Writes are never repeated. */
  retries?: number;
  /** Waits between retries; tests pass one that does not really wait. */
  sleep?: Sleep;
}

export interface AdminCallOptions {
  signal?: AbortSignal;
}

type Options = AdminCallOptions | undefined;

/**
 * The admin API (`/api/v1/admin/…`): one method per route of the contract's
 * `adminRoutes`, named as the route is, answering with the route's JSON.
 */
export interface AdminClient {
  /** Logs in; in a browser the answer sets the session cookie. `invalid_credentials` when wrong. */
  login(body: AdminBody<'login'>, options?: Options): Promise<AdminResult<'login'>>;
  /** Ends the session the request carries. */
  logout(options?: Options): Promise<AdminResult<'logout'>>;
  /** The signed-in user; `unauthorized` when there is none. */
  me(options?: Options): Promise<AdminResult<'me'>>;
  /** Changes the caller's password; every other session ends. */
  changePassword(
    body: AdminBody<'changePassword'>,
    options?: Options,
  ): Promise<AdminResult<'changePassword'>>;
  listTokens(options?: Options): Promise<AdminResult<'listTokens'>>;
  /** Creates a token; its `secret` is in this answer only. */
  createToken(body: AdminBody<'createToken'>, options?: Options): Promise<AdminResult<'createToken'>>;
  revokeToken(id: string, options?: Options): Promise<AdminResult<'revokeToken'>>;
  listUsers(options?: Options): Promise<AdminResult<'listUsers'>>;
  createUser(body: AdminBody<'createUser'>, options?: Options): Promise<AdminResult<'createUser'>>;
  updateUser(
    id: string,
    body: AdminBody<'updateUser'>,
    options?: Options,
  ): Promise<AdminResult<'updateUser'>>;
  /** Deletes a user; `forbidden` for the last owner. */
  deleteUser(id: string, options?: Options): Promise<AdminResult<'deleteUser'>>;
  /** One page of the moderation queue; see {@link AdminClient.queue} to walk all of it. */
  listComments(query?: QueueQuery, options?: Options): Promise<AdminResult<'listComments'>>;
  commentCounts(query?: SiteFilter, options?: Options): Promise<AdminResult<'commentCounts'>>;
  getAdminComment(id: string, options?: Options): Promise<AdminResult<'getAdminComment'>>;
  /** Applies one action to one or many comments; ids it may not touch come back in `skipped`. */
  moderate(body: AdminBody<'moderate'>, options?: Options): Promise<AdminResult<'moderate'>>;
  editComment(
    id: string,
    body: AdminBody<'editComment'>,
    options?: Options,
  ): Promise<AdminResult<'editComment'>>;
  replyToComment(
    id: string,
    body: AdminBody<'replyToComment'>,
    options?: Options,
  ): Promise<AdminResult<'replyToComment'>>;
  getCommenter(id: string, options?: Options): Promise<AdminResult<'getCommenter'>>;
  updateThread(
    id: string,
    body: AdminBody<'updateThread'>,
    options?: Options,
  ): Promise<AdminResult<'updateThread'>>;
  listBans(query?: SiteFilter, options?: Options): Promise<AdminResult<'listBans'>>;
  createBan(body: AdminBody<'createBan'>, options?: Options): Promise<AdminResult<'createBan'>>;
  deleteBan(id: string, options?: Options): Promise<AdminResult<'deleteBan'>>;
  listSites(options?: Options): Promise<AdminResult<'listSites'>>;
  createSite(body: AdminBody<'createSite'>, options?: Options): Promise<AdminResult<'createSite'>>;
  updateSite(
    id: string,
    body: AdminBody<'updateSite'>,
    options?: Options,
  ): Promise<AdminResult<'updateSite'>>;
  /** One page of the audit log, newest first. */
  listAudit(query?: AuditQuery, options?: Options): Promise<AdminResult<'listAudit'>>;
  /**
   * Every comment of the queue matching `query`, page after page (following
   * `nextCursor`), from `query.cursor` or the first page.
   *
   * @example
   * for await (const comment of admin.queue({ site: 'news', status: 'pending' })) {
   *   if (comment.markdown.includes('casino')) spam.push(comment.id);
   * }
   */
  queue(query?: QueueQuery, options?: Options): AsyncIterableIterator<AdminComment>;
}

/**
 * A client for the admin API, failing like {@link createClient}'s: every failure a
 * `HiwarError` with the contract's stable `code`, an abort rethrown as the platform's
 * `AbortError`. Only GETs are retried (network failures, timeouts, 429, 502–504).
 *
 * @example
 * import { createAdminClient } from '@hiwar/sdk';
 *
 * const admin = createAdminClient({ baseUrl: 'https://comments.news.example', token: process.env.HIWAR_TOKEN });
 * const { counts } = await admin.commentCounts({ site: 'news' });
 * for await (const comment of admin.queue({ site: 'news', status: 'pending' })) console.log(comment.id);
 */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const baseFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const auth = options.token ? { Authorization: `Bearer ${options.token}` } : undefined;
  const transport = createTransport({
    baseUrl: options.baseUrl,
    // Without a token the dashboard is signed in by its session cookie.
    fetch: auth ? baseFetch : (input, init) => baseFetch(input, { ...init, credentials: 'same-origin' }),
    timeoutMs: options.timeoutMs ?? 10_000,
    retry: backoff(options.retries ?? 2, options.sleep),
    retryAfter: (headers) => parseRetryAfter(headers.get('retry-after'), Date.now()),
  });
  const send = <T>(call: Omit<Call, 'headers'>, callOptions: Options): Promise<T> =>
    transport<T>({ ...call, headers: auth, signal: callOptions?.signal });
  const get = <T>(path: string, query: object | undefined, o: Options) =>
    send<T>({ method: 'GET', path, query: query as Record<string, QueryValue> | undefined }, o);
  const post = <T>(path: string, body: unknown, o: Options) => send<T>({ method: 'POST', path, body }, o);
  const patch = <T>(path: string, body: unknown, o: Options) => send<T>({ method: 'PATCH', path, body }, o);
  const remove = <T>(path: string, o: Options) => send<T>({ method: 'DELETE', path }, o);

  const client: Omit<AdminClient, 'queue'> = {
    login: (body, o) => post(`${ADMIN}/login`, body, o),
    logout: (o) => post(`${ADMIN}/logout`, undefined, o),
    me: (o) => get(`${ADMIN}/me`, undefined, o),
    changePassword: (body, o) => post(`${ADMIN}/me/password`, body, o),
    listTokens: (o) => get(`${ADMIN}/tokens`, undefined, o),
    createToken: (body, o) => post(`${ADMIN}/tokens`, body, o),
    revokeToken: (id, o) => remove(at('tokens', id), o),
    listUsers: (o) => get(`${ADMIN}/users`, undefined, o),
    createUser: (body, o) => post(`${ADMIN}/users`, body, o),
    updateUser: (id, body, o) => patch(at('users', id), body, o),
    deleteUser: (id, o) => remove(at('users', id), o),
    listComments: (query, o) => get(`${ADMIN}/comments`, query, o),
    commentCounts: (query, o) => get(`${ADMIN}/comments/counts`, query, o),
    getAdminComment: (id, o) => get(at('comments', id), undefined, o),
    moderate: (body, o) => post(`${ADMIN}/comments/actions`, body, o),
    editComment: (id, body, o) => patch(at('comments', id), body, o),
    replyToComment: (id, body, o) => post(`${at('comments', id)}/replies`, body, o),
    getCommenter: (id, o) => get(`${at('comments', id)}/author`, undefined, o),
    updateThread: (id, body, o) => patch(at('threads', id), body, o),
    listBans: (query, o) => get(`${ADMIN}/bans`, query, o),
    createBan: (body, o) => post(`${ADMIN}/bans`, body, o),
    deleteBan: (id, o) => remove(at('bans', id), o),
    listSites: (o) => get(`${ADMIN}/sites`, undefined, o),
    createSite: (body, o) => post(`${ADMIN}/sites`, body, o),
    updateSite: (id, body, o) => patch(at('sites', id), body, o),
    listAudit: (query, o) => get(`${ADMIN}/audit`, query, o),
  };
  return { ...client, queue: (query = {}, o) => walkQueue(client, query, o) };
}

const ADMIN = '/api/v1/admin';

/** `/api/v1/admin/<collection>/<id>`, the id encoded so that it stays one path segment. */
function at(collection: string, id: string): string {
  return `${ADMIN}/${collection}/${encodeURIComponent(id)}`;
}

async function* walkQueue(
  client: Pick<AdminClient, 'listComments'>,
  query: QueueQuery,
  options: Options,
): AsyncGenerator<AdminComment, void, undefined> {
  let cursor = query.cursor;
  for (;;) {
    const page = await client.listComments({ ...query, cursor }, options);
    yield* page.comments;
    if (page.nextCursor === null) return;
    // A server that hands back the cursor it was given would keep the walk going forever.
    if (page.nextCursor === cursor) {
      throw new HiwarError({ code: 'internal', status: 200, message: 'The server repeated a page cursor' });
    }
    cursor = page.nextCursor;
  }
}
