import {
  CommentIdSchema,
  CreateCommentBodySchema,
  LIMITS,
  publicRoutes,
  UpdateCommentBodySchema,
} from '@hiwar/protocol';
import { type Context, Hono } from 'hono';
import type { AppDeps } from '../context.js';
import { ApiError, validationError } from '../http/api-error.js';
import type { ClientIpResolver } from '../http/client-ip.js';
import { bearerToken, requestMeta } from '../http/request-meta.js';
import { parseWith, readJson } from '../http/validate.js';
import { createComment, deleteComment, getComment, updateComment } from './comments.service.js';

function commentId(c: Context): string {
  const id = c.req.param('id');
  if (!CommentIdSchema.safeParse(id).success) throw new ApiError('not_found', 'No comment has this id.');
  return id as string;
}

function idempotencyKey(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (key.length === 0 || key.length > LIMITS.idempotencyKey || !/^[\x21-\x7e]+$/.test(key)) {
    throw validationError({ 'Idempotency-Key': 'invalid' });
  }
  return key;
}

export function commentsRoutes(deps: AppDeps, clientIp: ClientIpResolver): Hono {
  const app = new Hono();

  app.post(publicRoutes.createComment.path, async (c) => {
    const key = idempotencyKey(c);
    const input = parseWith(CreateCommentBodySchema, await readJson(c));
    const created = await createComment(deps, input, requestMeta(c, clientIp), key);
    c.header('Cache-Control', 'no-store');
    return c.json(created, 201);
  });

  app.get(publicRoutes.getComment.path, async (c) => {
    const comment = await getComment(deps, commentId(c), bearerToken(c), requestMeta(c, clientIp));
    c.header('Cache-Control', 'no-store');
    return c.json({ comment });
  });

  app.patch(publicRoutes.updateComment.path, async (c) => {
    const id = commentId(c);
    const { body } = parseWith(UpdateCommentBodySchema, await readJson(c));
    const comment = await updateComment(deps, id, bearerToken(c), body, requestMeta(c, clientIp));
    c.header('Cache-Control', 'no-store');
    return c.json({ comment });
  });

  app.delete(publicRoutes.deleteComment.path, async (c) => {
    const result = await deleteComment(deps, commentId(c), bearerToken(c), requestMeta(c, clientIp));
    c.header('Cache-Control', 'no-store');
    return c.json(result);
  });

  return app;
}
