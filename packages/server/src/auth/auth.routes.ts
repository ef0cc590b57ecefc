import { Hono } from 'hono';
import type { AppDeps } from '../context.js';
import type { ClientIpResolver } from '../http/client-ip.js';

/** Login, logout, the signed-in user, password, API tokens and users (`/api/v1/admin/…`). */
export function authRoutes(_deps: AppDeps, _clientIp: ClientIpResolver): Hono {
  const app = new Hono();
  return app;
}
