import {
  type BanEffect,
  type Comment,
  type CommentStatus,
  type CreateCommentInput,
  type CreateCommentResponse,
  normalizePageUrl,
} from '@hiwar/protocol';
import { type Insertable, type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { checkChallenge } from '../abuse/challenge.js';
import { enforceFloodLimits } from '../abuse/flood.js';
import { checkForSpam, type SpamSubmission } from '../abuse/spam-check.js';
import { searchText } from '../content/fold-arabic.js';
import { cleanName } from '../content/names.js';
import type { AppDeps } from '../context.js';
import {
  avatarKey,
  emailBlindIndex,
  encryptEmail,
  hmac,
  ipHash,
  open,
  randomToken,
  safeEqual,
  seal,
  tokenHash,
} from '../crypto/keys.js';
import type { Database } from '../db/schema.js';
import { ApiError, validationError } from '../http/api-error.js';
import { assertOrigin, urlOnOrigins } from '../http/origins.js';
import type { RequestMeta } from '../http/request-meta.js';
import { findSiteAndThread, type SiteSummary, threadKey } from '../threads/threads.repository.js';
import { ipNetHash, nameHash } from './author-keys.js';
import { cleanCommenterName, refuseReservedName, staffNames } from './author-names.js';
import { banEffect, isThreadClosed, wordVerdict } from './author-rules.js';
import { dedupeHash, lockDuplicates, refuseDuplicate } from './duplicates.js';
import { countLinks, holdsForLinks } from './links.js';
import { PUBLIC_COMMENT_COLUMNS, type PublicCommentRow, toPublicComment } from './public-comment.js';
import { ancestorCounters, changeStatus, threadCounterAtCommit } from './status.js';

/**
 * The markdown renderer and its sanitizer weigh ~25 MiB in memory: loaded on the
 * first write, so a server that only serves reads never holds them.
 */
export async function renderBody(source: string): Promise<string> {
  const { renderMarkdown } = await import('../content/render-markdown.js');
  return renderMarkdown(source);
}

const IDEMPOTENCY_CONTEXT = 'hiwar:idempotency:v1';
const IDEMPOTENCY_TTL_HOURS = 24;

/**
 * Creates a comment: site, origin and page checks, the thread on first comment,
 * the reply depth, the site's moderation policy, rendering, counters and the
 * edit token, all in one transaction. An `Idempotency-Key` makes retries return
 * the first answer instead of creating the comment again.
 */
export async function createComment(
  deps: AppDeps,
  input: CreateCommentInput,
  meta: RequestMeta,
  idempotencyKey: string | undefined,
): Promise<CreateCommentResponse> {
  const normalizedUrl = input.url !== undefined ? normalizePageUrl(input.url) : null;
  if (input.url !== undefined && normalizedUrl === null) throw validationError({ url: 'invalid_url' });
  const key = threadKey({ id: input.id, normalizedUrl }) as string;
  const now = deps.clock.now();

  // What only reads (site, thread, staff names, bans, a known author) in one round trip
  // before the transaction: each statement costs a round trip, and those inside the
  // transaction hold its locks longer. The name is cleaned here for the ban look-up and
  // refused below, after the site's checks, when nothing is left of it or it is reserved.
  const cleanedName = cleanName(input.author.name);
  const emailIndex = emailBlindIndex(deps.keys, input.author.email);
  const netHash = ipNetHash(deps.keys, meta.clientIp);
  const identity = { emailIndex, netHash, nameHash: nameHash(deps.keys, cleanedName) };
  const found = await findSiteAndThread<{
    staff: string[] | null;
    ban: BanEffect | null;
    known: boolean | null;
  }>(deps.db, input.site, key, {
    staff: staffNames(input.site),
    ban: banEffect(input.site, identity, now),
    known: knownAuthor(input.site, emailIndex),
  });
  if (!found) throw new ApiError('unknown_site', `No site has the id "${input.site}".`);
  const { site } = found;
  assertOrigin(site, meta.origin);
  if (input.url !== undefined && !urlOnOrigins(site.origins, input.url)) {
    throw new ApiError('url_not_allowed', 'The page address is not on one of the origins this site allows.', {
      fields: { url: 'invalid' },
    });
  }
  // The name is cleaned (bidi controls, invisible characters) and checked against
  // reserved and moderators' names before anything else reads it.
  const name = cleanCommenterName(input.author.name);
  refuseReservedName(name, site.id, found.extra.staff);
  // Bans are checked before anything is written (the idempotency key included).
  const ban = found.extra.ban;
  if (ban === 'ban') throw new ApiError('banned', 'You may not comment on this site.');

  const created = await deps.db.transaction().execute(async (trx) => {
    let replay: { keyHash: Buffer; requestHash: Buffer } | null = null;
    if (idempotencyKey !== undefined) {
      const keyHash = hmac(deps.keys.request, site.id, idempotencyKey);
      const requestHash = hmac(deps.keys.request, JSON.stringify(input));
      const previous = await claimIdempotencyKey(trx, site.id, keyHash, requestHash, now);
      if (previous) {
        if (!safeEqual(previous.request_hash, requestHash)) {
          throw new ApiError(
            'validation_failed',
            'This Idempotency-Key was already used for a different comment.',
            {
              fields: { 'Idempotency-Key': 'invalid' },
            },
          );
        }
        if (previous.response_enc) {
          const response = JSON.parse(
            open(deps.keys.encryption, previous.response_enc, IDEMPOTENCY_CONTEXT),
          ) as CreateCommentResponse;
          return { response, spamCheck: null } satisfies Created;
        }
      }
      replay = { keyHash, requestHash };
    }
    // After the idempotency key (a retry is answered above, its token already spent).
    const challenge = await checkChallenge(trx, deps.keys, site, input, now);

    const thread = found.thread ?? (await findOrCreateThread(trx, site.id, key, input, normalizedUrl, now));
    if (isThreadClosed(thread, site.auto_close_days, now))
      throw new ApiError('thread_closed', 'Comments on this page are closed.');
    await enforceFloodLimits(trx, site, { siteId: site.id, threadId: thread.id, netHash, emailIndex }, now);
    // A thread first named by id alone learns its link and title from a later comment.
    if (found.thread && ((input.title && !found.thread.title) || (normalizedUrl && !found.thread.url))) {
      await trx
        .updateTable('threads')
        .set({ title: found.thread.title ?? input.title ?? null, url: found.thread.url ?? normalizedUrl })
        .where('id', '=', thread.id)
        .execute();
    }

    const placement = await placeReply(trx, thread.id, input.parentId ?? null, site.max_depth);
    // After the idempotency key (a retry is answered above) and before the insert.
    const dedupe = dedupeHash(deps.keys, {
      threadId: thread.id,
      parentId: placement.parentId,
      emailIndex,
      name,
      body: input.body,
    });
    // The duplicate itself is looked for by the insert's statement (see insertComment).
    await lockDuplicates(trx, dedupe);
    const website = input.author.website ? input.author.website : null;
    // Reject words mark spam (the author still sees "pending"), hold words and a
    // "hold" ban keep the comment for a moderator; otherwise the site's policy decides.
    const words = wordVerdict(site, [input.body, name, input.author.email, website, meta.clientIp]);
    const html = await renderBody(input.body);
    const held =
      ban === 'hold' || challenge === 'hold' || holdsForLinks(countLinks(html, name), site.hold_links);
    const verdict: CommentStatus =
      (challenge === 'spam' ? 'spam' : words) ??
      (held ? 'pending' : policyStatus(site.moderation, found.extra.known === true));
    // With a spam checker on, a comment that would be published waits (pending) until
    // the checker has answered, after this transaction: no lock is held over the network.
    const checked = site.spam_checker !== 'off' && verdict !== 'spam';
    const status: CommentStatus = checked && verdict === 'approved' ? 'pending' : verdict;

    const editToken = randomToken();
    const inserted = await insertComment(
      trx,
      {
        site_id: site.id,
        thread_id: thread.id,
        parent_id: placement.parentId,
        root_id: placement.rootId,
        depth: placement.depth,
        status,
        body_md: input.body,
        body_html: html,
        author_name: name,
        author_website: website,
        email_enc: encryptEmail(deps.keys, input.author.email),
        email_bidx: emailIndex,
        avatar_key: avatarKey(deps.keys, site.id, input.author.email),
        ip_hash: ipHash(deps.keys, meta.clientIp),
        ip_net_hash: netHash,
        search_text: searchText(input.body, name),
        dedupe_hash: dedupe,
        notify_replies: input.notifyReplies ?? false,
        created_at: now,
      },
      tokenHash(editToken),
    );

    const response: CreateCommentResponse = {
      comment: toPublicComment(inserted),
      editToken,
      editableUntil: new Date(now.getTime() + site.edit_window_minutes * 60_000).toISOString(),
    };
    if (replay) {
      await trx
        .updateTable('idempotency_keys')
        .set({ response_enc: seal(deps.keys.encryption, JSON.stringify(response), IDEMPOTENCY_CONTEXT) })
        .where('site_id', '=', site.id)
        .where('key_hash', '=', replay.keyHash)
        .execute();
    }
    const spamCheck: SpamSubmission | null = checked
      ? {
          siteId: site.id,
          permalink: found.thread?.url ?? normalizedUrl,
          lang: site.lang,
          type: placement.parentId === null ? 'comment' : 'reply',
          body: input.body,
          authorName: name,
          authorEmail: input.author.email || null,
          authorWebsite: website,
          clientIp: meta.clientIp,
          userAgent: meta.userAgent,
          referrer: meta.referrer,
          createdAt: now,
        }
      : null;
    return { response, site, verdict, spamCheck, replay } satisfies Created;
  });
  if (!created.spamCheck) return created.response;
  return settleSpamCheck(deps, created as Required<Created>);
}

/** A new comment's row as `insertComment` writes it. */
type NewComment = Omit<Insertable<Database['comments']>, 'status_before_delete'> & {
  thread_id: string;
  parent_id: string | null;
  root_id: string | null;
  status: CommentStatus;
  dedupe_hash: Buffer;
};

/**
 * Writes a new comment in one statement: the row, its edit token, and every counter
 * it changes (parent and root now, the thread's at COMMIT: see threadCounterAtCommit),
 * and looks for an earlier comment with the same dedupe hash: one round trip instead of
 * five. A duplicate is refused (409 `duplicate_comment`) after the fact: the caller's
 * transaction rolls back what the statement wrote. The statement's snapshot, taken
 * after lockDuplicates, holds every comment committed by whoever held that lock before.
 */
async function insertComment(
  trx: Transaction<Database>,
  row: NewComment,
  editTokenHash: Buffer,
): Promise<PublicCommentRow> {
  const columns = Object.keys(row) as Array<keyof NewComment>;
  const delta = row.status === 'approved' ? 1 : 0;
  const ctes = [
    sql`c as (insert into comments (${sql.join(columns.map((column) => sql.ref(column)))})
      values (${sql.join(columns.map((column) => sql.val(row[column])))})
      returning ${sql.join(PUBLIC_COMMENT_COLUMNS.map((column) => sql.ref(column)))})`,
    sql`e as (insert into edit_tokens (comment_id, token_hash, created_at)
      select id, ${editTokenHash}::bytea, ${row.created_at}::timestamptz from c)`,
    ...ancestorCounters(row, delta),
    sql`t as (${threadCounterAtCommit(row.thread_id, delta)})`,
  ];
  const result = await sql<PublicCommentRow & { duplicate: boolean }>`
    with ${sql.join(ctes)}
    select c.*, exists (
      select 1 from comments d
      where d.thread_id = ${row.thread_id}::bigint and d.dedupe_hash = ${row.dedupe_hash} and d.status != 'deleted'
    ) as duplicate
    from c`.execute(trx);
  const inserted = result.rows[0];
  if (!inserted) throw new Error('the comment insert returned no row');
  if (inserted.duplicate) {
    throw new ApiError('duplicate_comment', 'You have already posted this comment on this page.');
  }
  const { duplicate: _, ...comment } = inserted;
  return comment;
}

/** What the comment's transaction hands on: the answer, and what a spam check needs. */
interface Created {
  response: CreateCommentResponse;
  /** Null: no spam check to make (checker off, already spam, or an answered retry). */
  spamCheck: SpamSubmission | null;
  site?: SiteSummary;
  /** The status the rules decided, which a spam checker's "ham" confirms. */
  verdict?: CommentStatus;
  replay?: { keyHash: Buffer } | null;
}

/**
 * Asks the site's spam checker about a comment that was stored as pending, and moves
 * it to what the rules had decided (`approved` or `pending`) when the service calls
 * it ham, or to spam. A failing or slow service leaves it pending: never lost, a
 * moderator decides. The author's stored retry answer follows the new status.
 */
async function settleSpamCheck(deps: AppDeps, created: Required<Created>): Promise<CreateCommentResponse> {
  const { response, site, verdict, replay, spamCheck } = created;
  const answer = await checkForSpam(deps, site, spamCheck as SpamSubmission);
  const to: CommentStatus = answer === 'spam' ? 'spam' : answer === 'ham' ? verdict : 'pending';
  if (to === 'pending') return response;
  const settled: CreateCommentResponse = {
    ...response,
    comment: { ...response.comment, status: to === 'spam' ? 'pending' : to },
  };
  await deps.db.transaction().execute(async (trx) => {
    // Locked and re-read: the author or a moderator may have changed it meanwhile.
    const current = await trx
      .selectFrom('comments')
      .select(['id', 'thread_id', 'parent_id', 'root_id', 'status'])
      .where('id', '=', response.comment.id)
      .forUpdate()
      .executeTakeFirst();
    if (current?.status !== 'pending') return;
    await changeStatus(trx, current, to);
    if (replay) {
      await trx
        .updateTable('idempotency_keys')
        .set({ response_enc: seal(deps.keys.encryption, JSON.stringify(settled), IDEMPOTENCY_CONTEXT) })
        .where('site_id', '=', site.id)
        .where('key_hash', '=', replay.keyHash)
        .execute();
    }
  });
  return settled;
}

/**
 * Takes the key, or returns the row of the request that took it first. Two
 * requests racing with one key: the second waits on the unique index until the
 * first commits, then sees its answer (or, if it rolled back, takes the key).
 */
async function claimIdempotencyKey(
  trx: Transaction<Database>,
  siteId: string,
  keyHash: Buffer,
  requestHash: Buffer,
  now: Date,
): Promise<{ request_hash: Buffer; response_enc: Buffer | null } | null> {
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_TTL_HOURS * 3_600_000);
  await trx
    .deleteFrom('idempotency_keys')
    .where('site_id', '=', siteId)
    .where('key_hash', '=', keyHash)
    .where('created_at', '<', cutoff)
    .execute();
  const claimed = await trx
    .insertInto('idempotency_keys')
    .values({
      site_id: siteId,
      key_hash: keyHash,
      request_hash: requestHash,
      response_enc: null,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['site_id', 'key_hash']).doNothing())
    .returning('site_id')
    .executeTakeFirst();
  if (claimed) return null;
  const previous = await trx
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'response_enc'])
    .where('site_id', '=', siteId)
    .where('key_hash', '=', keyHash)
    .executeTakeFirstOrThrow();
  return {
    request_hash: Buffer.from(previous.request_hash),
    response_enc: previous.response_enc && Buffer.from(previous.response_enc),
  };
}

async function findOrCreateThread(
  trx: Transaction<Database>,
  siteId: string,
  key: string,
  input: CreateCommentInput,
  normalizedUrl: string | null,
  now: Date,
): Promise<{ id: string; closed: boolean; created_at: Date }> {
  await trx
    .insertInto('threads')
    .values({ site_id: siteId, key, url: normalizedUrl, title: input.title || null, created_at: now })
    .onConflict((oc) => oc.columns(['site_id', 'key']).doNothing())
    .execute();
  return trx
    .selectFrom('threads')
    .select(['id', 'closed', 'created_at'])
    .where('site_id', '=', siteId)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
}

/**
 * Where a reply goes. Replies deeper than the site's limit attach at the last
 * level (to the parent's parent), as WordPress does with its thread depth.
 */
export async function placeReply(
  trx: Transaction<Database>,
  threadId: string,
  parentId: string | null,
  maxDepth: number,
): Promise<{ parentId: string | null; rootId: string | null; depth: number }> {
  if (parentId === null) return { parentId: null, rootId: null, depth: 0 };
  const parent = await trx
    .selectFrom('comments')
    .select(['id', 'parent_id', 'root_id', 'depth', 'status'])
    .where('id', '=', parentId)
    .where('thread_id', '=', threadId)
    .executeTakeFirst();
  if (parent?.status !== 'approved') {
    throw new ApiError('not_found', 'The comment you are replying to does not exist on this page.', {
      fields: { parentId: 'invalid' },
    });
  }
  if (parent.depth + 1 < maxDepth) {
    return { parentId: parent.id, rootId: parent.root_id ?? parent.id, depth: parent.depth + 1 };
  }
  // Too deep: a sibling of the parent, at the last level.
  if (parent.parent_id === null) return { parentId: null, rootId: null, depth: 0 };
  return { parentId: parent.parent_id, rootId: parent.root_id, depth: parent.depth };
}

/**
 * The site's moderation policy: `none` approves, `all` holds, `first-time`
 * approves an author whose blind index already has an approved comment here.
 */
async function moderate(
  trx: Transaction<Database> | Kysely<Database>,
  site: Pick<SiteSummary, 'id' | 'moderation'>,
  emailIndex: Buffer,
  excludeId: string | null,
): Promise<CommentStatus> {
  if (site.moderation !== 'first-time') return policyStatus(site.moderation, false);
  const known = await trx
    .selectFrom('comments')
    .select(sql`1`.as('one'))
    .where('site_id', '=', site.id)
    .where('email_bidx', '=', emailIndex)
    .where('status', '=', 'approved')
    .$if(excludeId !== null, (qb) => qb.where('id', '!=', excludeId as string))
    .limit(1)
    .executeTakeFirst();
  return policyStatus(site.moderation, known !== undefined);
}

/** The site's policy for an author already known (an approved comment here) or not. */
function policyStatus(moderation: SiteSummary['moderation'], known: boolean): CommentStatus {
  if (moderation === 'none') return 'approved';
  if (moderation === 'all') return 'pending';
  return known ? 'approved' : 'pending';
}

/**
 * For the `first-time` policy, as a scalar subquery read with the site: whether this
 * blind index already has an approved comment on the site (null without an email).
 */
function knownAuthor(siteId: string, emailIndex: Buffer | null): RawBuilder<boolean | null> {
  if (emailIndex === null) return sql<null>`null::boolean`;
  return sql<boolean>`(select exists (
    select 1 from comments where site_id = ${siteId} and email_bidx = ${emailIndex} and status = 'approved'))`;
}

interface OwnComment extends PublicCommentRow {
  thread_id: string;
  site_id: string;
  email_bidx: Buffer | null;
  origins: string[];
  moderation: SiteSummary['moderation'];
  edit_window_minutes: number;
  closed: boolean;
  token_hash: Buffer | null;
  author_name: string;
  author_website: string | null;
  hold_words: string[];
  reject_words: string[];
  auto_close_days: number;
  hold_links: number;
  thread_created_at: Date;
}

async function loadComment(
  db: Kysely<Database> | Transaction<Database>,
  id: string,
  lock: boolean,
): Promise<OwnComment | null> {
  let query = db
    .selectFrom('comments as c')
    .innerJoin('sites as s', 's.id', 'c.site_id')
    .innerJoin('threads as t', 't.id', 'c.thread_id')
    .leftJoin('edit_tokens as e', 'e.comment_id', 'c.id')
    .select(PUBLIC_COMMENT_COLUMNS.map((name) => `c.${name}` as const))
    .select([
      'c.thread_id',
      'c.site_id',
      'c.email_bidx',
      's.origins',
      's.moderation',
      's.edit_window_minutes',
      't.closed',
      't.created_at as thread_created_at',
      's.hold_words',
      's.reject_words',
      's.auto_close_days',
      's.hold_links',
      'e.token_hash',
    ])
    .where('c.id', '=', id);
  if (lock) query = query.forUpdate('c');
  const row = await query.executeTakeFirst();
  return (row as OwnComment | undefined) ?? null;
}

function checkToken(comment: OwnComment, token: string | undefined): void {
  if (token === undefined)
    throw new ApiError('invalid_token', 'This action needs the edit token of the comment.');
  if (!comment.token_hash || !safeEqual(Buffer.from(comment.token_hash), tokenHash(token))) {
    throw new ApiError('invalid_token', 'The edit token does not belong to this comment.');
  }
}

function checkWindow(deps: AppDeps, comment: OwnComment): void {
  const until = comment.created_at.getTime() + comment.edit_window_minutes * 60_000;
  if (deps.clock.now().getTime() > until) {
    throw new ApiError('edit_window_closed', 'The time to edit or delete this comment has passed.', {
      editableUntil: new Date(until).toISOString(),
    });
  }
}

/**
 * One comment. Without a token only what readers see (approved, or a deleted
 * placeholder); with its edit token also its author's own pending comment.
 */
export async function getComment(
  deps: AppDeps,
  id: string,
  token: string | undefined,
  meta: RequestMeta,
): Promise<Comment> {
  const comment = await loadComment(deps.db, id, false);
  if (!comment) throw new ApiError('not_found', 'No comment has this id.');
  assertOrigin({ id: comment.site_id, origins: comment.origins }, meta.origin);
  if (token !== undefined) {
    checkToken(comment, token);
    return toPublicComment(comment);
  }
  const visible =
    comment.status === 'approved' || (comment.status === 'deleted' && comment.children_count > 0);
  if (!visible) throw new ApiError('not_found', 'No comment has this id.');
  return toPublicComment(comment);
}

/** Edits own comment inside the window: re-rendered, re-moderated, marked edited. */
export async function updateComment(
  deps: AppDeps,
  id: string,
  token: string | undefined,
  body: string,
  meta: RequestMeta,
): Promise<Comment> {
  return deps.db.transaction().execute(async (trx) => {
    const comment = await loadComment(trx, id, true);
    if (!comment || comment.status === 'deleted') throw new ApiError('not_found', 'No comment has this id.');
    assertOrigin({ id: comment.site_id, origins: comment.origins }, meta.origin);
    checkToken(comment, token);
    checkWindow(deps, comment);
    const now = deps.clock.now();
    const thread = { closed: comment.closed, created_at: comment.thread_created_at };
    if (isThreadClosed(thread, comment.auto_close_days, now)) {
      throw new ApiError('thread_closed', 'Comments on this page are closed.');
    }
    // Spam stays spam; anything else meets the word lists and the site's policy again,
    // so approve-then-edit spam is caught.
    // An edit into a copy of another of the author's comments here is a duplicate too.
    const dedupe = dedupeHash(deps.keys, {
      threadId: comment.thread_id,
      parentId: comment.parent_id,
      emailIndex: comment.email_bidx && Buffer.from(comment.email_bidx),
      name: comment.author_name,
      body,
    });
    await refuseDuplicate(trx, comment.thread_id, dedupe, comment.id);
    const html = await renderBody(body);
    const words = wordVerdict(comment, [body, comment.author_name, comment.author_website]);
    const status: CommentStatus =
      comment.status === 'spam' || words === 'spam'
        ? 'spam'
        : words === 'pending' || holdsForLinks(countLinks(html, comment.author_name), comment.hold_links)
          ? 'pending'
          : comment.email_bidx
            ? await moderate(
                trx,
                { id: comment.site_id, moderation: comment.moderation },
                Buffer.from(comment.email_bidx),
                comment.id,
              )
            : 'pending';
    await trx
      .updateTable('comments')
      .set({
        body_md: body,
        body_html: html,
        edited_at: now,
        search_text: searchText(body, comment.author_name),
        dedupe_hash: dedupe,
      })
      .where('id', '=', id)
      .execute();
    await changeStatus(trx, comment, status);
    return toPublicComment({ ...comment, status, body_html: html, edited_at: now });
  });
}

/** Deletes own comment inside the window; one with approved replies stays as a placeholder. */
export async function deleteComment(
  deps: AppDeps,
  id: string,
  token: string | undefined,
  meta: RequestMeta,
): Promise<{ deleted: true; placeholder: boolean }> {
  return deps.db.transaction().execute(async (trx) => {
    const comment = await loadComment(trx, id, true);
    if (!comment || comment.status === 'deleted') throw new ApiError('not_found', 'No comment has this id.');
    assertOrigin({ id: comment.site_id, origins: comment.origins }, meta.origin);
    checkToken(comment, token);
    checkWindow(deps, comment);
    await changeStatus(trx, comment, 'deleted', { deletedAt: deps.clock.now() });
    return { deleted: true as const, placeholder: comment.children_count > 0 };
  });
}
