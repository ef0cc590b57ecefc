import { connect, type Socket } from 'node:net';
import {
  ActionBodySchema,
  ChangePasswordBodySchema,
  CreateBanBodySchema,
  CreateCommentBodySchema,
  CreateSiteBodySchema,
  CreateTokenBodySchema,
  CreateUserBodySchema,
  EditCommentBodySchema,
  LoginBodySchema,
  ModeratorReplyBodySchema,
  UpdateCommentBodySchema,
  UpdateSiteBodySchema,
  UpdateThreadBodySchema,
  UpdateUserBodySchema,
} from '@hiwar/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { resolveSecret } from '../src/config.js';
import { deriveKeys } from '../src/crypto/keys.js';
import { prepareDatabase } from '../src/db/prepare.js';
import { BODY_LIMITS, bodyLimitOf, type RouteWithBody } from '../src/http/body-limits.js';
import { createLogger } from '../src/http/logger.js';
import { type RunningServer, startServer } from '../src/server.js';
import { type TestContext, useTestApp } from './harness.js';
import { ADMIN_ORIGIN, type SignedIn, signIn } from './helpers/admin.js';
import { bearer, commentBody, type Json, PAGE, postComment } from './helpers/api.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';

/** A character of 3 bytes in UTF-8 (CJK), the widest a schema's length counts in one unit. */
const wide = (n: number) => '中'.repeat(n);
/** A control character, which JSON.stringify writes as 6 bytes (\u0001). */
const escaped = (n: number) => '\u0001'.repeat(n);

describe('BODY_LIMITS', () => {
  /** The longest body each schema accepts, in the widest characters it allows. */
  const LARGEST: { [K in RouteWithBody]: [z.ZodType, unknown] } = {
    createComment: [
      CreateCommentBodySchema,
      {
        site: 'a'.repeat(64),
        url: `https://news.example/${'a'.repeat(1_970)}`,
        id: wide(200),
        title: wide(500),
        parentId: '9'.repeat(18),
        body: wide(65_525),
        author: {
          name: wide(245),
          email: `${'a'.repeat(80)}@example.org`,
          website: `https://${'a'.repeat(180)}.example`,
        },
        notifyReplies: true,
        formToken: escaped(2_000),
        proof: escaped(2_000),
        homepage: escaped(2_000),
      },
    ],
    updateComment: [UpdateCommentBodySchema, { body: wide(65_525) }],
    editComment: [EditCommentBodySchema, { body: wide(65_525) }],
    replyToComment: [ModeratorReplyBodySchema, { body: wide(65_525) }],
    login: [LoginBodySchema, { username: escaped(200), password: escaped(1_024) }],
    changePassword: [
      ChangePasswordBodySchema,
      { currentPassword: escaped(1_024), newPassword: escaped(1_024) },
    ],
    createToken: [CreateTokenBodySchema, { name: escaped(100) }],
    updateThread: [UpdateThreadBodySchema, { closed: false }],
    createBan: [
      CreateBanBodySchema,
      { kind: 'email', commentId: '9'.repeat(18), effect: 'hold', duration: 'forever', reason: escaped(500) },
    ],
    createUser: [
      CreateUserBodySchema,
      {
        username: wide(64),
        password: escaped(1_024),
        displayName: escaped(100),
        role: 'moderator',
        sites: Array.from({ length: 1_000 }, (_, i) => `${i}`.padStart(64, 'a')),
      },
    ],
    updateUser: [
      UpdateUserBodySchema,
      {
        displayName: escaped(100),
        role: 'moderator',
        sites: Array.from({ length: 1_000 }, (_, i) => `${i}`.padStart(64, 'a')),
        password: escaped(1_024),
        disabled: false,
      },
    ],
    moderate: [
      ActionBodySchema,
      { action: 'not_spam', ids: Array.from({ length: 500 }, (_, i) => `${i + 1}`.padStart(18, '9')) },
    ],
    createSite: [CreateSiteBodySchema, { id: 'a'.repeat(64), ...largestSettings() }],
    updateSite: [UpdateSiteBodySchema, largestSettings()],
  };

  it.each(Object.keys(LARGEST) as RouteWithBody[])('fits the longest valid %s body', (name) => {
    const [schema, body] = LARGEST[name];
    const parsed = schema.safeParse(body);
    expect(parsed.error?.issues ?? []).toEqual([]);
    const bytes = Buffer.byteLength(JSON.stringify(body));
    expect({ name, fits: bytes <= BODY_LIMITS[name] }).toEqual({ name, fits: true });
  });

  it('knows every non-GET route of the protocol, and nothing else', () => {
    expect(bodyLimitOf('POST', '/api/v1/comments')).toEqual({ route: 'createComment', maxBytes: 512 * 1024 });
    expect(bodyLimitOf('PATCH', '/api/v1/comments/42')).toEqual({
      route: 'updateComment',
      maxBytes: 300 * 1024,
    });
    expect(bodyLimitOf('POST', '/api/v1/admin/comments/actions')).toEqual({
      route: 'moderate',
      maxBytes: 256 * 1024,
    });
    expect(bodyLimitOf('POST', '/api/v1/admin/comments/7/replies')?.route).toBe('replyToComment');
    expect(bodyLimitOf('DELETE', '/api/v1/comments/42')).toEqual({ route: 'deleteComment', maxBytes: 0 });
    expect(bodyLimitOf('POST', '/api/v1/admin/logout')).toEqual({ route: 'logout', maxBytes: 0 });
    expect(bodyLimitOf('GET', '/api/v1/threads')).toBeUndefined();
    expect(bodyLimitOf('POST', '/api/v1/comments/')).toBeUndefined();
    expect(bodyLimitOf('PUT', '/api/v1/comments/42')).toBeUndefined();
  });
});

function largestSettings() {
  return {
    origins: Array.from({ length: 50 }, (_, i) => `https://${`${i}`.padStart(280, 'a')}.example`),
    moderation: 'first-time',
    editWindowMinutes: 10_080,
    maxDepth: 20,
    lang: 'ar',
    autoCloseDays: 36_500,
    holdWords: Array.from({ length: 1_000 }, () => wide(100)),
    rejectWords: Array.from({ length: 1_000 }, () => wide(100)),
    holdLinks: 1_000,
    floodSeconds: 86_400,
    threadHourlyLimit: 1_000_000,
    siteHourlyLimit: 1_000_000,
    challenge: 'require',
    minFillSeconds: 3_600,
    proofOfWork: 'always',
    powDifficulty: 32,
    powFloodThreshold: 1_000_000,
    spamChecker: 'akismet',
    spamCheckEmail: true,
    akismetKey: escaped(200),
  };
}

describe('in process', () => {
  const t = useTestApp();
  let owner: SignedIn;
  let comment: { id: string; token: string };
  let threadId: string;

  beforeEach(async () => {
    await t.addSite({ id: 'news' });
    owner = await signIn(t, { role: 'owner' });
    const posted = await postComment(t);
    expect(posted.status).toBe(201);
    comment = { id: posted.id, token: posted.token };
    threadId = String((await t.db.selectFrom('threads').select('id').executeTakeFirstOrThrow()).id);
  });

  interface Write {
    method: string;
    path: () => string;
    body: () => unknown;
    headers: () => Record<string, string>;
    /** What a body of exactly the limit gets: proof that it was read and acted on. */
    status: number;
  }

  const WRITES: Record<RouteWithBody, Write> = {
    createComment: {
      method: 'POST',
      path: () => '/api/v1/comments',
      body: () => commentBody({ body: 'على الحد تماماً' }),
      headers: () => ({}),
      status: 201,
    },
    updateComment: {
      method: 'PATCH',
      path: () => `/api/v1/comments/${comment.id}`,
      body: () => ({ body: 'مصحح' }),
      headers: () => bearer(comment.token),
      status: 200,
    },
    editComment: {
      method: 'PATCH',
      path: () => `/api/v1/admin/comments/${comment.id}`,
      body: () => ({ body: 'مصحح' }),
      headers: () => owner.bearer,
      status: 200,
    },
    replyToComment: {
      method: 'POST',
      path: () => `/api/v1/admin/comments/${comment.id}/replies`,
      body: () => ({ body: 'شكراً' }),
      headers: () => owner.bearer,
      status: 201,
    },
    login: {
      method: 'POST',
      path: () => '/api/v1/admin/login',
      body: () => ({ username: owner.username, password: owner.password }),
      headers: () => ({ origin: ADMIN_ORIGIN }),
      status: 200,
    },
    changePassword: {
      method: 'POST',
      path: () => '/api/v1/admin/me/password',
      body: () => ({ currentPassword: owner.password, newPassword: 'another-long-password' }),
      headers: () => owner.bearer,
      status: 200,
    },
    createToken: {
      method: 'POST',
      path: () => '/api/v1/admin/tokens',
      body: () => ({ name: 'نسخ' }),
      headers: () => owner.bearer,
      status: 201,
    },
    updateThread: {
      method: 'PATCH',
      path: () => `/api/v1/admin/threads/${threadId}`,
      body: () => ({ closed: true }),
      headers: () => owner.bearer,
      status: 200,
    },
    createBan: {
      method: 'POST',
      path: () => '/api/v1/admin/bans',
      body: () => ({ kind: 'name', commentId: comment.id, duration: 'day' }),
      headers: () => owner.bearer,
      status: 201,
    },
    createUser: {
      method: 'POST',
      path: () => '/api/v1/admin/users',
      body: () => ({ username: 'salma', password: 'password-123-long', role: 'moderator', sites: ['news'] }),
      headers: () => owner.bearer,
      status: 201,
    },
    updateUser: {
      method: 'PATCH',
      path: () => `/api/v1/admin/users/${owner.userId}`,
      body: () => ({ displayName: 'المالك' }),
      headers: () => owner.bearer,
      status: 200,
    },
    moderate: {
      method: 'POST',
      path: () => '/api/v1/admin/comments/actions',
      body: () => ({ action: 'pin', ids: [comment.id] }),
      headers: () => owner.bearer,
      status: 200,
    },
    createSite: {
      method: 'POST',
      path: () => '/api/v1/admin/sites',
      body: () => ({ id: 'blog', origins: ['https://blog.example'] }),
      headers: () => owner.bearer,
      status: 201,
    },
    updateSite: {
      method: 'PATCH',
      path: () => '/api/v1/admin/sites/news',
      body: () => ({ moderation: 'all' }),
      headers: () => owner.bearer,
      status: 200,
    },
  };

  /** The JSON of `body` followed by spaces up to `bytes` (JSON allows trailing whitespace). */
  function padded(body: unknown, bytes: number): string {
    const text = JSON.stringify(body);
    const size = Buffer.byteLength(text);
    if (size > bytes) throw new Error(`The body is already ${size} bytes, over ${bytes}.`);
    return text + ' '.repeat(bytes - size);
  }

  function send(write: Write, body: string | undefined): Promise<Response> {
    return t.request(write.path(), {
      method: write.method,
      headers: { 'content-type': 'application/json', ...write.headers() },
      body,
    });
  }

  it.each(Object.keys(WRITES) as RouteWithBody[])(
    '%s refuses one byte over its limit with 413, changing nothing, and reads exactly its limit',
    async (name) => {
      const write = WRITES[name];
      const limit = BODY_LIMITS[name];
      const before = await snapshot(t);
      const over = await send(write, padded(write.body(), limit + 1));
      expect({ name, status: over.status }).toEqual({ name, status: 413 });
      expect(await over.json()).toEqual({
        error: { code: 'payload_too_large', message: expect.any(String), details: { maxBytes: limit } },
      });
      expect(await snapshot(t)).toEqual(before);

      const at = await send(write, padded(write.body(), limit));
      expect({ name, status: at.status, body: await at.text() }).toMatchObject({
        name,
        status: write.status,
      });
    },
  );

  it('refuses any body on a route that takes none, and reads an empty one', async () => {
    const before = await snapshot(t);
    const deleting = await t.request(`/api/v1/comments/${comment.id}`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json', ...bearer(comment.token) },
      body: '{}',
    });
    expect(deleting.status).toBe(413);
    expect(((await deleting.json()) as Json).error).toMatchObject({
      code: 'payload_too_large',
      details: { maxBytes: 0 },
    });
    const loggingOut = await t.request('/api/v1/admin/logout', {
      method: 'POST',
      headers: owner.session,
      body: ' ',
    });
    expect(loggingOut.status).toBe(413);
    expect(await snapshot(t)).toEqual(before);

    const deleted = await t.request(`/api/v1/comments/${comment.id}`, {
      method: 'DELETE',
      headers: bearer(comment.token),
      body: '',
    });
    expect(deleted.status).toBe(200);
    const loggedOut = await t.request('/api/v1/admin/logout', { method: 'POST', headers: owner.session });
    expect(loggedOut.status).toBe(200);
  });

  it('leaves paths no route answers to the 404', async () => {
    const res = await t.post('/api/v1/nothing-here', 'x'.repeat(600 * 1024));
    expect(res.status).toBe(404);
  });
});

/** The rows of every table a write could touch, to compare before and after. */
async function snapshot(t: TestContext): Promise<unknown> {
  const tables = [
    'sites',
    'threads',
    'comments',
    'edit_tokens',
    'users',
    'user_sites',
    'sessions',
    'api_tokens',
    'bans',
    'audit_log',
    'login_failures',
  ];
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    const { rows } = await sql`select * from ${sql.table(table)} order by 1`.execute(t.db);
    out[table] = rows;
  }
  return out;
}

describe('over a real socket', () => {
  let scratch: ScratchDatabase;
  let server: RunningServer;
  let port: number;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    const handle = await scratch.open();
    try {
      await prepareDatabase(handle.db, deriveKeys(resolveSecret(scratch.config())), handle.kind);
      // The abuse rules are off, as useTestApp's addSite leaves them: these tests post twice.
      await handle.db
        .insertInto('sites')
        .values({
          id: 'news',
          origins: ['https://news.example'],
          moderation: 'none',
          flood_seconds: 0,
          challenge: 'off',
          pow_mode: 'off',
        })
        .execute();
    } finally {
      await handle.close();
    }
    server = await startServer(scratch.config(), { logger: createLogger('silent') });
    port = Number(new URL(server.url).port);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await scratch?.drop();
  });

  const LIMIT = BODY_LIMITS.createComment;
  const head = (extra: string) =>
    `POST /api/v1/comments HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n${extra}\r\n`;

  /** A valid new comment padded with spaces to `bytes`, as chunks of at most 64 KiB. */
  function chunks(bytes: number, text: string): Buffer[] {
    const json = JSON.stringify(commentBody({ body: text }));
    const whole = Buffer.from(json + ' '.repeat(bytes - Buffer.byteLength(json)));
    const out: Buffer[] = [];
    for (let at = 0; at < whole.length; at += 64 * 1024) out.push(whole.subarray(at, at + 64 * 1024));
    return out;
  }

  const chunked = (parts: Buffer[]) =>
    Buffer.concat([
      ...parts.flatMap((part) => [Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]),
      Buffer.from('0\r\n\r\n'),
    ]);

  async function commentCount(): Promise<number> {
    const res = await fetch(`${server.url}/api/v1/counts?site=news&url=${encodeURIComponent(PAGE)}`);
    return ((await res.json()) as Json).counts[PAGE];
  }

  it('reads a chunked body of exactly the limit, and refuses one byte more without storing it', async () => {
    const before = await commentCount();
    const over = await exchange(port, [
      head('Transfer-Encoding: chunked\r\n'),
      chunked(chunks(LIMIT + 1, 'زائد')),
    ]);
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body).error).toMatchObject({
      code: 'payload_too_large',
      details: { maxBytes: LIMIT },
    });
    expect(await commentCount()).toBe(before);

    const at = await exchange(port, [
      head('Transfer-Encoding: chunked\r\n'),
      chunked(chunks(LIMIT, 'على الحد')),
    ]);
    expect(at.status).toBe(201);
    expect(await commentCount()).toBe(before + 1);
  });

  it('refuses a declared Content-Length over the limit before any of the body arrives', async () => {
    const socket = await open(port);
    // Only the headers: the answer comes without the server waiting for a byte of the body.
    const answer = readResponse(socket);
    socket.write(head(`Content-Length: ${LIMIT + 1}\r\n`));
    const res = await answer;
    socket.destroy();
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('payload_too_large');
  });

  it('stops reading an endless chunked body: it answers 413 and closes the connection', async () => {
    const socket = await open(port);
    const answer = readResponse(socket);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.write(head('Transfer-Encoding: chunked\r\n'));
    const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 0x20), Buffer.from('\r\n')]);
    let hungUp = false;
    void closed.then(() => {
      hungUp = true;
    });
    // Keep sending, as a client that never stops would, until the server hangs up.
    let sent = 0;
    while (!hungUp && sent < 1024 * 1024 * 1024) {
      const flushed = socket.write(chunk);
      sent += chunk.length;
      if (!flushed) {
        await new Promise<void>((resolve) => {
          socket.once('drain', resolve);
          void closed.then(resolve);
        });
      }
    }
    const res = await answer;
    await closed;
    expect(res.status).toBe(413);
    // It hung up long before the client ran out of body to send.
    expect(sent).toBeLessThan(1024 * 1024 * 1024);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('ignores the body of a GET and answers the next request on the connection', async () => {
    const socket = await open(port);
    const first = readResponse(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 11\r\n\r\nhello world');
    expect((await first).status).toBe(200);
    const second = readResponse(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    const res = await second;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
    socket.destroy();
  });
});

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Reads one response from `socket`: the headers, then a `Content-Length` body or a
 * chunked one; resolves as soon as it is complete (the connection may stay open).
 */
function readResponse(socket: Socket): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let raw = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      raw = Buffer.concat([raw, chunk]);
      const parsed = parse(raw);
      if (parsed) done(parsed);
    };
    const onClose = () => {
      const parsed = parse(raw, true);
      if (parsed) done(parsed);
      else
        reject(new Error(`The connection closed before a whole response: ${JSON.stringify(raw.toString())}`));
    };
    const done = (response: RawResponse) => {
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve(response);
    };
    socket.on('data', onData);
    socket.on('close', onClose);
  });
}

function parse(raw: Buffer, closed = false): RawResponse | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine = '', ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
  }
  const rest = raw.subarray(end + 4);
  const status = Number(statusLine.split(' ')[1]);
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (rest.length < length) return undefined;
    return { status, headers, body: rest.subarray(0, length).toString('utf8') };
  }
  if (headers['transfer-encoding'] === 'chunked') {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const line = rest.indexOf('\r\n', at);
      if (line === -1) return undefined;
      const size = Number.parseInt(rest.subarray(at, line).toString('latin1'), 16);
      if (size === 0) return { status, headers, body: Buffer.concat(parts).toString('utf8') };
      if (rest.length < line + 2 + size + 2) return undefined;
      parts.push(rest.subarray(line + 2, line + 2 + size));
      at = line + 2 + size + 2;
    }
  }
  if (status === 204 || status === 304) return { status, headers, body: '' };
  return closed ? { status, headers, body: rest.toString('utf8') } : undefined;
}

/** Writes `parts` on a new connection and reads the one response. */
async function exchange(port: number, parts: Array<string | Buffer>): Promise<RawResponse> {
  const socket = await open(port);
  const answer = readResponse(socket);
  socket.on('error', () => {});
  for (const part of parts) socket.write(part);
  try {
    return await answer;
  } finally {
    socket.destroy();
  }
}
