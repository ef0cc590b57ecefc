import { z } from 'zod';
import { CommentSchema, LangSchema, ThreadCommentSchema } from './comment.js';
import { LIMITS, text } from './text.js';

export const THREAD_SORTS = ['oldest', 'newest'] as const;
export type ThreadSort = (typeof THREAD_SORTS)[number];

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 100;
/** How many replies a top-level comment carries in a thread page; more come by cursor. */
export const REPLY_BATCH = 10;

/** Query of `GET /api/v1/threads`. */
export const ThreadQuerySchema = z
  .object({
    site: text(LIMITS.site, { min: 1 }),
    url: text(LIMITS.url, { min: 1 }).optional(),
    id: text(LIMITS.threadId, { min: 1 }).optional(),
    sort: z.enum(THREAD_SORTS).default('oldest'),
    limit: z.coerce
      .number()
      .int()
      .catch(DEFAULT_PAGE_LIMIT)
      .transform((n) => Math.min(MAX_PAGE_LIMIT, Math.max(1, n)))
      .default(DEFAULT_PAGE_LIMIT),
    cursor: z.string().max(500).optional(),
    parent: z
      .string()
      .regex(/^[1-9][0-9]{0,17}$/)
      .optional(),
  })
  .refine((query) => query.url !== undefined || query.id !== undefined, {
    path: ['url'],
    params: { reason: 'required' },
  });
/** The query a client sends (`limit` is coerced from the query string on the server). */
export type ThreadQuery = Omit<z.input<typeof ThreadQuerySchema>, 'limit'> & { limit?: number };

/** The public settings of a site that a widget needs. */
export const SitePublicSchema = z
  .strictObject({
    lang: LangSchema,
    editWindowMinutes: z.number().int(),
  })
  .meta({ id: 'SitePublic' });
export type SitePublic = z.infer<typeof SitePublicSchema>;

export const ThreadSchema = z
  .strictObject({
    id: z.string().nullable().describe('Null while the thread has no comment yet'),
    url: z.string().nullable(),
    title: z.string().nullable(),
    closed: z.boolean(),
    commentCount: z.number().int().nonnegative(),
  })
  .meta({ id: 'Thread' });
export type Thread = z.infer<typeof ThreadSchema>;

export const ThreadPageSchema = z
  .strictObject({
    site: SitePublicSchema,
    thread: ThreadSchema,
    comments: z.array(ThreadCommentSchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'ThreadPage' });
export type ThreadPage = z.infer<typeof ThreadPageSchema>;

/** A page of replies to one top-level comment (`GET /api/v1/threads?…&parent=<id>`). */
export const RepliesPageSchema = z
  .strictObject({
    site: SitePublicSchema,
    thread: ThreadSchema,
    comments: z.array(CommentSchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'RepliesPage' });
export type RepliesPage = z.infer<typeof RepliesPageSchema>;

export const MAX_COUNT_PAGES = 100;

/** Query of `GET /api/v1/counts`: `url` and `id` may repeat. */
export const CountsQuerySchema = z
  .object({
    site: text(LIMITS.site, { min: 1 }),
    url: z
      .array(text(LIMITS.url, { min: 1 }))
      .max(MAX_COUNT_PAGES)
      .default([]),
    id: z
      .array(text(LIMITS.threadId, { min: 1 }))
      .max(MAX_COUNT_PAGES)
      .default([]),
  })
  .refine((query) => query.url.length + query.id.length > 0, {
    path: ['url'],
    params: { reason: 'required' },
  })
  .refine((query) => query.url.length + query.id.length <= MAX_COUNT_PAGES, {
    path: ['url'],
    params: { reason: 'too_long' },
  });
export type CountsQuery = z.input<typeof CountsQuerySchema>;

export const CountsResponseSchema = z
  .strictObject({ counts: z.record(z.string(), z.number().int().nonnegative()) })
  .meta({ id: 'CountsResponse' });
export type CountsResponse = z.infer<typeof CountsResponseSchema>;
