import { CountsQuerySchema, publicRoutes, ThreadQuerySchema } from '@hiwar/protocol';
import { Hono } from 'hono';
import type { AppDeps } from '../context.js';
import type { ClientIpResolver } from '../http/client-ip.js';
import { requestMeta } from '../http/request-meta.js';
import { parseWith, queryObject } from '../http/validate.js';
import { createCountsCache } from './counts-cache.js';
import { createPageCache, getCounts, getThread } from './threads.service.js';

export function threadsRoutes(deps: AppDeps, clientIp: ClientIpResolver): Hono {
  const app = new Hono();
  const pages = createPageCache();
  const counts = createCountsCache();

  app.get(publicRoutes.getThread.path, async (c) => {
    const query = parseWith(ThreadQuerySchema, queryObject(c));
    const result = await getThread(
      deps,
      query,
      requestMeta(c, clientIp),
      c.req.header('if-none-match'),
      pages,
    );
    c.header('ETag', result.etag);
    c.header('Cache-Control', 'no-cache');
    if (result.json === undefined) return c.body(null, 304);
    return c.body(result.json, 200, { 'Content-Type': 'application/json' });
  });

  app.get(publicRoutes.getCounts.path, async (c) => {
    const query = parseWith(CountsQuerySchema, queryObject(c, ['url', 'id']));
    const answer = await getCounts(deps, query, requestMeta(c, clientIp), counts);
    c.header('Cache-Control', 'public, max-age=30');
    return c.json({ counts: answer });
  });

  return app;
}
