import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Principal } from './principal.js';

export interface AuditEntryInput {
  /** Null when the CLI acted. */
  principal: Pick<Principal, 'userId' | 'username'> | null;
  /** `comment.approve`, `comment.edit`, `site.update`, `ban.create`, `user.create`, … */
  action: string;
  siteId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  /** JSON-able; never an email address or an IP (write a label such as `email` instead). */
  before?: unknown;
  after?: unknown;
}

/**
 * Records one action. Call it with the transaction that performs the action, so
 * both are written or neither is.
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   await changeStatus(trx, …)
 *   await writeAudit(trx, { principal, action: 'comment.approve', siteId, targetType: 'comment', targetId: id, before, after })
 * })
 */
export async function writeAudit(
  trx: Transaction<Database> | Kysely<Database>,
  entries: AuditEntryInput | AuditEntryInput[],
): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  await trx
    .insertInto('audit_log')
    .values(
      list.map((entry) => ({
        user_id: entry.principal?.userId ?? null,
        actor: entry.principal?.username ?? null,
        action: entry.action,
        site_id: entry.siteId ?? null,
        target_type: entry.targetType ?? null,
        target_id: entry.targetId ?? null,
        before: entry.before === undefined ? null : JSON.stringify(entry.before),
        after: entry.after === undefined ? null : JSON.stringify(entry.after),
      })),
    )
    .execute();
}
