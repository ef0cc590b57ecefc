import { adminRoutes, buildOpenApiDocument, publicRoutes } from '@hiwar/protocol';
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { challengeRoutes } from './abuse/challenge.routes.js';
import { authRoutes } from './auth/auth.routes.js';
import { commentsRoutes } from './comments/comments.routes.js';
import type { Config } from './config.js';
import { isValidAvatarKey, renderIdenticon } from './content/identicon.js';
import { type Clock, systemClock } from './context.js';
import type { Keys } from './crypto/keys.js';
import { isMigrated } from './db/migrations.js';
import type { Database } from './db/schema.js';
import { ApiError } from './http/api-error.js';
import { limitBodies } from './http/body-limits.js';
import { createClientIpResolver } from './http/client-ip.js';
import { isDatabaseUnavailable } from './http/db-errors.js';
import { createLogger } from './http/logger.js';
import { securityHeaders } from './http/security-headers.js';
import { moderationRoutes } from './moderation/moderation.routes.js';
import { staticRoutes } from './static/static.routes.js';
import { countsChanged } from './threads/counts-cache.js';
import { threadsRoutes } from './threads/threads.routes.js';

export const VERSION = '0.1.0';
/** DESIGN's limit on a new comment's body; the other routes' are in http/body-limits.ts. */
export { MAX_BODY_BYTES } from './http/body-limits.js';

export interface CreateAppOptions {
  db: Kysely<Database>;
  config: Readonly<Config>;
  keys: Keys;
  clock?: Clock;
  logger?: Logger;
}

/** Lets the Node entry tell the app it is shutting down: /readyz answers 503. */
export interface AppLifecycle {
  draining: boolean;
}

/**
 * Builds the Hono app. Only the Node entry opens a socket; tests drive the app
 * with `app.request()`.
 *
 * @example
 * const { app } = createApp({ db, config, keys })
 * const res = await app.request('/healthz')
 */
export function createApp(options: CreateAppOptions): { app: Hono; lifecycle: AppLifecycle } {
  const deps = {
    db: options.db,
    config: options.config,
    keys: options.keys,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? createLogger(options.config.logLevel),
  };
  const lifecycle: AppLifecycle = { draining: false };
  const clientIp = createClientIpResolver(options.config.trustedProxies);
  const app = new Hono();

  // Every answer, errors and 304s included, gets its security headers here (see
  // http/security-headers.ts for which); routes only say what is special about them.
  const secure = securityHeaders({ publicUrl: deps.config.publicUrl });
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    secure(c.req.path, c.res.headers);
    deps.logger.debug(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });

  // The public API is read by widgets on the sites' own origins. Every origin gets
  // CORS headers so a refused one can read its `forbidden_origin` code; each route
  // checks the origin against its site before doing anything.
  app.use('/api/v1/*', async (c, next) => {
    // The admin API answers its own origin only: no CORS headers, so no other site's
    // script can read its answers (and session writes check Origin, see requireAdmin).
    if (c.req.path.startsWith('/api/v1/admin/')) return next();
    const origin = c.req.header('origin');
    if (c.req.method === 'OPTIONS') {
      if (!origin) return c.body(null, 204);
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE',
        'Access-Control-Allow-Headers': 'Content-Type, Authorization, Idempotency-Key, If-None-Match',
        'Access-Control-Max-Age': '86400',
        Vary: 'Origin',
      });
    }
    await next();
    const headers = c.res.headers;
    if (origin) {
      headers.set('Access-Control-Allow-Origin', origin);
      headers.set('Access-Control-Expose-Headers', 'ETag, Retry-After');
    }
    headers.append('Vary', 'Origin');
  });

  // A write through this process (a comment posted, edited, deleted or moderated, a site's
  // settings) may change what GET /api/v1/counts answers: once it has answered, and so
  // committed, the counts' cached answers are out of date (threads/counts-cache.ts).
  app.use('/api/v1/*', async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS') countsChanged();
  });

  // Each route's body limit (http/body-limits.ts): 512 KiB for a new comment, less where
  // the schema allows less, none where a route takes no body. GET and HEAD are not read.
  app.use('/api/v1/*', limitBodies());

  app.route('/', threadsRoutes(deps, clientIp));
  app.route('/', challengeRoutes(deps, clientIp));
  app.route('/', commentsRoutes(deps, clientIp));
  app.route('/', authRoutes(deps, clientIp));
  app.route('/', moderationRoutes(deps, clientIp));

  app.get('/api/v1/avatars/:file', (c) => {
    const file = c.req.param('file');
    const key = file.endsWith('.svg') ? file.slice(0, -4) : '';
    if (!isValidAvatarKey(key)) throw new ApiError('not_found', 'No avatar has this key.');
    return c.body(renderIdenticon(key), 200, {
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Cache-Control': 'public, max-age=31536000, immutable',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    });
  });

  let openapi: string | undefined;
  app.get(publicRoutes.getOpenApi.path, (c) => {
    openapi ??= JSON.stringify(
      buildOpenApiDocument(
        { ...publicRoutes, ...adminRoutes },
        {
          title: 'Hiwar',
          version: VERSION,
          description:
            'The public and admin API of Hiwar, a self-hosted comments system. Errors are `{ error: { code, message, details } }`.',
        },
      ),
    );
    return c.body(openapi, 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
    });
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  let migrated = false;
  app.get('/readyz', async (c) => {
    if (lifecycle.draining) throw new ApiError('unavailable', 'The server is shutting down.');
    try {
      await sql`select 1`.execute(deps.db);
      migrated ||= await isMigrated(deps.db as Kysely<unknown>);
    } catch {
      throw new ApiError('unavailable', 'The database cannot be reached.', undefined, { 'Retry-After': '5' });
    }
    if (!migrated) throw new ApiError('unavailable', 'The database is not migrated yet.');
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ready' });
  });

  // The widget's files and, on the embedded default, the demo pages; unknown names fall through.
  app.route(
    '/',
    staticRoutes({ demo: !deps.config.databaseUrl, publicUrl: deps.config.publicUrl, logger: deps.logger }),
  );

  app.notFound((c) => c.json(new ApiError('not_found', 'There is nothing at this address.').toJSON(), 404));

  app.onError((error, c) => {
    let apiError: ApiError;
    if (error instanceof ApiError) apiError = error;
    else if (isDatabaseUnavailable(error)) {
      apiError = new ApiError(
        'unavailable',
        'The database cannot be reached; try again shortly.',
        undefined,
        { 'Retry-After': '5' },
      );
      deps.logger.warn({ err: error, path: c.req.path }, 'database unavailable');
    } else {
      apiError = new ApiError('internal', 'Something went wrong on the server.');
      deps.logger.error({ err: error, method: c.req.method, path: c.req.path }, 'unhandled error');
    }
    for (const [name, value] of Object.entries(apiError.headers ?? {})) c.header(name, value);
    c.header('Cache-Control', 'no-store');
    return c.json(apiError.toJSON(), apiError.status as 400);
  });

  return { app, lifecycle };
}
