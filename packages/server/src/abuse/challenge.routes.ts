import { ChallengeQuerySchema, publicRoutes } from '@hiwar/protocol';
import { Hono } from 'hono';
import type { AppDeps } from '../context.js';
import { ApiError } from '../http/api-error.js';
import type { ClientIpResolver } from '../http/client-ip.js';
import { assertOrigin } from '../http/origins.js';
import { requestMeta } from '../http/request-meta.js';
import { parseWith, queryObject } from '../http/validate.js';
import { findSiteAndThread } from '../threads/threads.repository.js';
import { issueChallenge } from './challenge.js';

/** `GET /api/v1/challenge?site=S`: a form token (and maybe a puzzle) for the comment form. */
export function challengeRoutes(deps: AppDeps, clientIp: ClientIpResolver): Hono {
  const app = new Hono();

  app.get(publicRoutes.getChallenge.path, async (c) => {
    const { site: siteId } = parseWith(ChallengeQuerySchema, queryObject(c));
    const found = await findSiteAndThread(deps.db, siteId, null);
    if (!found) throw new ApiError('unknown_site', `No site has the id "${siteId}".`);
    assertOrigin(found.site, requestMeta(c, clientIp).origin);
    const challenge = await issueChallenge(deps.db, deps.keys, found.site, deps.clock.now());
    // Each form gets its own token: no cache may hand one to two readers.
    c.header('Cache-Control', 'no-store');
    return c.json(challenge);
  });

  return app;
}
