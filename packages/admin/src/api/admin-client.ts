import type {
  ActionBody,
  ActionResult,
  AdminComment,
  AdminCountsResponse,
  AdminSite,
  AdminThread,
  AdminUser,
  ApiToken,
  AuditPage,
  AuditQuery,
  Ban,
  ChangePasswordBody,
  CommenterResponse,
  CreateBanBody,
  CreateSiteBody,
  CreateTokenBody,
  CreateTokenResponse,
  CreateUserBody,
  EditCommentBody,
  LoginBody,
  MeResponse,
  ModeratorReplyBody,
  QueuePage,
  QueueQuery,
  UpdateSiteBody,
  UpdateThreadBody,
  UpdateUserBody,
} from '@hiwar/protocol';
import { type ErrorCode, isErrorCode } from '@hiwar/protocol/codes';
import { HiwarError } from '@hiwar/sdk';

/**
 * The admin client the dashboard talks through: one method per route of protocol's
 * `adminRoutes`, each resolving to the route's JSON answer as the contract shapes
 * it, and failing with a {@link HiwarError}.
 *
 * INTERIM: a stand-in with the intended shape of `createAdminClient` from
 * `@hiwar/sdk` (packages/sdk/src/admin-client.ts), until that lands; then
 * `models/api.ts` imports the SDK's and this file goes.
 */
export interface AdminClient {
  login(body: LoginBody, options?: Call): Promise<MeResponse>;
  logout(options?: Call): Promise<{ ok: true }>;
  me(options?: Call): Promise<MeResponse>;
  changePassword(body: ChangePasswordBody, options?: Call): Promise<{ ok: true }>;
  listTokens(options?: Call): Promise<{ tokens: ApiToken[] }>;
  createToken(body: CreateTokenBody, options?: Call): Promise<CreateTokenResponse>;
  revokeToken(id: string, options?: Call): Promise<{ ok: true }>;
  listUsers(options?: Call): Promise<{ users: AdminUser[] }>;
  createUser(body: CreateUserBody, options?: Call): Promise<{ user: AdminUser }>;
  updateUser(id: string, body: UpdateUserBody, options?: Call): Promise<{ user: AdminUser }>;
  deleteUser(id: string, options?: Call): Promise<{ ok: true }>;
  listComments(query?: QueueQuery, options?: Call): Promise<QueuePage>;
  commentCounts(query?: { site?: string }, options?: Call): Promise<AdminCountsResponse>;
  getAdminComment(id: string, options?: Call): Promise<{ comment: AdminComment }>;
  moderate(body: ActionBody, options?: Call): Promise<ActionResult>;
  editComment(id: string, body: EditCommentBody, options?: Call): Promise<{ comment: AdminComment }>;
  replyToComment(id: string, body: ModeratorReplyBody, options?: Call): Promise<{ comment: AdminComment }>;
  getCommenter(id: string, options?: Call): Promise<CommenterResponse>;
  updateThread(id: string, body: UpdateThreadBody, options?: Call): Promise<{ thread: AdminThread }>;
  listBans(query?: { site?: string }, options?: Call): Promise<{ bans: Ban[] }>;
  createBan(body: CreateBanBody, options?: Call): Promise<{ ban: Ban }>;
  deleteBan(id: string, options?: Call): Promise<{ ok: true }>;
  listSites(options?: Call): Promise<{ sites: AdminSite[] }>;
  createSite(body: CreateSiteBody, options?: Call): Promise<{ site: AdminSite }>;
  updateSite(id: string, body: UpdateSiteBody, options?: Call): Promise<{ site: AdminSite }>;
  listAudit(query?: AuditQuery, options?: Call): Promise<AuditPage>;
  /** Every page of the queue from `query.cursor`, until `nextCursor` is null. */
  queue(query?: QueueQuery, options?: Call): AsyncIterableIterator<QueuePage>;
  /** The absolute address of an avatar path such as a comment's `author.avatar`. */
  avatarUrl(path: string): string;
}

export interface Call {
  signal?: AbortSignal;
}

export interface AdminClientOptions {
  baseUrl: string;
  /** A personal API token; without one the session cookie is sent (same origin). */
  token?: string;
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | undefined | null>;

/** INTERIM stand-in for `createAdminClient` of `@hiwar/sdk`; see {@link AdminClient}. */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const root = options.baseUrl.replace(/\/+$/, '');
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const send = async <T>(method: string, path: string, body?: unknown, query?: Query, call?: Call) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {}))
      if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const qs = search.toString();
    let response: Response;
    try {
      response = await doFetch(`${root}${path}${qs ? `?${qs}` : ''}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        credentials: options.token ? 'omit' : 'same-origin',
        signal: call?.signal ?? null,
      });
    } catch (cause) {
      if ((cause as Error)?.name === 'AbortError') throw cause;
      throw new HiwarError({ code: 'unavailable', status: 0, message: 'No answer', cause });
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.ok) return json as T;
    const error = (
      json as { error?: { code?: unknown; message?: string; details?: Record<string, unknown> } }
    )?.error;
    const retry = response.headers.get('Retry-After');
    throw new HiwarError({
      code: isErrorCode(error?.code) ? (error.code as ErrorCode) : statusCode(response.status),
      status: response.status,
      message: error?.message ?? `HTTP ${response.status}`,
      ...(error?.details ? { details: error.details } : {}),
      ...(retry && /^\d+$/.test(retry) ? { retryAfter: Number(retry) } : {}),
    });
  };
  const id = (value: string) => encodeURIComponent(value);
  const a = '/api/v1/admin';
  const client: AdminClient = {
    login: (body, o) => send('POST', `${a}/login`, body, undefined, o),
    logout: (o) => send('POST', `${a}/logout`, undefined, undefined, o),
    me: (o) => send('GET', `${a}/me`, undefined, undefined, o),
    changePassword: (body, o) => send('POST', `${a}/me/password`, body, undefined, o),
    listTokens: (o) => send('GET', `${a}/tokens`, undefined, undefined, o),
    createToken: (body, o) => send('POST', `${a}/tokens`, body, undefined, o),
    revokeToken: (tokenId, o) => send('DELETE', `${a}/tokens/${id(tokenId)}`, undefined, undefined, o),
    listUsers: (o) => send('GET', `${a}/users`, undefined, undefined, o),
    createUser: (body, o) => send('POST', `${a}/users`, body, undefined, o),
    updateUser: (userId, body, o) => send('PATCH', `${a}/users/${id(userId)}`, body, undefined, o),
    deleteUser: (userId, o) => send('DELETE', `${a}/users/${id(userId)}`, undefined, undefined, o),
    listComments: (query, o) => send('GET', `${a}/comments`, undefined, query as Query, o),
    commentCounts: (query, o) => send('GET', `${a}/comments/counts`, undefined, query as Query, o),
    getAdminComment: (commentId, o) => send('GET', `${a}/comments/${id(commentId)}`, undefined, undefined, o),
    moderate: (body, o) => send('POST', `${a}/comments/actions`, body, undefined, o),
    editComment: (commentId, body, o) => send('PATCH', `${a}/comments/${id(commentId)}`, body, undefined, o),
    replyToComment: (commentId, body, o) =>
      send('POST', `${a}/comments/${id(commentId)}/replies`, body, undefined, o),
    getCommenter: (commentId, o) =>
      send('GET', `${a}/comments/${id(commentId)}/author`, undefined, undefined, o),
    updateThread: (threadId, body, o) => send('PATCH', `${a}/threads/${id(threadId)}`, body, undefined, o),
    listBans: (query, o) => send('GET', `${a}/bans`, undefined, query as Query, o),
    createBan: (body, o) => send('POST', `${a}/bans`, body, undefined, o),
    deleteBan: (banId, o) => send('DELETE', `${a}/bans/${id(banId)}`, undefined, undefined, o),
    listSites: (o) => send('GET', `${a}/sites`, undefined, undefined, o),
    createSite: (body, o) => send('POST', `${a}/sites`, body, undefined, o),
    updateSite: (siteId, body, o) => send('PATCH', `${a}/sites/${id(siteId)}`, body, undefined, o),
    listAudit: (query, o) => send('GET', `${a}/audit`, undefined, query as Query, o),
    async *queue(query = {}, o) {
      let cursor = query.cursor;
      do {
        const page = await client.listComments({ ...query, cursor }, o);
        yield page;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    },
    avatarUrl: (path) => `${root}${path}`,
  };
  return client;
}

function statusCode(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 502 && status <= 504) return 'unavailable';
  return 'internal';
}
