import type { TestContext } from '../harness.js';

/** The page every suite comments on unless it says otherwise. */
export const PAGE = 'https://news.example/a/1';

// Response bodies are checked field by field against literal expectations; a loose type reads best.
// biome-ignore lint/suspicious/noExplicitAny: JSON bodies under test
export type Json = any;

/** A valid create body for site `news`; `overrides` replace top-level fields. */
export function commentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    site: 'news',
    url: PAGE,
    title: 'عنوان المقال',
    body: 'تعليق **مهم**',
    author: { name: 'أحمد', email: 'ahmad@example.org', website: 'https://ahmad.example' },
    ...overrides,
  };
}

export interface Posted {
  status: number;
  json: Json;
  /** The created comment's id (undefined when the POST failed). */
  id: string;
  token: string;
}

let posted = 0;

/**
 * POSTs a comment and returns its status, body, id and edit token. Without a
 * `body` override each call sends a different text, so that two calls are not
 * refused as duplicates (409 `duplicate_comment`).
 */
export async function postComment(
  t: TestContext,
  overrides: Record<string, unknown> = {},
  init: RequestInit & { ip?: string } = {},
): Promise<Posted> {
  posted += 1;
  const res = await t.post(
    '/api/v1/comments',
    commentBody({ body: `تعليق **مهم** ${posted}`, ...overrides }),
    init,
  );
  const json: Json = await res.json();
  return { status: res.status, json, id: json?.comment?.id, token: json?.editToken };
}

/** GET and parse JSON. */
export async function getJson(
  t: TestContext,
  path: string,
  init: RequestInit & { ip?: string } = {},
): Promise<{ status: number; json: Json; headers: Headers }> {
  const res = await t.request(path, init);
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}

/** `/api/v1/threads?…` from a plain object of query parameters. */
export function threadPath(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  return `/api/v1/threads?${params}`;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Sends a JSON body with any method (PATCH, DELETE…). */
export function sendJson(
  t: TestContext,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return t.request(path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Everything the public tables hold, for "nothing changed" assertions. */
export async function snapshot(t: TestContext): Promise<unknown> {
  const [threads, comments, tokens, keys] = await Promise.all([
    t.db.selectFrom('threads').selectAll().orderBy('id').execute(),
    t.db.selectFrom('comments').selectAll().orderBy('id').execute(),
    t.db.selectFrom('edit_tokens').selectAll().orderBy('comment_id').execute(),
    t.db.selectFrom('idempotency_keys').selectAll().orderBy('created_at').execute(),
  ]);
  return JSON.parse(JSON.stringify({ threads, comments, tokens, keys }));
}

/** A response's JSON body, loosely typed for field-by-field assertions. */
export function readBody(res: Response): Promise<Json> {
  return res.json() as Promise<Json>;
}
