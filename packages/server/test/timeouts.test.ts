import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, resolveSecret } from '../src/config.js';
import { deriveKeys } from '../src/crypto/keys.js';
import { prepareDatabase } from '../src/db/prepare.js';
import { createLogger } from '../src/http/logger.js';
import { DEFAULT_CSP, securityHeaders } from '../src/http/security-headers.js';
import {
  DEFAULT_HTTP_TIMEOUTS,
  handlerTimeoutMs,
  nodeServerOptions,
  SPAM_CHECK_MARGIN_MS,
  withHandlerTimeout,
} from '../src/http/timeouts.js';
import { type RunningServer, type StartServerOptions, startServer } from '../src/server.js';
import { createSite } from '../src/sites/sites.service.js';
import { LogCapture } from './harness.js';
import { commentBody, type Json, PAGE } from './helpers/api.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';

/**
 * The Node server's timeouts, over real sockets: a client that dribbles its headers
 * (slowloris) or never finishes its body is cut off while others are answered, and
 * a handler that takes too long answers 503. Limits are shortened to fractions of a
 * second; nothing asserts how long anything took.
 */

describe('the limits', () => {
  it('gives the handler more time than the longest spam check, whatever its setting', () => {
    expect(handlerTimeoutMs(loadConfig({}))).toBe(DEFAULT_HTTP_TIMEOUTS.handlerMs);
    for (const spamCheckTimeoutMs of [100, 3_000, 10_000, 30_000, 60_000]) {
      const limit = handlerTimeoutMs({ spamCheckTimeoutMs });
      expect(limit).toBeGreaterThanOrEqual(spamCheckTimeoutMs + SPAM_CHECK_MARGIN_MS);
      expect(limit).toBeGreaterThanOrEqual(DEFAULT_HTTP_TIMEOUTS.handlerMs);
    }
  });

  it('hands Node timeouts it accepts, checked often enough to matter', () => {
    const options = nodeServerOptions(DEFAULT_HTTP_TIMEOUTS);
    expect(options).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 65_000,
      connectionsCheckingInterval: 1_000,
    });
    expect(nodeServerOptions({ headersMs: 500, requestMs: 1_000, keepAliveMs: 1_000 })).toMatchObject({
      connectionsCheckingInterval: 100,
    });
    expect(() => nodeServerOptions({ headersMs: 2_000, requestMs: 1_000, keepAliveMs: 1_000 })).toThrow(
      /no longer than the whole request/,
    );
  });
});

describe('a slow client', () => {
  let scratch: ScratchDatabase;
  let server: RunningServer;
  let port: number;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    const handle = await scratch.open();
    try {
      const keys = deriveKeys(resolveSecret(scratch.config()));
      await prepareDatabase(handle.db, keys, handle.kind);
      await createSite(handle.db, {
        id: 'news',
        origins: ['https://news.example'],
        moderation: 'none',
        floodSeconds: 0,
        challenge: 'off',
        proofOfWork: 'off',
      });
    } finally {
      await handle.close();
    }
    server = await startServer(scratch.config(), {
      logger: createLogger('silent'),
      timeouts: { headersMs: 500, requestMs: 1_000 },
    });
    port = Number(new URL(server.url).port);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await scratch?.drop();
  });

  /**
   * Sends `head` at once, then `text` one byte at a time, and between two bytes has
   * another client ask /healthz; stops when the server hangs up. Returns how much of
   * `text` it sent, the answer it got, and how many other requests were answered
   * while it was connected.
   */
  async function dribble(head: string, text: string) {
    const socket = await open(port);
    socket.on('error', () => {});
    const answer = readAll(socket);
    socket.write(head);
    let hungUp = false;
    socket.once('close', () => {
      hungUp = true;
    });
    let sent = 0;
    let others = 0;
    while (!hungUp && sent < text.length) {
      socket.write(text[sent] as string);
      sent += 1;
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      await health.arrayBuffer();
      others += 1;
      await sleep(20);
    }
    return { sent, others, response: await answer };
  }

  it('cuts off a client that sends its headers one byte at a time, answering others meanwhile', async () => {
    // Under Node's 16 KiB header limit, and far longer than 500 ms to send at this pace.
    const headers = `Host: localhost\r\nX-Slow: ${'a'.repeat(12_000)}\r\n\r\n`;
    const { sent, others, response } = await dribble('GET /healthz HTTP/1.1\r\n', headers);
    expect(sent).toBeLessThan(headers.length);
    expect(others).toBeGreaterThan(0);
    expect(response.status).toBe(408);
    expect(response.headers.connection).toBe('close');
  });

  it('cuts off a client that never finishes its body, storing nothing', async () => {
    const body = JSON.stringify(commentBody({ body: 'لن يكتمل أبداً' }));
    const head =
      'POST /api/v1/comments HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body) + 10_000}\r\n\r\n`;
    // The headers arrive at once; the body, a byte at a time, would take minutes.
    const rest = `${body}${' '.repeat(10_000)}`;
    const { sent, others, response } = await dribble(head, rest);
    expect(sent).toBeLessThan(rest.length);
    expect(others).toBeGreaterThan(0);
    expect(response.status).toBe(408);
    const counts = await fetch(`${server.url}/api/v1/counts?site=news&url=${encodeURIComponent(PAGE)}`);
    expect(((await counts.json()) as Json).counts[PAGE]).toBe(0);
  });
});

describe('a slow handler', () => {
  /** A Hono app with a route that answers only when released, served as startServer serves. */
  function slowApp(timeouts: { handlerMs: number; requestMs?: number }) {
    const logs = new LogCapture();
    const app = new Hono();
    const releases: Array<() => void> = [];
    app.get('/api/v1/slow', async (c) => {
      await new Promise<void>((resolve) => releases.push(resolve));
      return c.json({ late: true });
    });
    app.get('/api/v1/fast', (c) => c.json({ fast: true }));
    app.post('/api/v1/echo', async (c) => c.json({ length: (await c.req.text()).length }));
    const timed = withHandlerTimeout(app.fetch, {
      timeoutMs: timeouts.handlerMs,
      secure: securityHeaders({ publicUrl: 'http://localhost:8080' }),
      logger: createLogger('warn', logs),
    });
    const server = serve({
      fetch: timed as never,
      port: 0,
      hostname: '127.0.0.1',
      serverOptions: nodeServerOptions({
        headersMs: 1_000,
        requestMs: timeouts.requestMs ?? 10_000,
        keepAliveMs: 1_000,
      }),
    }) as Server;
    return {
      logs,
      releases,
      url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      listening: new Promise<void>((resolve) => server.once('listening', resolve)),
      close: async () => {
        for (const release of releases) release();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  it('answers 503 unavailable when the handler takes too long, and answers others meanwhile', async () => {
    const served = slowApp({ handlerMs: 300 });
    await served.listening;
    try {
      const slow = fetch(`${served.url()}/api/v1/slow`, { headers: { origin: 'https://news.example' } });
      const fast = await fetch(`${served.url()}/api/v1/fast`);
      expect(await fast.json()).toEqual({ fast: true });
      const res = await slow;
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        error: { code: 'unavailable', message: 'The server took too long to answer; try again shortly.' },
      });
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-security-policy')).toBe(DEFAULT_CSP);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('access-control-allow-origin')).toBe('https://news.example');
      expect(served.logs.text).toContain('handler timed out');
      expect(served.logs.text).toContain('/api/v1/slow');
      // The handler finishing afterwards changes nothing, and the server goes on.
      for (const release of served.releases) release();
      expect((await fetch(`${served.url()}/api/v1/fast`)).status).toBe(200);
    } finally {
      await served.close();
    }
  });

  it('starts the clock only once the body has arrived: a slow upload is not a slow handler', async () => {
    const served = slowApp({ handlerMs: 200 });
    await served.listening;
    try {
      const port = Number(new URL(served.url()).port);
      const socket = await open(port);
      const answer = readAll(socket);
      socket.write(
        'POST /api/v1/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 6\r\nConnection: close\r\n\r\nabc',
      );
      // Longer than the handler's limit, well inside the request's (10 s).
      await sleep(600);
      socket.write('def');
      const res = await answer;
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ length: 6 });
      expect(served.logs.text).not.toContain('handler timed out');
    } finally {
      await served.close();
    }
  });
});

describe('a slow spam check on a running server', () => {
  let scratch: ScratchDatabase;
  /** A local Akismet that never answers until the test ends. */
  let akismet: Server;
  let akismetUrl: string;
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    akismet = createServer((_req, res) => {
      held.push(res);
    });
    await new Promise<void>((resolve) => akismet.listen(0, '127.0.0.1', resolve));
    akismetUrl = `http://127.0.0.1:${(akismet.address() as AddressInfo).port}/1.1`;
    scratch = await createScratchDatabase();
    const handle = await scratch.open();
    try {
      const keys = deriveKeys(resolveSecret(scratch.config()));
      await prepareDatabase(handle.db, keys, handle.kind);
      await createSite(
        handle.db,
        {
          id: 'news',
          origins: ['https://news.example'],
          moderation: 'none',
          floodSeconds: 0,
          challenge: 'off',
          proofOfWork: 'off',
          spamChecker: 'akismet',
          akismetKey: 'akismet-test-key',
        },
        new Date(),
        null,
        keys,
      );
    } finally {
      await handle.close();
    }
  }, 120_000);
  afterAll(async () => {
    for (const res of held) res.end('false');
    akismet?.closeAllConnections();
    await new Promise<void>((resolve) => akismet?.close(() => resolve()));
    await scratch?.drop();
  });

  async function post(spamCheckTimeoutMs: number, options: StartServerOptions) {
    const logs = new LogCapture();
    const server = await startServer(scratch.config({ akismetUrl, spamCheckTimeoutMs }), {
      logger: createLogger('warn', logs),
      ...options,
    });
    try {
      const res = await fetch(`${server.url}/api/v1/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(commentBody({ body: `ينتظر فاحص الرسائل ${spamCheckTimeoutMs}` })),
      });
      return { status: res.status, json: (await res.json()) as Json, logs };
    } finally {
      // The check still waiting (after a 503) finishes while the database is open.
      for (const res of held.splice(0)) res.end('false');
      await server.close();
    }
  }

  it('holds the comment when the check times out within the default handler limit', async () => {
    const { status, json, logs } = await post(300, {});
    expect(status).toBe(201);
    expect(json.comment.status).toBe('pending');
    expect(logs.text).toContain('"problem":"timeout"');
    expect(logs.text).not.toContain('handler timed out');
  });

  it('answers 503 when the handler limit is shorter than the check (the server wires the limit in)', async () => {
    const { status, json, logs } = await post(60_000, { timeouts: { handlerMs: 300 } });
    expect(status).toBe(503);
    expect(json.error.code).toBe('unavailable');
    expect(logs.text).toContain('handler timed out');
  });
});

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sends until it closes the connection, as one response. */
function readAll(socket: Socket): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve) => {
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      raw += chunk;
    });
    socket.once('close', () => {
      const [head = '', ...rest] = raw.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const at = line.indexOf(':');
        headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
