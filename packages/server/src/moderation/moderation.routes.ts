import {
  ActionBodySchema,
  AdminCountsQuerySchema,
  AuditQuerySchema,
  adminRoutes,
  BansQuerySchema,
  CreateBanBodySchema,
  EditCommentBodySchema,
  ModeratorReplyBodySchema,
  QueueQuerySchema,
  UpdateThreadBodySchema,
} from '@hiwar/protocol';
import { type Context, Hono } from 'hono';
import { requireAdmin } from '../auth/principal.js';
import type { AppDeps } from '../context.js';
import { ApiError } from '../http/api-error.js';
import type { ClientIpResolver } from '../http/client-ip.js';
import { parseWith, queryObject, readJson } from '../http/validate.js';
import { sitesAdminRoutes } from '../sites/sites.routes.js';
import { applyAction, editAsModerator, replyAsModerator, setThreadClosed } from './actions.js';
import { loadAdminComments } from './admin-comment.js';
import { listAudit } from './audit-list.js';
import { createBan, deleteBan, getCommenter, listBans } from './bans.js';
import { listQueue, statusCounts } from './queue.js';
import { siteScope } from './scope.js';

const ID = /^[1-9][0-9]{0,17}$/;

/** A decimal id from the path; anything else names nothing (404). */
function idParam(c: Context, what: string): string {
  const id = c.req.param('id');
  if (id === undefined || !ID.test(id)) throw new ApiError('not_found', `No ${what} has this id.`);
  return id;
}

/** The queue, moderation actions, commenters, bans, threads, sites and the audit log (`/api/v1/admin/…`). */
export function moderationRoutes(deps: AppDeps, _clientIp: ClientIpResolver): Hono {
  const app = new Hono();
  const admin = requireAdmin(deps, 'admin');
  const noStore = (c: Context) => c.header('Cache-Control', 'no-store');

  // Static paths before `/:id`.
  app.get(adminRoutes.commentCounts.path, admin, async (c) => {
    const { site } = parseWith(AdminCountsQuerySchema, queryObject(c));
    noStore(c);
    return c.json(await statusCounts(deps, c.get('principal'), site));
  });

  app.post(adminRoutes.moderate.path, admin, async (c) => {
    const { action, ids } = parseWith(ActionBodySchema, await readJson(c));
    noStore(c);
    return c.json(await applyAction(deps, c.get('principal'), action, ids));
  });

  app.get(adminRoutes.listComments.path, admin, async (c) => {
    const query = parseWith(QueueQuerySchema, queryObject(c));
    noStore(c);
    return c.json(await listQueue(deps, c.get('principal'), query));
  });

  app.get(adminRoutes.getAdminComment.path, admin, async (c) => {
    const id = idParam(c, 'comment');
    const [comment] = await loadAdminComments(deps.db, deps.keys, [id], deps.clock.now());
    if (!comment) throw new ApiError('not_found', 'No comment has this id.');
    if (!canSee(c, comment.siteId)) throw new ApiError('forbidden', 'You do not moderate this site.');
    noStore(c);
    return c.json({ comment });
  });

  app.patch(adminRoutes.editComment.path, admin, async (c) => {
    const id = idParam(c, 'comment');
    const { body } = parseWith(EditCommentBodySchema, await readJson(c));
    noStore(c);
    return c.json({ comment: await editAsModerator(deps, c.get('principal'), id, body) });
  });

  app.post(adminRoutes.replyToComment.path, admin, async (c) => {
    const id = idParam(c, 'comment');
    const { body } = parseWith(ModeratorReplyBodySchema, await readJson(c));
    noStore(c);
    return c.json({ comment: await replyAsModerator(deps, c.get('principal'), id, body) }, 201);
  });

  app.get(adminRoutes.getCommenter.path, admin, async (c) => {
    const id = idParam(c, 'comment');
    noStore(c);
    return c.json(await getCommenter(deps, c.get('principal'), id));
  });

  app.patch(adminRoutes.updateThread.path, admin, async (c) => {
    const id = idParam(c, 'thread');
    const { closed } = parseWith(UpdateThreadBodySchema, await readJson(c));
    noStore(c);
    return c.json({ thread: await setThreadClosed(deps, c.get('principal'), id, closed) });
  });

  app.get(adminRoutes.listBans.path, admin, async (c) => {
    const { site } = parseWith(BansQuerySchema, queryObject(c));
    const scope = await siteScope(deps.db, c.get('principal'), site);
    noStore(c);
    return c.json({ bans: await listBans(deps, scope) });
  });

  app.post(adminRoutes.createBan.path, admin, async (c) => {
    const input = parseWith(CreateBanBodySchema, await readJson(c));
    noStore(c);
    return c.json({ ban: await createBan(deps, c.get('principal'), input) }, 201);
  });

  app.delete(adminRoutes.deleteBan.path, admin, async (c) => {
    await deleteBan(deps, c.get('principal'), idParam(c, 'ban'));
    noStore(c);
    return c.json({ ok: true as const });
  });

  app.get(adminRoutes.listAudit.path, admin, async (c) => {
    const query = parseWith(AuditQuerySchema, queryObject(c));
    noStore(c);
    return c.json(await listAudit(deps, c.get('principal'), query));
  });

  app.route('/', sitesAdminRoutes(deps));
  return app;
}

function canSee(c: Context, siteId: string): boolean {
  const { sites } = c.get('principal');
  return sites === 'all' || sites.has(siteId);
}
