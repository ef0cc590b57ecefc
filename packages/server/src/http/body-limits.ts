import { type AdminRouteName, adminRoutes, type PublicRouteName, publicRoutes } from '@hiwar/protocol';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './api-error.js';

const KiB = 1024;

type Routes = typeof publicRoutes & typeof adminRoutes;
type RouteName = PublicRouteName | AdminRouteName;

/** The routes whose contract has a JSON body: each must have a limit below (the compiler checks). */
export type RouteWithBody = { [K in RouteName]: Routes[K] extends { body: unknown } ? K : never }[RouteName];

/**
 * The largest request body each route reads, in bytes. Each is sized so that the
 * longest value its schema allows fits, written as `JSON.stringify` writes it, in
 * a script of 3 bytes a character (CJK; Arabic takes 2), with room to spare; the
 * smaller the limit, the less an anonymous client can make the server buffer.
 * Every other route takes no body: its limit is 0. GET and HEAD are not checked:
 * their bodies are never read (node-server does not pass them on) and are discarded.
 */
export const BODY_LIMITS = {
  // DESIGN: "Request bodies over 512 KiB get 413."
  createComment: 512 * KiB,
  // A body of 65 525 characters: at most 192 KiB at 3 bytes each.
  updateComment: 300 * KiB,
  editComment: 300 * KiB,
  replyToComment: 300 * KiB,
  // A username of 200 and a password of 1 024 characters: 7.2 KiB even with every
  // character escaped as \uXXXX. Anyone may call it, so it reads the least.
  login: 8 * KiB,
  changePassword: 16 * KiB,
  createToken: 8 * KiB,
  updateThread: 8 * KiB,
  createBan: 8 * KiB,
  // 1 000 site ids, or 500 comment ids in one bulk action: well under 100 KiB.
  createUser: 256 * KiB,
  updateUser: 256 * KiB,
  moderate: 256 * KiB,
  // Two word lists of 1 000 words of 100 characters: 600 KiB of CJK, 400 of Arabic.
  createSite: 1024 * KiB,
  updateSite: 1024 * KiB,
} as const satisfies Record<RouteWithBody, number>;

/** The public create route's limit, which DESIGN fixes. */
export const MAX_BODY_BYTES = BODY_LIMITS.createComment;

interface Matcher {
  name: RouteName;
  method: string;
  pattern: RegExp;
  maxBytes: number;
}

/** `/api/v1/comments/:id` → `^/api/v1/comments/[^/]+$`, the way Hono matches it (no trailing slash). */
function patternOf(path: string): RegExp {
  const source = path
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

const MATCHERS: readonly Matcher[] = Object.entries({ ...publicRoutes, ...adminRoutes })
  .filter(([, route]) => route.method !== 'get')
  .map(([name, route]) => ({
    name: name as RouteName,
    method: route.method.toUpperCase(),
    pattern: patternOf(route.path),
    maxBytes: (BODY_LIMITS as Partial<Record<RouteName, number>>)[name as RouteName] ?? 0,
  }));

/**
 * The body limit of a request, or undefined when it is not checked (GET, HEAD,
 * OPTIONS, and paths no route answers, which never read a body).
 *
 * @example
 * bodyLimitOf('PATCH', '/api/v1/comments/42') // → { route: 'updateComment', maxBytes: 307200 }
 * bodyLimitOf('DELETE', '/api/v1/comments/42') // → { route: 'deleteComment', maxBytes: 0 }
 */
export function bodyLimitOf(
  method: string,
  path: string,
): { route: RouteName; maxBytes: number } | undefined {
  for (const matcher of MATCHERS) {
    if (matcher.method === method && matcher.pattern.test(path)) {
      return { route: matcher.name, maxBytes: matcher.maxBytes };
    }
  }
  return undefined;
}

function tooLarge(maxBytes: number): never {
  if (maxBytes === 0) {
    throw new ApiError('payload_too_large', 'This request takes no body.', { maxBytes });
  }
  const size = maxBytes % KiB === 0 ? `${maxBytes / KiB} KiB` : `${maxBytes} bytes`;
  throw new ApiError('payload_too_large', `The request body may be at most ${size} here.`, { maxBytes });
}

/** One hono bodyLimit per distinct size, made once. */
const LIMITERS = new Map<number, MiddlewareHandler>(
  [...new Set(MATCHERS.map((matcher) => matcher.maxBytes))].map((maxBytes) => [
    maxBytes,
    bodyLimit({ maxSize: maxBytes, onError: () => tooLarge(maxBytes) }),
  ]),
);

/**
 * Refuses a request body over its route's limit ({@link BODY_LIMITS}) with 413
 * `payload_too_large` (`details.maxBytes`), before any handler runs. A declared
 * `Content-Length` over the limit is refused at once; a chunked body is counted
 * as it arrives and refused at the first byte over, so no more is buffered.
 *
 * @example
 * app.use('/api/v1/*', limitBodies())
 */
export function limitBodies(): MiddlewareHandler {
  return (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const limit = bodyLimitOf(method, c.req.path);
    if (!limit) return next();
    return (LIMITERS.get(limit.maxBytes) as MiddlewareHandler)(c, next);
  };
}
