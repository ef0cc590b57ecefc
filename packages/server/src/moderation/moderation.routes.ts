import { Hono } from 'hono';
import type { AppDeps } from '../context.js';
import type { ClientIpResolver } from '../http/client-ip.js';

/** The queue, moderation actions, commenters, bans, threads, sites and the audit log (`/api/v1/admin/…`). */
export function moderationRoutes(_deps: AppDeps, _clientIp: ClientIpResolver): Hono {
  const app = new Hono();
  return app;
}
