export type {
  Author,
  Comment,
  CreateCommentBody,
  CreateCommentResponse,
  DeleteCommentResponse,
  ErrorCode,
  FieldReason,
  RepliesPage,
  SitePublic,
  Thread,
  ThreadComment,
  ThreadPage,
  ThreadSort,
  UpdateCommentBody,
} from '@hiwar/protocol';
export type {
  CallOptions,
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
export type { Sleep } from './transport.js';
export { randomId } from './transport.js';
