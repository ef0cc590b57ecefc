export type {
  AdminComment,
  AdminSite,
  AdminSiteSettings,
  AdminUser,
  ApiToken,
  AuditEntry,
  AuditQuery,
  Author,
  Ban,
  ChallengeResponse,
  Comment,
  CreateCommentBody,
  CreateCommentResponse,
  DeleteCommentResponse,
  ErrorCode,
  FieldReason,
  ProofOfWork,
  QueueQuery,
  RepliesPage,
  Role,
  SitePublic,
  StatusCounts,
  Thread,
  ThreadComment,
  ThreadPage,
  ThreadSort,
  UpdateCommentBody,
} from '@hiwar/protocol';
export type {
  AdminBody,
  AdminCallOptions,
  AdminClient,
  AdminClientOptions,
  AdminResult,
  SiteFilter,
} from './admin-client.js';
export { createAdminClient } from './admin-client.js';
export type {
  CallOptions,
  ChallengeRequest,
  ClientOptions,
  CountsRequest,
  CreateCommentOptions,
  CreateCommentRequest,
  EditCommentOptions,
  GetCommentOptions,
  HiwarClient,
  LiteClient,
  LiteClientOptions,
  RepliesQuery,
  ThreadPageQuery,
} from './client.js';
export { createClient, createLiteClient } from './client.js';
export type { ErrorDetails, HiwarErrorInit } from './errors.js';
export { HiwarError, isHiwarError } from './errors.js';
export type { SolveOptions } from './pow.js';
export { solveProofOfWork } from './pow.js';
export type { Sleep } from './transport.js';
export { randomId } from './transport.js';
