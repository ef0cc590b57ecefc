import { adminRoutes, CreateSiteBodySchema, SITE_ID_PATTERN, UpdateSiteBodySchema } from '@hiwar/protocol';
import { Hono } from 'hono';
import { canModerate, requireAdmin } from '../auth/principal.js';
import type { AppDeps } from '../context.js';
import { ApiError } from '../http/api-error.js';
import { parseWith, readJson } from '../http/validate.js';
import { createSite, listSites, updateSite } from './sites.service.js';

/**
 * `/api/v1/admin/sites`: a moderator lists the sites they moderate; only an owner
 * creates or changes one. Each change is audited (`site.create`, `site.update`).
 */
export function sitesAdminRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  app.get(adminRoutes.listSites.path, requireAdmin(deps, 'admin'), async (c) => {
    const principal = c.get('principal');
    const sites = (await listSites(deps.db)).filter((site) => canModerate(principal, site.id));
    c.header('Cache-Control', 'no-store');
    return c.json({ sites });
  });

  app.post(adminRoutes.createSite.path, requireAdmin(deps, 'owner'), async (c) => {
    const input = parseWith(CreateSiteBodySchema, await readJson(c));
    const site = await createSite(deps.db, input, deps.clock.now(), c.get('principal'), deps.keys);
    c.header('Cache-Control', 'no-store');
    return c.json({ site }, 201);
  });

  app.patch(adminRoutes.updateSite.path, requireAdmin(deps, 'owner'), async (c) => {
    const id = c.req.param('id') ?? '';
    if (!SITE_ID_PATTERN.test(id)) throw new ApiError('unknown_site', 'No site has this id.');
    const changes = parseWith(UpdateSiteBodySchema, await readJson(c));
    const site = await updateSite(deps.db, id, changes, deps.clock.now(), c.get('principal'), deps.keys);
    c.header('Cache-Control', 'no-store');
    return c.json({ site });
  });

  return app;
}
