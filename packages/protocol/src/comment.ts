import { z } from 'zod';
import { emailField, httpUrl, LIMITS, text } from './text.js';

export const COMMENT_STATUSES = ['approved', 'pending', 'spam', 'deleted'] as const;
export const CommentStatusSchema = z.enum(COMMENT_STATUSES).meta({ id: 'CommentStatus' });
export type CommentStatus = z.infer<typeof CommentStatusSchema>;

export const MODERATION_POLICIES = ['none', 'first-time', 'all'] as const;
export const ModerationPolicySchema = z.enum(MODERATION_POLICIES);
export type ModerationPolicy = z.infer<typeof ModerationPolicySchema>;

export const LANGS = ['ar', 'en'] as const;
export const LangSchema = z.enum(LANGS);
export type Lang = z.infer<typeof LangSchema>;

/** The public face of a commenter. It never holds an email address or a hash of one. */
export const AuthorSchema = z
  .strictObject({
    name: z.string(),
    website: z.string().nullable(),
    avatar: z.string().describe('Path of the identicon, e.g. /api/v1/avatars/<key>.svg'),
    moderator: z.boolean(),
  })
  .meta({ id: 'Author' });
export type Author = z.infer<typeof AuthorSchema>;

/** One comment as readers see it. Ids are opaque strings, times ISO 8601. */
export const CommentSchema = z
  .strictObject({
    id: z.string(),
    parentId: z.string().nullable(),
    status: CommentStatusSchema,
    author: AuthorSchema,
    html: z.string().describe('Sanitized HTML rendered from the markdown source'),
    createdAt: z.string(),
    editedAt: z.string().nullable(),
    deleted: z.boolean(),
    pinned: z.boolean(),
  })
  .meta({ id: 'Comment' });
export type Comment = z.infer<typeof CommentSchema>;

/** A top-level comment in a thread page, with the first batch of its replies. */
export const ThreadCommentSchema = CommentSchema.extend({
  replies: z.array(CommentSchema),
  replyCount: z.number().int().nonnegative(),
  repliesCursor: z.string().nullable(),
}).meta({ id: 'ThreadComment' });
export type ThreadComment = z.infer<typeof ThreadCommentSchema>;

/** What a commenter sends to create a comment. */
export const CreateCommentBodySchema = z
  .object({
    site: text(LIMITS.site, { min: 1 }),
    url: httpUrl(LIMITS.url).optional(),
    id: text(LIMITS.threadId, { min: 1 }).optional(),
    title: text(LIMITS.title).optional(),
    parentId: z
      .string()
      .regex(/^[1-9][0-9]{0,17}$/)
      .nullable()
      .optional(),
    body: text(LIMITS.body, { trim: false }).refine((value) => value.trim().length > 0, {
      params: { reason: 'required' },
    }),
    author: z.object({
      name: text(LIMITS.name, { min: 1 }),
      email: emailField,
      website: httpUrl(LIMITS.website, { allowEmpty: true }).nullable().optional(),
    }),
    notifyReplies: z.boolean().optional(),
    formToken: z.string().max(2_000).optional(),
    proof: z.string().max(2_000).optional(),
    homepage: z.string().max(2_000).optional(),
  })
  .refine((body) => body.url !== undefined || body.id !== undefined, {
    path: ['url'],
    params: { reason: 'required' },
  })
  .meta({ id: 'CreateCommentBody' });
export type CreateCommentBody = z.input<typeof CreateCommentBodySchema>;
export type CreateCommentInput = z.output<typeof CreateCommentBodySchema>;

export const CreateCommentResponseSchema = z
  .strictObject({
    comment: CommentSchema,
    editToken: z.string(),
    editableUntil: z.string(),
  })
  .meta({ id: 'CreateCommentResponse' });
export type CreateCommentResponse = z.infer<typeof CreateCommentResponseSchema>;

export const UpdateCommentBodySchema = z
  .object({
    body: text(LIMITS.body, { trim: false }).refine((value) => value.trim().length > 0, {
      params: { reason: 'required' },
    }),
  })
  .meta({ id: 'UpdateCommentBody' });
export type UpdateCommentBody = z.input<typeof UpdateCommentBodySchema>;

export const CommentResponseSchema = z
  .strictObject({ comment: CommentSchema })
  .meta({ id: 'CommentResponse' });
export type CommentResponse = z.infer<typeof CommentResponseSchema>;

export const DeleteCommentResponseSchema = z
  .strictObject({ deleted: z.literal(true), placeholder: z.boolean() })
  .meta({ id: 'DeleteCommentResponse' });
export type DeleteCommentResponse = z.infer<typeof DeleteCommentResponseSchema>;

/** A comment id in a path: decimal digits. */
export const CommentIdSchema = z.string().regex(/^[1-9][0-9]{0,17}$/);
