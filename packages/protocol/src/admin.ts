import { z } from 'zod';
import type { RouteContract } from './api.js';
import type { ErrorCode } from './codes.js';
import { AuthorSchema, COMMENT_STATUSES, CommentIdSchema, CommentStatusSchema } from './comment.js';
import { SiteIdSchema, SiteSchema, SiteSettingsSchema } from './site.js';
import { LIMITS, text } from './text.js';

// The admin API (`/api/v1/admin/…`): moderation, sites, users, tokens and the audit
// log. Reached with a session cookie (from `login`) or `Authorization: Bearer <token>`
// (a personal API token). Every answer is JSON; every write with a session must carry
// an `Origin` equal to HIWAR_PUBLIC_URL's.

export const ROLES = ['owner', 'moderator'] as const;
export const RoleSchema = z.enum(ROLES).meta({ id: 'Role' });
export type Role = z.infer<typeof RoleSchema>;

/** Digits: users, tokens, bans, threads and audit entries have decimal ids, as comments do. */
const IdSchema = z.string().regex(/^[1-9][0-9]{0,17}$/);

export const ADMIN_LIMITS = {
  username: { min: 2, max: 64 },
  password: { min: 10, max: 1_024 },
  displayName: 100,
  tokenName: 100,
  banReason: 500,
  search: 200,
  /** Ids in one bulk action. */
  bulk: 500,
  pageLimit: { default: 50, max: 200 },
  words: 1_000,
  wordLength: 100,
  autoCloseDays: { min: 0, max: 36_500 },
  holdLinks: { min: 0, max: 1_000, default: 2 },
  floodSeconds: { min: 0, max: 86_400, default: 15 },
  hourlyLimit: { min: 0, max: 1_000_000 },
  minFillSeconds: { min: 0, max: 3_600, default: 3 },
  powDifficulty: { min: 1, max: 32, default: 16 },
  powFloodThreshold: { min: 1, max: 1_000_000, default: 60 },
  akismetKey: 200,
} as const;

/** What a comment without a valid form token gets: nothing, held, or refused (403 `challenge_required`). */
export const CHALLENGE_MODES = ['off', 'hold', 'require'] as const;
export const ChallengeModeSchema = z.enum(CHALLENGE_MODES);
export type ChallengeMode = z.infer<typeof ChallengeModeSchema>;

/** When the challenge carries a proof-of-work puzzle: never, while the site is flooded, always. */
export const POW_MODES = ['off', 'flood', 'always'] as const;
export const PowModeSchema = z.enum(POW_MODES);
export type PowMode = z.infer<typeof PowModeSchema>;

export const SPAM_CHECKERS = ['off', 'akismet'] as const;
export const SpamCheckerSchema = z.enum(SPAM_CHECKERS);
export type SpamChecker = z.infer<typeof SpamCheckerSchema>;

/** Letters, digits, `.`, `_` and `-`; compared without regard to case. */
export const USERNAME_PATTERN = /^[\p{L}\p{N}._-]+$/u;
export const UsernameSchema = text(ADMIN_LIMITS.username.max, { min: ADMIN_LIMITS.username.min }).refine(
  (value) => USERNAME_PATTERN.test(value),
  { params: { reason: 'invalid' } },
);
export const PasswordSchema = z
  .string()
  .min(ADMIN_LIMITS.password.min)
  .max(ADMIN_LIMITS.password.max)
  .refine((value) => !value.includes('\u0000'), { params: { reason: 'invalid_characters' } });

// ---------------------------------------------------------------------------------
// Accounts, sessions and tokens

export const AdminUserSchema = z
  .strictObject({
    id: IdSchema,
    username: z.string(),
    displayName: z.string().describe('The name shown on this moderator\u2019s replies'),
    role: RoleSchema,
    /** Sites a moderator moderates; every site for an owner. */
    sites: z.array(SiteIdSchema),
    disabled: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'AdminUser' });
export type AdminUser = z.infer<typeof AdminUserSchema>;

export const LoginBodySchema = z
  .object({ username: z.string().max(200), password: z.string().max(ADMIN_LIMITS.password.max) })
  .meta({ id: 'LoginBody' });
export type LoginBody = z.input<typeof LoginBodySchema>;

export const MeResponseSchema = z.strictObject({ user: AdminUserSchema }).meta({ id: 'MeResponse' });
export type MeResponse = z.infer<typeof MeResponseSchema>;

export const ChangePasswordBodySchema = z
  .object({ currentPassword: z.string().max(ADMIN_LIMITS.password.max), newPassword: PasswordSchema })
  .meta({ id: 'ChangePasswordBody' });
export type ChangePasswordBody = z.input<typeof ChangePasswordBodySchema>;

export const CreateUserBodySchema = z
  .object({
    username: UsernameSchema,
    password: PasswordSchema,
    displayName: text(ADMIN_LIMITS.displayName).optional(),
    role: RoleSchema,
    sites: z.array(SiteIdSchema).max(1_000).default([]),
  })
  .meta({ id: 'CreateUserBody' });
export type CreateUserBody = z.input<typeof CreateUserBodySchema>;

export const UpdateUserBodySchema = z
  .object({
    displayName: text(ADMIN_LIMITS.displayName).optional(),
    role: RoleSchema.optional(),
    sites: z.array(SiteIdSchema).max(1_000).optional(),
    password: PasswordSchema.optional().describe("Sets a new password and ends the user's sessions"),
    disabled: z
      .boolean()
      .optional()
      .describe('A disabled user cannot log in; their sessions and tokens stop working'),
  })
  .meta({ id: 'UpdateUserBody' });
export type UpdateUserBody = z.input<typeof UpdateUserBodySchema>;

export const UserResponseSchema = z.strictObject({ user: AdminUserSchema }).meta({ id: 'UserResponse' });
export const UsersResponseSchema = z
  .strictObject({ users: z.array(AdminUserSchema) })
  .meta({ id: 'UsersResponse' });

export const ApiTokenSchema = z
  .strictObject({
    id: IdSchema,
    name: z.string(),
    /** The first characters of the token, to recognise it; the rest is never shown again. */
    prefix: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const CreateTokenBodySchema = z
  .object({ name: text(ADMIN_LIMITS.tokenName, { min: 1 }) })
  .meta({ id: 'CreateTokenBody' });
export type CreateTokenBody = z.input<typeof CreateTokenBodySchema>;

export const CreateTokenResponseSchema = z
  .strictObject({
    token: ApiTokenSchema,
    secret: z.string().describe('Shown once; send as `Authorization: Bearer <secret>`'),
  })
  .meta({ id: 'CreateTokenResponse' });
export type CreateTokenResponse = z.infer<typeof CreateTokenResponseSchema>;

export const TokensResponseSchema = z
  .strictObject({ tokens: z.array(ApiTokenSchema) })
  .meta({ id: 'TokensResponse' });

// ---------------------------------------------------------------------------------
// The moderation queue

/** A comment as a moderator sees it: with its author's email, its thread and its parent. */
export const AdminCommentSchema = z
  .strictObject({
    id: z.string(),
    siteId: SiteIdSchema,
    parentId: z.string().nullable(),
    status: CommentStatusSchema,
    /** For a deleted comment, the status `restore` returns it to. */
    statusBeforeDelete: CommentStatusSchema.nullable(),
    author: AuthorSchema.extend({
      email: z.string().nullable().describe('Decrypted; only ever sent to an authenticated moderator'),
    }),
    markdown: z.string().describe('The source the author wrote'),
    html: z.string(),
    createdAt: z.string(),
    editedAt: z.string().nullable(),
    pinned: z.boolean(),
    thread: z.strictObject({
      id: z.string(),
      url: z.string().nullable(),
      title: z.string().nullable(),
      closed: z.boolean(),
    }),
    /** The comment this one answers, shortened, when it is a reply. */
    parent: z.strictObject({ id: z.string(), authorName: z.string(), excerpt: z.string() }).nullable(),
  })
  .meta({ id: 'AdminComment' });
export type AdminComment = z.infer<typeof AdminCommentSchema>;

const isoDate = z.iso.datetime({ offset: true });

export const QueueQuerySchema = z
  .object({
    site: SiteIdSchema.optional().describe('Every site the caller moderates when absent'),
    thread: IdSchema.optional(),
    status: CommentStatusSchema.optional().describe('Every status but `deleted` when absent'),
    q: text(ADMIN_LIMITS.search)
      .optional()
      .describe(
        'Words in the text or the author name; Arabic diacritics, tatweel and alef/yeh forms are ignored',
      ),
    author: text(LIMITS.email)
      .optional()
      .describe('An email address (exact, case-insensitive) or a name (exact)'),
    from: isoDate.optional(),
    to: isoDate.optional(),
    sort: z.enum(['newest', 'oldest']).default('newest'),
    limit: z.coerce
      .number()
      .int()
      .catch(ADMIN_LIMITS.pageLimit.default)
      .transform((n) => Math.min(ADMIN_LIMITS.pageLimit.max, Math.max(1, n)))
      .default(ADMIN_LIMITS.pageLimit.default),
    cursor: z.string().max(500).optional(),
  })
  .meta({ id: 'QueueQuery' });
export type QueueQuery = Omit<z.input<typeof QueueQuerySchema>, 'limit'> & { limit?: number };

export const QueuePageSchema = z
  .strictObject({ comments: z.array(AdminCommentSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'QueuePage' });
export type QueuePage = z.infer<typeof QueuePageSchema>;

export const StatusCountsSchema = z
  .strictObject(
    Object.fromEntries(COMMENT_STATUSES.map((s) => [s, z.number().int().nonnegative()])) as {
      [K in (typeof COMMENT_STATUSES)[number]]: z.ZodNumber;
    },
  )
  .meta({ id: 'StatusCounts' });
export type StatusCounts = z.infer<typeof StatusCountsSchema>;

export const AdminCountsQuerySchema = z.object({ site: SiteIdSchema.optional() });
export const AdminCountsResponseSchema = z
  .strictObject({ counts: StatusCountsSchema })
  .meta({ id: 'AdminCountsResponse' });
export type AdminCountsResponse = z.infer<typeof AdminCountsResponseSchema>;

export const MODERATION_ACTIONS = [
  'approve',
  'unapprove',
  'spam',
  'not_spam',
  'delete',
  'restore',
  'pin',
  'unpin',
] as const;
export const ModerationActionSchema = z.enum(MODERATION_ACTIONS).meta({ id: 'ModerationAction' });
export type ModerationAction = z.infer<typeof ModerationActionSchema>;

export const ActionBodySchema = z
  .object({
    action: ModerationActionSchema,
    ids: z.array(CommentIdSchema).min(1).max(ADMIN_LIMITS.bulk),
  })
  .meta({ id: 'ActionBody' });
export type ActionBody = z.input<typeof ActionBodySchema>;

export const ActionResultSchema = z
  .strictObject({
    /** The comments the action changed, as they are now. */
    comments: z.array(AdminCommentSchema),
    /** What each changed comment was before, so a client can undo. */
    previous: z.array(z.strictObject({ id: z.string(), status: CommentStatusSchema, pinned: z.boolean() })),
    /** Ids the caller may not touch or that do not exist; the rest were applied. */
    skipped: z.array(z.string()),
  })
  .meta({ id: 'ActionResult' });
export type ActionResult = z.infer<typeof ActionResultSchema>;

export const EditCommentBodySchema = z
  .object({
    body: text(LIMITS.body, { trim: false }).refine((value) => value.trim().length > 0, {
      params: { reason: 'required' },
    }),
  })
  .meta({ id: 'EditCommentBody' });
export type EditCommentBody = z.input<typeof EditCommentBodySchema>;

export const ModeratorReplyBodySchema = EditCommentBodySchema.meta({ id: 'ModeratorReplyBody' });
export type ModeratorReplyBody = z.input<typeof ModeratorReplyBodySchema>;

export const AdminCommentResponseSchema = z
  .strictObject({ comment: AdminCommentSchema })
  .meta({ id: 'AdminCommentResponse' });
export type AdminCommentResponse = z.infer<typeof AdminCommentResponseSchema>;

export const UpdateThreadBodySchema = z.object({ closed: z.boolean() }).meta({ id: 'UpdateThreadBody' });
export type UpdateThreadBody = z.input<typeof UpdateThreadBodySchema>;
export const AdminThreadSchema = z
  .strictObject({
    id: z.string(),
    siteId: SiteIdSchema,
    url: z.string().nullable(),
    title: z.string().nullable(),
    closed: z.boolean(),
    commentCount: z.number().int().nonnegative(),
    createdAt: z.string(),
  })
  .meta({ id: 'AdminThread' });
export type AdminThread = z.infer<typeof AdminThreadSchema>;
export const AdminThreadResponseSchema = z
  .strictObject({ thread: AdminThreadSchema })
  .meta({ id: 'AdminThreadResponse' });

// ---------------------------------------------------------------------------------
// Commenters and bans

export const BAN_KINDS = ['email', 'ip', 'name'] as const;
export const BanKindSchema = z.enum(BAN_KINDS);
export type BanKind = z.infer<typeof BanKindSchema>;
export const BAN_DURATIONS = ['day', 'week', 'month', 'forever'] as const;
export const BanDurationSchema = z.enum(BAN_DURATIONS);
export type BanDuration = z.infer<typeof BanDurationSchema>;
/** `ban` refuses the author's comments (403 `banned`); `hold` keeps them for moderation. */
export const BAN_EFFECTS = ['ban', 'hold'] as const;
export const BanEffectSchema = z.enum(BAN_EFFECTS);
export type BanEffect = z.infer<typeof BanEffectSchema>;

export const BanSchema = z
  .strictObject({
    id: IdSchema,
    siteId: SiteIdSchema,
    kind: BanKindSchema,
    effect: BanEffectSchema,
    /** What the ban matches, for moderators: the email, the name, or for an IP the comment it came from. */
    label: z.string(),
    reason: z.string().nullable(),
    createdBy: z.string().nullable().describe('Username'),
    createdAt: z.string(),
    expiresAt: z.string().nullable().describe('Null: for good'),
  })
  .meta({ id: 'Ban' });
export type Ban = z.infer<typeof BanSchema>;

export const CreateBanBodySchema = z
  .object({
    kind: BanKindSchema,
    /** The comment whose author is banned: its email, IP (IPv6 by /64) or name. */
    commentId: CommentIdSchema,
    effect: BanEffectSchema.default('ban'),
    duration: BanDurationSchema,
    reason: text(ADMIN_LIMITS.banReason).optional(),
  })
  .meta({ id: 'CreateBanBody' });
export type CreateBanBody = z.input<typeof CreateBanBodySchema>;

export const BanResponseSchema = z.strictObject({ ban: BanSchema }).meta({ id: 'BanResponse' });
export const BansResponseSchema = z.strictObject({ bans: z.array(BanSchema) }).meta({ id: 'BansResponse' });
export const BansQuerySchema = z.object({ site: SiteIdSchema.optional() });

export const CommenterResponseSchema = z
  .strictObject({
    author: AdminCommentSchema.shape.author,
    /** Their comments on the site, newest first, found through the email's blind index (or the name when no email). */
    comments: z.array(AdminCommentSchema),
    counts: StatusCountsSchema,
    /** Bans in force that match this author. */
    bans: z.array(BanSchema),
  })
  .meta({ id: 'CommenterResponse' });
export type CommenterResponse = z.infer<typeof CommenterResponseSchema>;

// ---------------------------------------------------------------------------------
// Sites

/** Settings issue 4 adds to a site; each also a `hiwar site update` flag. */
export const ModerationSettingsSchema = z.strictObject({
  autoCloseDays: z
    .number()
    .int()
    .min(ADMIN_LIMITS.autoCloseDays.min)
    .max(ADMIN_LIMITS.autoCloseDays.max)
    .describe('Close a thread to new comments this many days after its first; 0 never'),
  holdWords: z
    .array(text(ADMIN_LIMITS.wordLength, { min: 1 }))
    .max(ADMIN_LIMITS.words)
    .describe('A comment with one of these words (in text, name, email, website or IP) waits for moderation'),
  rejectWords: z
    .array(text(ADMIN_LIMITS.wordLength, { min: 1 }))
    .max(ADMIN_LIMITS.words)
    .describe('A comment with one of these words is marked spam; its author sees it as pending'),
  holdLinks: z
    .number()
    .int()
    .min(ADMIN_LIMITS.holdLinks.min)
    .max(ADMIN_LIMITS.holdLinks.max)
    .describe(
      'A comment with this many links or more (in its text and name) waits for moderation; 0 turns the rule off',
    ),
});

const { hourlyLimit } = ADMIN_LIMITS;

/** Settings issue 5 adds (flood limits, the form token, proof of work, the spam checker); each also a flag. */
export const AbuseSettingsSchema = z.strictObject({
  floodSeconds: z
    .number()
    .int()
    .min(ADMIN_LIMITS.floodSeconds.min)
    .max(ADMIN_LIMITS.floodSeconds.max)
    .describe(
      'One comment per this many seconds per network (IPv6 by /64) and per author email; 0 turns it off',
    ),
  threadHourlyLimit: z
    .number()
    .int()
    .min(hourlyLimit.min)
    .max(hourlyLimit.max)
    .describe('Comments per hour on one thread, from everyone together; 0 is no ceiling'),
  siteHourlyLimit: z
    .number()
    .int()
    .min(hourlyLimit.min)
    .max(hourlyLimit.max)
    .describe('Comments per hour on the whole site; 0 is no ceiling'),
  challenge: ChallengeModeSchema.describe(
    'A comment without a valid form token (GET /api/v1/challenge), or with the honeypot filled in, is let through (`off`), held (`hold`) or refused with 403 challenge_required (`require`)',
  ),
  minFillSeconds: z
    .number()
    .int()
    .min(ADMIN_LIMITS.minFillSeconds.min)
    .max(ADMIN_LIMITS.minFillSeconds.max)
    .describe('A comment sent sooner than this after its form token was issued is held'),
  proofOfWork: PowModeSchema.describe(
    'When the challenge carries a proof-of-work puzzle: never, while the site is flooded (see powFloodThreshold), or always',
  ),
  powDifficulty: z
    .number()
    .int()
    .min(ADMIN_LIMITS.powDifficulty.min)
    .max(ADMIN_LIMITS.powDifficulty.max)
    .describe(
      'Leading zero bits of the puzzle; each one more doubles the work (16: about 1/20 s in a desktop browser; 20: about half a second)',
    ),
  powFloodThreshold: z
    .number()
    .int()
    .min(ADMIN_LIMITS.powFloodThreshold.min)
    .max(ADMIN_LIMITS.powFloodThreshold.max)
    .describe('Comments on the site in the last 10 minutes from which it counts as flooded'),
  spamChecker: SpamCheckerSchema.describe(
    'An Akismet-compatible service that each new comment is sent to: its text, name, website, IP address, user agent and page (and the email only with spamCheckEmail); off by default',
  ),
  spamCheckEmail: z
    .boolean()
    .describe("Whether the spam checker also receives the commenter's email address"),
});

/** Write-only: the Akismet API key (null removes it). Reads show only `akismetKeySet`. */
const AkismetKeyWriteSchema = z.strictObject({
  akismetKey: text(ADMIN_LIMITS.akismetKey, { min: 1 }).nullable(),
});

export const AdminSiteSettingsSchema = SiteSettingsSchema.extend(ModerationSettingsSchema.shape)
  .extend(AbuseSettingsSchema.shape)
  .extend(AkismetKeyWriteSchema.shape)
  .meta({
    id: 'AdminSiteSettings',
  });
export type AdminSiteSettings = z.infer<typeof AdminSiteSettingsSchema>;

export const AdminSiteSchema = SiteSchema.extend(ModerationSettingsSchema.shape)
  .extend(AbuseSettingsSchema.shape)
  .extend({ akismetKeySet: z.boolean().describe('Whether an Akismet API key is stored (it is never shown)') })
  .meta({ id: 'AdminSite' });
export type AdminSite = z.infer<typeof AdminSiteSchema>;

export const CreateSiteBodySchema = AdminSiteSettingsSchema.partial()
  .extend({ id: SiteIdSchema, origins: SiteSettingsSchema.shape.origins })
  .meta({ id: 'CreateSiteBody' });
export type CreateSiteBody = z.input<typeof CreateSiteBodySchema>;
export const UpdateSiteBodySchema = AdminSiteSettingsSchema.partial().meta({ id: 'UpdateSiteBody' });
export type UpdateSiteBody = z.input<typeof UpdateSiteBodySchema>;
export const AdminSiteResponseSchema = z
  .strictObject({ site: AdminSiteSchema })
  .meta({ id: 'AdminSiteResponse' });
export const AdminSitesResponseSchema = z
  .strictObject({ sites: z.array(AdminSiteSchema) })
  .meta({ id: 'AdminSitesResponse' });

// ---------------------------------------------------------------------------------
// Audit log

export const AuditEntrySchema = z
  .strictObject({
    id: IdSchema,
    at: z.string(),
    actor: z.string().nullable().describe('Username; null for the CLI'),
    action: z.string().describe('e.g. `comment.approve`, `site.update`, `ban.create`, `user.create`'),
    siteId: SiteIdSchema.nullable(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = z.object({
  site: SiteIdSchema.optional(),
  limit: z.coerce
    .number()
    .int()
    .catch(ADMIN_LIMITS.pageLimit.default)
    .transform((n) => Math.min(ADMIN_LIMITS.pageLimit.max, Math.max(1, n)))
    .default(ADMIN_LIMITS.pageLimit.default),
  cursor: z.string().max(500).optional(),
});
export type AuditQuery = Omit<z.input<typeof AuditQuerySchema>, 'limit'> & { limit?: number };
export const AuditPageSchema = z
  .strictObject({ entries: z.array(AuditEntrySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof AuditPageSchema>;

export const OkResponseSchema = z.strictObject({ ok: z.literal(true) }).meta({ id: 'OkResponse' });

// ---------------------------------------------------------------------------------
// The routes

const AUTH_ERRORS: ErrorCode[] = ['unauthorized', 'forbidden', 'unavailable', 'internal'];
const WRITE_ERRORS: ErrorCode[] = [
  'invalid_json',
  'unsupported_media_type',
  'payload_too_large',
  'validation_failed',
  ...AUTH_ERRORS,
];
const idParam = z.object({ id: IdSchema });

/**
 * `auth`: `admin` is any signed-in user (a moderator sees only their sites), `owner`
 * an owner only. Both accept the session cookie or a bearer API token.
 */
export const adminRoutes = {
  login: {
    method: 'post',
    path: '/api/v1/admin/login',
    summary: 'Log in: sets the session cookie',
    tags: ['admin: account'],
    body: LoginBodySchema,
    responses: { 200: { description: 'Logged in', schema: MeResponseSchema } },
    errors: [
      'invalid_credentials',
      'rate_limited',
      'invalid_json',
      'unsupported_media_type',
      'validation_failed',
      'forbidden',
      'payload_too_large',
      'unavailable',
      'internal',
    ],
  },
  logout: {
    method: 'post',
    path: '/api/v1/admin/logout',
    summary: 'Log out: ends this session',
    tags: ['admin: account'],
    auth: 'admin',
    responses: { 200: { description: 'Logged out', schema: OkResponseSchema } },
    errors: ['payload_too_large', ...AUTH_ERRORS],
  },
  me: {
    method: 'get',
    path: '/api/v1/admin/me',
    summary: 'The signed-in user',
    tags: ['admin: account'],
    auth: 'admin',
    responses: { 200: { description: 'The user', schema: MeResponseSchema } },
    errors: AUTH_ERRORS,
  },
  changePassword: {
    method: 'post',
    path: '/api/v1/admin/me/password',
    summary: 'Change one\u2019s password: ends every other session',
    tags: ['admin: account'],
    auth: 'admin',
    body: ChangePasswordBodySchema,
    responses: { 200: { description: 'Changed', schema: OkResponseSchema } },
    errors: ['invalid_credentials', 'rate_limited', ...WRITE_ERRORS],
  },
  listTokens: {
    method: 'get',
    path: '/api/v1/admin/tokens',
    summary: 'The caller\u2019s API tokens',
    tags: ['admin: account'],
    auth: 'admin',
    responses: { 200: { description: 'Tokens', schema: TokensResponseSchema } },
    errors: AUTH_ERRORS,
  },
  createToken: {
    method: 'post',
    path: '/api/v1/admin/tokens',
    summary: 'Create an API token for scripts and the SDK; its secret is shown once',
    tags: ['admin: account'],
    auth: 'admin',
    body: CreateTokenBodySchema,
    responses: { 201: { description: 'Created', schema: CreateTokenResponseSchema } },
    errors: WRITE_ERRORS,
  },
  revokeToken: {
    method: 'delete',
    path: '/api/v1/admin/tokens/:id',
    summary: 'Revoke one of the caller\u2019s tokens (an owner may revoke anyone\u2019s)',
    tags: ['admin: account'],
    auth: 'admin',
    params: idParam,
    responses: { 200: { description: 'Revoked', schema: OkResponseSchema } },
    errors: ['not_found', 'payload_too_large', ...AUTH_ERRORS],
  },
  listUsers: {
    method: 'get',
    path: '/api/v1/admin/users',
    summary: 'Every user',
    tags: ['admin: users'],
    auth: 'owner',
    responses: { 200: { description: 'Users', schema: UsersResponseSchema } },
    errors: AUTH_ERRORS,
  },
  createUser: {
    method: 'post',
    path: '/api/v1/admin/users',
    summary: 'Create a user',
    tags: ['admin: users'],
    auth: 'owner',
    body: CreateUserBodySchema,
    responses: { 201: { description: 'Created', schema: UserResponseSchema } },
    errors: ['unknown_site', ...WRITE_ERRORS],
  },
  updateUser: {
    method: 'patch',
    path: '/api/v1/admin/users/:id',
    summary: 'Change a user\u2019s role, sites, name or password, or disable them',
    tags: ['admin: users'],
    auth: 'owner',
    params: idParam,
    body: UpdateUserBodySchema,
    responses: { 200: { description: 'Updated', schema: UserResponseSchema } },
    errors: ['not_found', 'unknown_site', ...WRITE_ERRORS],
  },
  deleteUser: {
    method: 'delete',
    path: '/api/v1/admin/users/:id',
    summary: 'Delete a user (not the last owner)',
    tags: ['admin: users'],
    auth: 'owner',
    params: idParam,
    responses: { 200: { description: 'Deleted', schema: OkResponseSchema } },
    errors: ['not_found', 'payload_too_large', ...AUTH_ERRORS],
  },
  listComments: {
    method: 'get',
    path: '/api/v1/admin/comments',
    summary: 'The moderation queue: comments filtered and searched, newest first',
    tags: ['admin: moderation'],
    auth: 'admin',
    query: QueueQuerySchema,
    responses: { 200: { description: 'A page of comments', schema: QueuePageSchema } },
    errors: ['validation_failed', 'unknown_site', ...AUTH_ERRORS],
  },
  commentCounts: {
    method: 'get',
    path: '/api/v1/admin/comments/counts',
    summary: 'How many comments have each status',
    tags: ['admin: moderation'],
    auth: 'admin',
    query: AdminCountsQuerySchema,
    responses: { 200: { description: 'Counts', schema: AdminCountsResponseSchema } },
    errors: ['validation_failed', 'unknown_site', ...AUTH_ERRORS],
  },
  getAdminComment: {
    method: 'get',
    path: '/api/v1/admin/comments/:id',
    summary: 'One comment',
    tags: ['admin: moderation'],
    auth: 'admin',
    params: idParam,
    responses: { 200: { description: 'The comment', schema: AdminCommentResponseSchema } },
    errors: ['not_found', ...AUTH_ERRORS],
  },
  moderate: {
    method: 'post',
    path: '/api/v1/admin/comments/actions',
    summary: 'Approve, unapprove, spam, not spam, delete, restore, pin or unpin one or many comments',
    tags: ['admin: moderation'],
    auth: 'admin',
    body: ActionBodySchema,
    responses: { 200: { description: 'What changed', schema: ActionResultSchema } },
    errors: WRITE_ERRORS,
  },
  editComment: {
    method: 'patch',
    path: '/api/v1/admin/comments/:id',
    summary: 'Edit a comment\u2019s text',
    tags: ['admin: moderation'],
    auth: 'admin',
    params: idParam,
    body: EditCommentBodySchema,
    responses: { 200: { description: 'The edited comment', schema: AdminCommentResponseSchema } },
    errors: ['not_found', ...WRITE_ERRORS],
  },
  replyToComment: {
    method: 'post',
    path: '/api/v1/admin/comments/:id/replies',
    summary: 'Reply as a moderator: published at once, with the moderator badge',
    tags: ['admin: moderation'],
    auth: 'admin',
    params: idParam,
    body: ModeratorReplyBodySchema,
    responses: { 201: { description: 'The reply', schema: AdminCommentResponseSchema } },
    errors: ['not_found', ...WRITE_ERRORS],
  },
  getCommenter: {
    method: 'get',
    path: '/api/v1/admin/comments/:id/author',
    summary: 'The author of a comment: their email, everything they wrote on the site, their bans',
    tags: ['admin: moderation'],
    auth: 'admin',
    params: idParam,
    responses: { 200: { description: 'The commenter', schema: CommenterResponseSchema } },
    errors: ['not_found', ...AUTH_ERRORS],
  },
  updateThread: {
    method: 'patch',
    path: '/api/v1/admin/threads/:id',
    summary: 'Close or reopen a thread',
    tags: ['admin: moderation'],
    auth: 'admin',
    params: idParam,
    body: UpdateThreadBodySchema,
    responses: { 200: { description: 'The thread', schema: AdminThreadResponseSchema } },
    errors: ['not_found', ...WRITE_ERRORS],
  },
  listBans: {
    method: 'get',
    path: '/api/v1/admin/bans',
    summary: 'Bans and holds in force',
    tags: ['admin: moderation'],
    auth: 'admin',
    query: BansQuerySchema,
    responses: { 200: { description: 'Bans', schema: BansResponseSchema } },
    errors: ['validation_failed', 'unknown_site', ...AUTH_ERRORS],
  },
  createBan: {
    method: 'post',
    path: '/api/v1/admin/bans',
    summary:
      'Ban (or always hold) a comment\u2019s author by email, IP or name, for a day, week, month or good',
    tags: ['admin: moderation'],
    auth: 'admin',
    body: CreateBanBodySchema,
    responses: { 201: { description: 'The ban', schema: BanResponseSchema } },
    errors: ['not_found', ...WRITE_ERRORS],
  },
  deleteBan: {
    method: 'delete',
    path: '/api/v1/admin/bans/:id',
    summary: 'Lift a ban',
    tags: ['admin: moderation'],
    auth: 'admin',
    params: idParam,
    responses: { 200: { description: 'Lifted', schema: OkResponseSchema } },
    errors: ['not_found', 'payload_too_large', ...AUTH_ERRORS],
  },
  listSites: {
    method: 'get',
    path: '/api/v1/admin/sites',
    summary: 'The sites the caller moderates, with every setting',
    tags: ['admin: sites'],
    auth: 'admin',
    responses: { 200: { description: 'Sites', schema: AdminSitesResponseSchema } },
    errors: AUTH_ERRORS,
  },
  createSite: {
    method: 'post',
    path: '/api/v1/admin/sites',
    summary: 'Create a site',
    tags: ['admin: sites'],
    auth: 'owner',
    body: CreateSiteBodySchema,
    responses: { 201: { description: 'Created', schema: AdminSiteResponseSchema } },
    errors: WRITE_ERRORS,
  },
  updateSite: {
    method: 'patch',
    path: '/api/v1/admin/sites/:id',
    summary: 'Change a site\u2019s settings',
    tags: ['admin: sites'],
    auth: 'owner',
    params: z.object({ id: SiteIdSchema }),
    body: UpdateSiteBodySchema,
    responses: { 200: { description: 'Updated', schema: AdminSiteResponseSchema } },
    errors: ['unknown_site', ...WRITE_ERRORS],
  },
  listAudit: {
    method: 'get',
    path: '/api/v1/admin/audit',
    summary: 'The audit log, newest first (a moderator sees their sites\u2019 entries)',
    tags: ['admin: audit'],
    auth: 'admin',
    query: AuditQuerySchema,
    responses: { 200: { description: 'A page of entries', schema: AuditPageSchema } },
    errors: ['validation_failed', 'unknown_site', ...AUTH_ERRORS],
  },
} as const satisfies Record<string, RouteContract>;

export type AdminRouteName = keyof typeof adminRoutes;
