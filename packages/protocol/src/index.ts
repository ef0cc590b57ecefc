export type { PublicRouteName, RouteContract } from './api.js';
export { publicRoutes } from './api.js';
export type { ErrorBody, ErrorCode, FieldReason } from './codes.js';
export { ERROR_CODES, ERROR_STATUS, FIELD_REASONS, isErrorCode } from './codes.js';
export type {
  Author,
  Comment,
  CommentResponse,
  CommentStatus,
  CreateCommentBody,
  CreateCommentInput,
  CreateCommentResponse,
  DeleteCommentResponse,
  Lang,
  ModerationPolicy,
  ThreadComment,
  UpdateCommentBody,
} from './comment.js';
export {
  AuthorSchema,
  COMMENT_STATUSES,
  CommentIdSchema,
  CommentResponseSchema,
  CommentSchema,
  CommentStatusSchema,
  CreateCommentBodySchema,
  CreateCommentResponseSchema,
  DeleteCommentResponseSchema,
  LANGS,
  LangSchema,
  MODERATION_POLICIES,
  ModerationPolicySchema,
  ThreadCommentSchema,
  UpdateCommentBodySchema,
} from './comment.js';
export { ErrorBodySchema } from './errors.js';
export { HealthSchema, ReadySchema } from './health.js';
export { buildOpenApiDocument } from './openapi.js';
export { normalizePageUrl, originOf } from './page-url.js';
export type { Site, SiteSettings } from './site.js';
export {
  SITE_DEFAULTS,
  SITE_ID_PATTERN,
  SITE_LIMITS,
  SiteIdSchema,
  SiteSchema,
  SiteSettingsSchema,
} from './site.js';
export { hasForbiddenCharacters, isHttpUrl, LIMITS, text } from './text.js';
export type {
  CountsQuery,
  CountsResponse,
  RepliesPage,
  SitePublic,
  Thread,
  ThreadPage,
  ThreadQuery,
  ThreadSort,
} from './thread.js';
export {
  CountsQuerySchema,
  CountsResponseSchema,
  DEFAULT_PAGE_LIMIT,
  MAX_COUNT_PAGES,
  MAX_PAGE_LIMIT,
  REPLY_BATCH,
  RepliesPageSchema,
  SitePublicSchema,
  THREAD_SORTS,
  ThreadPageSchema,
  ThreadQuerySchema,
  ThreadSchema,
} from './thread.js';
