import type { Ban, BanDuration, CommenterResponse, CreateBanBodySchema } from '@hiwar/protocol';
import { COMMENT_STATUSES, type StatusCounts } from '@hiwar/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import { writeAudit } from '../auth/audit.js';
import { assertModerates, type Principal } from '../auth/principal.js';
import { nameHash } from '../comments/author-keys.js';
import { iso } from '../comments/public-comment.js';
import type { AppDeps } from '../context.js';
import { decryptEmail, type Keys, open, seal } from '../crypto/keys.js';
import type { Database } from '../db/schema.js';
import { ApiError } from '../http/api-error.js';
import { adminCommentQuery, toAdminComment } from './admin-comment.js';
import type { SiteScope } from './scope.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Ban labels may be email addresses: sealed under their own context, never stored in clear. */
const LABEL_CONTEXT = 'hiwar:ban-label:v1';
const DAY_MS = 86_400_000;
const DURATION_MS: Record<BanDuration, number | null> = {
  day: DAY_MS,
  week: 7 * DAY_MS,
  month: 30 * DAY_MS,
  forever: null,
};
/** A commenter panel lists at most this many of the author's comments. */
const HISTORY_LIMIT = 100;

const banColumns = [
  'b.id',
  'b.site_id',
  'b.kind',
  'b.effect',
  'b.label_enc',
  'b.reason',
  'b.created_at',
  'b.expires_at',
  'u.username',
] as const;

function banQuery(db: Db, now: Date) {
  return db
    .selectFrom('bans as b')
    .leftJoin('users as u', 'u.id', 'b.created_by')
    .select(banColumns)
    .where((eb) => eb.or([eb('b.expires_at', 'is', null), eb('b.expires_at', '>', now)]));
}

type BanRowOut = Awaited<ReturnType<ReturnType<typeof banQuery>['executeTakeFirstOrThrow']>>;

function toBan(row: BanRowOut, keys: Keys): Ban {
  return {
    id: String(row.id),
    siteId: row.site_id,
    kind: row.kind,
    effect: row.effect,
    label: open(keys.encryption, row.label_enc, LABEL_CONTEXT),
    reason: row.reason,
    createdBy: row.username,
    createdAt: iso(row.created_at),
    expiresAt: row.expires_at === null ? null : iso(row.expires_at),
  };
}

/** Bans in force on the sites in scope, newest first. */
export async function listBans(deps: AppDeps, scope: SiteScope): Promise<Ban[]> {
  if (scope !== 'all' && scope.length === 0) return [];
  let query = banQuery(deps.db, deps.clock.now());
  if (scope !== 'all') query = query.where('b.site_id', 'in', scope);
  const rows = await query.orderBy('b.id', 'desc').limit(1_000).execute();
  return rows.map((row) => toBan(row, deps.keys));
}

/**
 * Bans (or always holds) the author of a comment by its email's blind index, its
 * network's keyed hash or its folded name's keyed hash. The label moderators see is
 * sealed; the audit entry names the kind, effect and duration, never the email.
 * 422 when the comment has no such value (a moderator's reply has no email, a comment
 * imported without an address has no network).
 */
export async function createBan(
  deps: AppDeps,
  principal: Principal,
  input: z.output<typeof CreateBanBodySchema>,
): Promise<Ban> {
  return deps.db.transaction().execute(async (trx) => {
    const comment = await trx
      .selectFrom('comments')
      .select(['id', 'site_id', 'author_name', 'email_enc', 'email_bidx', 'ip_net_hash'])
      .where('id', '=', input.commentId)
      .executeTakeFirst();
    if (!comment) throw new ApiError('not_found', 'No comment has this id.');
    assertModerates(principal, comment.site_id);
    let value: Uint8Array | null;
    let label: string;
    switch (input.kind) {
      case 'email':
        value = comment.email_bidx;
        label = comment.email_enc ? decryptEmail(deps.keys, comment.email_enc) : '';
        break;
      case 'ip':
        value = comment.ip_net_hash;
        label = `IP of comment #${comment.id}`;
        break;
      case 'name':
        value = nameHash(deps.keys, comment.author_name);
        label = comment.author_name;
        break;
    }
    if (!value) {
      throw new ApiError('validation_failed', `This comment has no ${input.kind} to ban.`, {
        fields: { kind: 'invalid' },
      });
    }
    const now = deps.clock.now();
    const ms = DURATION_MS[input.duration];
    const inserted = await trx
      .insertInto('bans')
      .values({
        site_id: comment.site_id,
        kind: input.kind,
        effect: input.effect,
        value_hash: Buffer.from(value),
        label_enc: seal(deps.keys.encryption, label, LABEL_CONTEXT),
        reason: input.reason || null,
        created_by: principal.userId,
        created_at: now,
        expires_at: ms === null ? null : new Date(now.getTime() + ms),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      principal,
      action: 'ban.create',
      siteId: comment.site_id,
      targetType: 'ban',
      targetId: String(inserted.id),
      after: {
        kind: input.kind,
        effect: input.effect,
        duration: input.duration,
        commentId: String(comment.id),
      },
    });
    const row = await banQuery(trx, now).where('b.id', '=', inserted.id).executeTakeFirstOrThrow();
    return toBan(row, deps.keys);
  });
}

/** Lifts a ban at once (expired ones too); 404 when there is none with this id. */
export async function deleteBan(deps: AppDeps, principal: Principal, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const ban = await trx
      .selectFrom('bans')
      .select(['id', 'site_id', 'kind', 'effect', 'expires_at'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!ban) throw new ApiError('not_found', 'No ban has this id.');
    assertModerates(principal, ban.site_id);
    await trx.deleteFrom('bans').where('id', '=', id).execute();
    await writeAudit(trx, {
      principal,
      action: 'ban.delete',
      siteId: ban.site_id,
      targetType: 'ban',
      targetId: String(ban.id),
      before: {
        kind: ban.kind,
        effect: ban.effect,
        expiresAt: ban.expires_at === null ? null : iso(ban.expires_at),
      },
    });
  });
}

/**
 * The author of a comment: their email, their comments on the site (found through the
 * email's blind index, or by exact name when the comment has no email), counts per
 * status and the bans in force that match them.
 */
export async function getCommenter(
  deps: AppDeps,
  principal: Principal,
  id: string,
): Promise<CommenterResponse> {
  const now = deps.clock.now();
  const comment = await adminCommentQuery(deps.db)
    .select(['c.email_bidx', 'c.ip_net_hash'])
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!comment) throw new ApiError('not_found', 'No comment has this id.');
  assertModerates(principal, comment.site_id);
  const bidx = comment.email_bidx ? Buffer.from(comment.email_bidx) : null;

  let history = adminCommentQuery(deps.db).where('c.site_id', '=', comment.site_id);
  history = bidx
    ? history.where('c.email_bidx', '=', bidx)
    : history.where('c.author_name', '=', comment.author_name).where('c.email_bidx', 'is', null);
  const rows = await history.orderBy('c.id', 'desc').limit(HISTORY_LIMIT).execute();

  let countQuery = deps.db
    .selectFrom('comments as c')
    .select(['c.status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('c.site_id', '=', comment.site_id)
    .groupBy('c.status');
  countQuery = bidx
    ? countQuery.where('c.email_bidx', '=', bidx)
    : countQuery.where('c.author_name', '=', comment.author_name).where('c.email_bidx', 'is', null);
  const counts = Object.fromEntries(COMMENT_STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const row of await countQuery.execute()) counts[row.status] = Number(row.n);

  const matches = [
    sql<boolean>`(b.kind = 'name' and b.value_hash = ${nameHash(deps.keys, comment.author_name)})`,
  ];
  if (bidx) matches.push(sql<boolean>`(b.kind = 'email' and b.value_hash = ${bidx})`);
  if (comment.ip_net_hash) {
    matches.push(sql<boolean>`(b.kind = 'ip' and b.value_hash = ${Buffer.from(comment.ip_net_hash)})`);
  }
  const bans = await banQuery(deps.db, now)
    .where('b.site_id', '=', comment.site_id)
    .where(sql<boolean>`(${sql.join(matches, sql` or `)})`)
    .orderBy('b.id', 'desc')
    .execute();

  const admin = toAdminComment(comment, deps.keys, now);
  return {
    author: admin.author,
    comments: rows.map((row) => toAdminComment(row, deps.keys, now)),
    counts,
    bans: bans.map((row) => toBan(row, deps.keys)),
  };
}
