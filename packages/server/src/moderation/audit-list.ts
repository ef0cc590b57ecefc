import type { AuditPage, AuditQuerySchema } from '@hiwar/protocol';
import type { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import { iso } from '../comments/public-comment.js';
import type { AppDeps } from '../context.js';
import { decodeIdCursor, encodeIdCursor, siteScope } from './scope.js';

/**
 * The audit log, newest first, keyset paginated. An owner sees every entry; a
 * moderator only the entries of the sites they moderate (not the site-less user and
 * token entries).
 *
 * @example
 * await listAudit(deps, principal, { limit: 50 })
 */
export async function listAudit(
  deps: AppDeps,
  principal: Principal,
  query: z.output<typeof AuditQuerySchema>,
): Promise<AuditPage> {
  const scope = await siteScope(deps.db, principal, query.site);
  if (scope !== 'all' && scope.length === 0) return { entries: [], nextCursor: null };
  const after = query.cursor !== undefined ? decodeIdCursor(query.cursor, 'a') : null;
  let select = deps.db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor', 'action', 'site_id', 'target_type', 'target_id', 'before', 'after']);
  if (scope !== 'all') select = select.where('site_id', 'in', scope);
  if (after) select = select.where('id', '<', after);
  const rows = await select
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    entries: page.map((row) => ({
      id: String(row.id),
      at: iso(row.at),
      actor: row.actor,
      action: row.action,
      siteId: row.site_id,
      targetType: row.target_type,
      targetId: row.target_id,
      before: row.before ?? null,
      after: row.after ?? null,
    })),
    nextCursor: rows.length > query.limit && last ? encodeIdCursor('a', String(last.id)) : null,
  };
}
