import {
  adminRoutes,
  ChangePasswordBodySchema,
  CreateTokenBodySchema,
  CreateUserBodySchema,
  LoginBodySchema,
  UpdateUserBodySchema,
} from '@hiwar/protocol';
import { type Context, Hono } from 'hono';
import type { AppDeps } from '../context.js';
import { ApiError } from '../http/api-error.js';
import type { ClientIpResolver } from '../http/client-ip.js';
import { requestMeta } from '../http/request-meta.js';
import { parseWith, readJson } from '../http/validate.js';
import { changeOwnPassword, login } from './account.service.js';
import { assertSameOrigin, requireAdmin } from './principal.js';
import { clearSessionCookie, endSession } from './sessions.js';
import { createOwnToken, listTokens, revokeToken } from './tokens.js';
import { createUser, deleteUser, listUsers, loadUser, updateUser } from './users.js';

/** A decimal id, as the contract's `idParam`; anything else names nothing (404). */
function idParam(c: Context, what: string): string {
  const id = c.req.param('id') ?? '';
  if (!/^[1-9][0-9]{0,17}$/.test(id)) throw new ApiError('not_found', `No ${what} has this id.`);
  return id;
}

/** Login, logout, the signed-in user, password, API tokens and users (`/api/v1/admin/…`). */
export function authRoutes(deps: AppDeps, clientIp: ClientIpResolver): Hono {
  const app = new Hono();
  const dashboardOrigin = new URL(deps.config.publicUrl).origin;
  const signedIn = requireAdmin(deps, 'admin');
  const owner = requireAdmin(deps, 'owner');

  // The login is a write like any other: a cross-site form must not log a browser in
  // (login CSRF), so it needs the dashboard's Origin, and JSON only.
  app.post(adminRoutes.login.path, async (c) => {
    c.header('Cache-Control', 'no-store');
    assertSameOrigin(c, dashboardOrigin);
    const body = parseWith(LoginBodySchema, await readJson(c));
    const { user, setCookie } = await login(deps, body, requestMeta(c, clientIp).clientIp);
    c.header('Set-Cookie', setCookie);
    return c.json({ user });
  });

  app.post(adminRoutes.logout.path, signedIn, async (c) => {
    const { via } = c.get('principal');
    if (via.kind === 'session') await endSession(deps.db, via.idHash);
    c.header('Set-Cookie', clearSessionCookie(deps.config.publicUrl));
    return c.json({ ok: true as const });
  });

  app.get(adminRoutes.me.path, signedIn, async (c) => {
    const user = await loadUser(deps.db, c.get('principal').userId);
    if (!user) throw new ApiError('unauthorized', 'Log in or send an API token.');
    return c.json({ user });
  });

  app.post(adminRoutes.changePassword.path, signedIn, async (c) => {
    const body = parseWith(ChangePasswordBodySchema, await readJson(c));
    await changeOwnPassword(deps, c.get('principal'), body, requestMeta(c, clientIp).clientIp);
    return c.json({ ok: true as const });
  });

  app.get(adminRoutes.listTokens.path, signedIn, async (c) => {
    return c.json({ tokens: await listTokens(deps.db, c.get('principal').userId) });
  });

  app.post(adminRoutes.createToken.path, signedIn, async (c) => {
    const { name } = parseWith(CreateTokenBodySchema, await readJson(c));
    const created = await createOwnToken(deps.db, c.get('principal'), name, deps.clock.now());
    return c.json(created, 201);
  });

  app.delete(adminRoutes.revokeToken.path, signedIn, async (c) => {
    await revokeToken(deps.db, idParam(c, 'token'), c.get('principal'), deps.clock.now());
    return c.json({ ok: true as const });
  });

  app.get(adminRoutes.listUsers.path, owner, async (c) => {
    return c.json({ users: await listUsers(deps.db) });
  });

  app.post(adminRoutes.createUser.path, owner, async (c) => {
    const input = parseWith(CreateUserBodySchema, await readJson(c));
    const user = await createUser(deps.db, input, c.get('principal'));
    return c.json({ user }, 201);
  });

  app.patch(adminRoutes.updateUser.path, owner, async (c) => {
    const id = idParam(c, 'user');
    const changes = parseWith(UpdateUserBodySchema, await readJson(c));
    const user = await updateUser(deps.db, id, changes, c.get('principal'), deps.clock.now());
    return c.json({ user });
  });

  app.delete(adminRoutes.deleteUser.path, owner, async (c) => {
    await deleteUser(deps.db, idParam(c, 'user'), c.get('principal'));
    return c.json({ ok: true as const });
  });

  return app;
}
