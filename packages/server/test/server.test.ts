import { EventEmitter } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSecret } from '../src/config.js';
import { deriveKeys, ipHash } from '../src/crypto/keys.js';
import { DatabaseOpenError } from '../src/db/open-database.js';
import { prepareDatabase, SecretMismatchError } from '../src/db/prepare.js';
import { createLogger } from '../src/http/logger.js';
import { ListenError, type RunningServer, startServer, stopOnSignals } from '../src/server.js';
import { createSite } from '../src/sites/sites.service.js';
import { LogCapture, TEST_DB, TEST_SECRET } from './harness.js';
import type { Json } from './helpers/api.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';

const PASSWORD = 'pw-that-must-never-be-logged';
let scratch: ScratchDatabase;

beforeAll(async () => {
  scratch = await createScratchDatabase({ password: PASSWORD });
  // Create, migrate and add a site as the CLI would, while no server holds the database.
  const handle = await scratch.open();
  try {
    await prepareDatabase(handle.db, deriveKeys(resolveSecret(scratch.config())), handle.kind);
    // Without the form token and flood rules: this suite is about the socket.
    await createSite(handle.db, {
      id: 'news',
      origins: ['https://news.example'],
      moderation: 'none',
      challenge: 'off',
      floodSeconds: 0,
    });
  } finally {
    await handle.close();
  }
  // Creating an embedded database runs initdb: tens of seconds on a busy machine.
}, 120_000);
afterAll(async () => {
  await scratch?.drop();
});

async function start(options: { drainTimeoutMs?: number } = {}) {
  const logs = new LogCapture();
  const server = await startServer(scratch.config(), { logger: createLogger('info', logs), ...options });
  return { server, logs };
}

/** Runs `test` against a started server and always closes it. */
async function withServer(test: (server: RunningServer, logs: LogCapture) => Promise<void>, options = {}) {
  const { server, logs } = await start(options);
  try {
    await test(server, logs);
  } finally {
    await server.close();
  }
}

function comment(page: string, body = 'تعليق عبر مقبس حقيقي') {
  return {
    site: 'news',
    url: `https://news.example/${page}`,
    body,
    author: { name: 'سلمى', email: 'salma@example.org' },
  };
}

describe('startServer', () => {
  it('answers /healthz and /readyz over a real socket, logging one start line and never the password', async () => {
    const { server, logs } = await start();
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.kind).toBe(TEST_DB);
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
    } finally {
      await server.close();
    }

    const lines = logs.lines.map((line) => JSON.parse(line));
    const started = lines.filter((line) => line.msg === 'Hiwar is listening');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({
      level: 30,
      url: `http://localhost:${new URL(server.url).port}`,
      publicUrl: 'http://localhost:8080',
    });
    if (TEST_DB === 'postgres') {
      const url = new URL(scratch.databaseUrl as string);
      // The log scrubs IP addresses wherever they appear, the database host's included.
      expect(started[0].database).toEqual({
        kind: 'postgres',
        host: url.host.replace('127.0.0.1', '[ip]'),
        name: url.pathname.slice(1),
      });
    } else {
      expect(started[0].database).toEqual({ kind: 'pglite', dataDir: scratch.dataDir });
    }
    expect(lines.at(-1)?.msg).toBe('stopped');
    expect(logs.text).not.toContain(PASSWORD);
  });

  it('creates and reads a comment over a real socket, hashing the socket address', async () => {
    let id = '';
    await withServer(async (server) => {
      const created = await fetch(`${server.url}/api/v1/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://news.example' },
        body: JSON.stringify(comment('socket')),
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('access-control-allow-origin')).toBe('https://news.example');
      id = ((await created.json()) as Json).comment.id;

      const page = await fetch(
        `${server.url}/api/v1/threads?site=news&url=${encodeURIComponent('https://news.example/socket')}`,
      );
      expect(page.status).toBe(200);
      const body: Json = await page.json();
      expect(body.thread.commentCount).toBe(1);
      expect(body.comments.map((c: { id: string }) => c.id)).toEqual([id]);
      expect(body.comments[0].html).toBe('<p>تعليق عبر مقبس حقيقي</p>\n');
    });
    const handle = await scratch.open();
    try {
      const row = await handle.db
        .selectFrom('comments')
        .select(['ip_hash'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(Buffer.from(row.ip_hash as Uint8Array)).toEqual(
        ipHash(deriveKeys(await secretOf(scratch)), '127.0.0.1'),
      );
    } finally {
      await handle.close();
    }
  });
});

describe('closing a running server (SIGTERM)', () => {
  it('turns /readyz to 503, refuses new connections, finishes the request in flight, then closes the database', async () => {
    const { server } = await start();
    const port = Number(new URL(server.url).port);
    const body = JSON.stringify(comment('drain', 'وصل أثناء الإغلاق'));
    const half = Math.floor(body.length / 2);

    // A POST whose body is half sent: in flight until the rest arrives.
    const posting = await open(port);
    posting.write(
      `POST /api/v1/comments HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
    );
    // A readiness probe whose headers are not finished yet: also in flight.
    const probing = await open(port);
    probing.write('GET /readyz HTTP/1.1\r\nHost: localhost\r\n');
    await sleep(200);

    const closing = server.close();
    let closed = false;
    void closing.then(() => {
      closed = true;
    });
    expect(server.lifecycle.draining).toBe(true);
    await expect(open(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    probing.write('\r\n');
    const probe = await response(probing);
    expect(probe.status).toBe(503);
    expect(probe.headers.connection).toBe('close');
    expect(JSON.parse(probe.body).error.code).toBe('unavailable');

    await sleep(200);
    expect(closed).toBe(false);
    posting.write(body.slice(half));
    const posted = await response(posting);
    expect(posted.status).toBe(201);
    expect(posted.headers.connection).toBe('close');
    const createdId = JSON.parse(posted.body).comment.id;

    await closing;
    if (TEST_DB === 'pglite') expect(existsSync(join(scratch.dataDir, 'hiwar.lock'))).toBe(false);
    const handle = await scratch.open();
    try {
      const row = await handle.db
        .selectFrom('comments')
        .select('body_md')
        .where('id', '=', createdId)
        .executeTakeFirst();
      expect(row?.body_md).toBe('وصل أثناء الإغلاق');
    } finally {
      await handle.close();
    }
  });

  it('cuts a request still open when the drain timeout passes', async () => {
    const { server, logs } = await start({ drainTimeoutMs: 300 });
    const port = Number(new URL(server.url).port);
    const stuck = await open(port);
    stuck.write(
      'POST /api/v1/comments HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    );
    await sleep(200);
    const startedAt = performance.now();
    const ended = new Promise((resolve) => stuck.once('close', resolve));
    await server.close();
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(250);
    await ended;
    expect(logs.text).toContain('drain timed out');
  });

  it('returns the same promise to every close() call', async () => {
    const { server } = await start();
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
  });
});

describe('refusing to start', () => {
  it('refuses another secret with the SecretMismatchError message and changes nothing', async () => {
    const before = await keyCheck();
    const other = scratch.config({ secret: 'another-secret-that-is-32-characters-long' });
    const error = await startServer(other, { logger: createLogger('silent') }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SecretMismatchError);
    expect((error as Error).message).toBe(new SecretMismatchError().message);
    expect(await keyCheck()).toBe(before);
    // The database was released, and the right secret still starts.
    await withServer(async (server) => {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    });
  });

  it('reports a port in use plainly and releases the database', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const error = await startServer(scratch.config({ port }), { logger: createLogger('silent') }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ListenError);
      expect((error as Error).message).toBe(
        `Another program already listens on 127.0.0.1:${port}. Stop it, or set PORT to a free port.`,
      );
      if (TEST_DB === 'pglite') expect(existsSync(join(scratch.dataDir, 'hiwar.lock'))).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it.runIf(TEST_DB === 'pglite')('refuses a data folder written by PostgreSQL 17, saying so', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'hiwar-pg17-'));
    try {
      cpSync(scratch.dataDir, copy, { recursive: true });
      writeFileSync(join(copy, 'pgdata', 'PG_VERSION'), '17\n');
      const error = await startServer(scratch.config({ dataDir: copy }), {
        logger: createLogger('silent'),
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DatabaseOpenError);
      expect((error as Error).message).toBe(
        `The embedded database in ${copy} was written by PostgreSQL 17, but this Hiwar embeds PostgreSQL 18 ` +
          '(PGlite 0.5.17). Export it with the Hiwar version that wrote it, or run that version against it; this one will not open it.',
      );
      expect(readFileSync(join(copy, 'pgdata', 'PG_VERSION'), 'utf8')).toBe('17\n');
      expect(existsSync(join(copy, 'hiwar.lock'))).toBe(false);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('stopOnSignals', () => {
  class FakeProcess extends EventEmitter {
    exits: number[] = [];
    exit(code: number) {
      this.exits.push(code);
    }
  }

  function fakeServer() {
    const logs = new LogCapture();
    let release: () => void = () => {};
    const closed = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = {
      logger: createLogger('info', logs),
      closes: 0,
      close: () => {
        server.closes++;
        return closed;
      },
    };
    return { server, logs, release };
  }

  it('drains on the first SIGTERM and resolves with exit code 0', async () => {
    const { server, release } = fakeServer();
    const proc = new FakeProcess();
    const exited = stopOnSignals(server, proc);
    proc.emit('SIGTERM');
    expect(server.closes).toBe(1);
    release();
    expect(await exited).toBe(0);
    expect(proc.exits).toEqual([]);
  });

  it('exits at once on a second signal while draining', async () => {
    const { server, logs } = fakeServer();
    const proc = new FakeProcess();
    void stopOnSignals(server, proc);
    proc.emit('SIGINT');
    proc.emit('SIGTERM');
    expect(server.closes).toBe(1);
    expect(proc.exits).toEqual([143]);
    expect(logs.text).toContain('second signal');
  });

  it('logs an uncaught exception through the scrubbing logger and exits 1', () => {
    const { server, logs } = fakeServer();
    const proc = new FakeProcess();
    void stopOnSignals(server, proc);
    proc.emit('uncaughtException', new Error('boom for reader@example.org from 203.0.113.7'));
    expect(proc.exits).toEqual([1]);
    expect(logs.text).toContain('uncaught exception');
    expect(logs.text).toContain('boom for [email] from [ip]');
    expect(logs.text).not.toContain('reader@example.org');
    proc.emit('unhandledRejection', new Error('later'));
    expect(proc.exits).toEqual([1, 1]);
  });
});

async function keyCheck(): Promise<string | undefined> {
  const handle = await scratch.open();
  try {
    const row = await handle.db
      .selectFrom('server_meta')
      .select('value')
      .where('key', '=', 'key_check')
      .executeTakeFirst();
    return row?.value;
  } finally {
    await handle.close();
  }
}

async function secretOf(db: ScratchDatabase): Promise<string> {
  return db.databaseUrl ? TEST_SECRET : readFileSync(join(db.dataDir, 'secret'), 'utf8').trim();
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Reads one HTTP/1.1 response from a socket the server closes afterwards (`Connection: close`). */
function response(
  socket: Socket,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      raw += chunk;
    });
    socket.once('error', reject);
    socket.once('close', () => {
      const [head = '', ...rest] = raw.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const at = line.indexOf(':');
        headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: decodeBody(rest.join('\r\n\r\n'), headers),
      });
    });
  });
}

function decodeBody(body: string, headers: Record<string, string>): string {
  if (headers['transfer-encoding'] !== 'chunked') return body;
  let out = '';
  let rest = body;
  for (;;) {
    const at = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, at), 16);
    if (!size) return out;
    // Sizes count bytes; this test's bodies are read as UTF-8 text.
    const bytes = Buffer.from(rest.slice(at + 2), 'utf8');
    out += bytes.subarray(0, size).toString('utf8');
    rest = bytes.subarray(size + 2).toString('utf8');
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
