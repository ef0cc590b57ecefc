import { z } from 'zod';
import { ChallengeQuerySchema, ChallengeResponseSchema } from './challenge.js';
import type { ErrorCode } from './codes.js';
import {
  CommentIdSchema,
  CommentResponseSchema,
  CreateCommentBodySchema,
  CreateCommentResponseSchema,
  DeleteCommentResponseSchema,
  UpdateCommentBodySchema,
} from './comment.js';
import { ErrorBodySchema } from './errors.js';
import { HealthSchema, ReadySchema } from './health.js';
import {
  CountsQuerySchema,
  CountsResponseSchema,
  RepliesPageSchema,
  ThreadPageSchema,
  ThreadQuerySchema,
} from './thread.js';

/**
 * One public route of the contract. The server validates with these schemas, the
 * OpenAPI document is generated from them and the SDK takes its types from them.
 */
export interface RouteContract {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Hono-style path, `:param` for path parameters. */
  path: string;
  summary: string;
  tags: string[];
  query?: z.ZodType;
  params?: z.ZodType;
  body?: z.ZodType;
  /** Request headers the route reads. */
  headers?: Record<string, { description: string; required?: boolean }>;
  /** `admin`: a session or API token of any user; `owner`: of an owner (admin API). */
  auth?: 'editToken' | 'editTokenOptional' | 'admin' | 'owner';
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /** The error codes this route can answer with. */
  errors: ErrorCode[];
}

const COMMON_ERRORS: ErrorCode[] = ['rate_limited', 'unavailable', 'internal'];
const WRITE_ERRORS: ErrorCode[] = [
  'invalid_json',
  'unsupported_media_type',
  'payload_too_large',
  'forbidden_origin',
  ...COMMON_ERRORS,
];

export const publicRoutes = {
  getThread: {
    method: 'get',
    path: '/api/v1/threads',
    summary: 'A page of a thread, or with `parent` a page of replies to one top-level comment',
    tags: ['threads'],
    query: ThreadQuerySchema,
    responses: {
      200: {
        description: 'A thread page (or a replies page with `parent`)',
        schema: z.union([ThreadPageSchema, RepliesPageSchema]),
      },
      304: { description: 'Not modified (ETag matched)' },
    },
    errors: ['validation_failed', 'unknown_site', 'not_found', 'forbidden_origin', ...COMMON_ERRORS],
  },
  getChallenge: {
    method: 'get',
    path: '/api/v1/challenge',
    summary:
      'A signed, single-use form token and, where the site asks for one now, a proof-of-work puzzle (abuse control)',
    tags: ['comments'],
    query: ChallengeQuerySchema,
    responses: { 200: { description: 'The form token', schema: ChallengeResponseSchema } },
    errors: ['validation_failed', 'unknown_site', 'forbidden_origin', ...COMMON_ERRORS],
  },
  createComment: {
    method: 'post',
    path: '/api/v1/comments',
    summary: 'Create a comment',
    tags: ['comments'],
    body: CreateCommentBodySchema,
    headers: {
      'Idempotency-Key': { description: 'Retries carrying the same key create the comment once' },
    },
    responses: {
      201: { description: 'Created; the edit token is shown once', schema: CreateCommentResponseSchema },
    },
    errors: [
      'validation_failed',
      'url_not_allowed',
      'unknown_site',
      'not_found',
      'thread_closed',
      'challenge_required',
      'banned',
      'duplicate_comment',
      ...WRITE_ERRORS,
    ],
  },
  getComment: {
    method: 'get',
    path: '/api/v1/comments/:id',
    summary: "One comment; with its edit token also its author's own pending comment",
    tags: ['comments'],
    params: z.object({ id: CommentIdSchema }),
    auth: 'editTokenOptional',
    responses: { 200: { description: 'The comment', schema: CommentResponseSchema } },
    errors: ['not_found', 'invalid_token', 'forbidden_origin', ...COMMON_ERRORS],
  },
  updateComment: {
    method: 'patch',
    path: '/api/v1/comments/:id',
    summary: 'Edit own comment inside the edit window',
    tags: ['comments'],
    params: z.object({ id: CommentIdSchema }),
    body: UpdateCommentBodySchema,
    auth: 'editToken',
    responses: { 200: { description: 'The edited comment', schema: CommentResponseSchema } },
    errors: [
      'validation_failed',
      'not_found',
      'invalid_token',
      'edit_window_closed',
      'thread_closed',
      ...WRITE_ERRORS,
    ],
  },
  deleteComment: {
    method: 'delete',
    path: '/api/v1/comments/:id',
    summary: 'Delete own comment inside the edit window; one with replies leaves a placeholder',
    tags: ['comments'],
    params: z.object({ id: CommentIdSchema }),
    auth: 'editToken',
    responses: { 200: { description: 'Deleted', schema: DeleteCommentResponseSchema } },
    errors: [
      'not_found',
      'invalid_token',
      'edit_window_closed',
      'forbidden_origin',
      'payload_too_large',
      ...COMMON_ERRORS,
    ],
  },
  getCounts: {
    method: 'get',
    path: '/api/v1/counts',
    summary: 'Approved-comment counts for up to 100 pages in one request',
    tags: ['threads'],
    query: CountsQuerySchema,
    responses: {
      200: { description: 'Counts keyed by the url or id as sent', schema: CountsResponseSchema },
    },
    errors: ['validation_failed', 'unknown_site', 'forbidden_origin', ...COMMON_ERRORS],
  },
  getAvatar: {
    method: 'get',
    path: '/api/v1/avatars/:key',
    summary: 'An identicon drawn by the server (path ends in .svg)',
    tags: ['avatars'],
    params: z.object({ key: z.string() }),
    responses: { 200: { description: 'SVG image', contentType: 'image/svg+xml' } },
    errors: ['not_found', 'unavailable'],
  },
  getOpenApi: {
    method: 'get',
    path: '/api/v1/openapi.json',
    summary: 'This document',
    tags: ['meta'],
    responses: { 200: { description: 'OpenAPI 3.1 document', contentType: 'application/json' } },
    errors: ['unavailable'],
  },
  healthz: {
    method: 'get',
    path: '/healthz',
    summary: 'The process is alive',
    tags: ['meta'],
    responses: { 200: { description: 'Alive', schema: HealthSchema } },
    errors: ['unavailable'],
  },
  readyz: {
    method: 'get',
    path: '/readyz',
    summary: 'The database is reachable and migrated; 503 while draining or down',
    tags: ['meta'],
    responses: {
      200: { description: 'Ready', schema: ReadySchema },
      503: { description: 'Not ready', schema: ErrorBodySchema },
    },
    errors: ['unavailable'],
  },
} as const satisfies Record<string, RouteContract>;

export type PublicRouteName = keyof typeof publicRoutes;
