import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import type { Config } from '../src/config.js';
import { createLogger } from '../src/http/logger.js';
import { LogCapture, testConfig, useTestApp } from './harness.js';
import { type SignedIn, signIn } from './helpers/admin.js';
import { commentBody, type Json, PAGE, threadPath } from './helpers/api.js';
import { adminCall } from './helpers/seed.js';

/**
 * The spam checker against a local server speaking Akismet's REST protocol: the app
 * posts `comment-check` to it over a real socket, and each test decides its answer.
 */

const t = useTestApp();
const KEY = 'akismet-test-key-7f3a9c';
const EMAIL = 'ahmad@example.org';
const IP = '203.0.113.9';
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) HiwarTest/1';
const REFERRER = 'https://news.example/';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The form fields, in the order sent (a name twice would show twice). */
  fields: Array<[string, string]>;
}

/** A local Akismet: records each call and answers with `reply` (default: ham). */
class FakeAkismet {
  received: Received[] = [];
  reply: (res: ServerResponse) => void = (res) => res.end('false');
  /** Answers a test keeps back (a slow service); ended after each test. */
  held: ServerResponse[] = [];
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        fields: [...new URLSearchParams(Buffer.concat(chunks).toString('utf8'))],
      });
      this.reply(res);
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/1.1`;
  }

  reset(): void {
    for (const res of this.held.splice(0)) res.end('false');
    this.received = [];
    this.reply = (res) => res.end('false');
  }

  async stop(): Promise<void> {
    this.reset();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const akismet = new FakeAkismet();
let akismetUrl = '';
/** An address nothing listens on: a port that was taken, then freed. */
let closedUrl = '';

beforeAll(async () => {
  akismetUrl = await akismet.start();
  const closed = new FakeAkismet();
  closedUrl = await closed.start();
  await closed.stop();
});
afterEach(() => akismet.reset());
afterAll(() => akismet.stop());

interface SpamApp {
  logs: LogCapture;
  request(path: string, init?: RequestInit & { ip?: string }): Promise<Response>;
  /** POSTs a comment from {@link IP} with a browser's user agent and referrer. */
  post(
    overrides?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: Json }>;
}

/**
 * An app over the test database whose config points at the local Akismet. The
 * limit is generous (5 s) where a test expects an answer, so a busy machine does
 * not turn a verdict into a timeout; the slow-service test sets 300 ms.
 */
function spamApp(overrides: Partial<Config> = {}): SpamApp {
  const logs = new LogCapture();
  const { app } = createApp({
    db: t.db,
    config: testConfig({ akismetUrl, spamCheckTimeoutMs: 5_000, ...overrides }),
    keys: t.keys,
    clock: t.clock,
    logger: createLogger('debug', logs),
  });
  const request = (path: string, init: RequestInit & { ip?: string } = {}) => {
    const { ip = '127.0.0.1', ...rest } = init;
    return Promise.resolve(app.request(path, rest, { incoming: { socket: { remoteAddress: ip } } }));
  };
  let posted = 0;
  return {
    logs,
    request,
    post: async (overrides = {}, headers = {}) => {
      posted += 1;
      const res = await request('/api/v1/comments', {
        method: 'POST',
        ip: IP,
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          referer: REFERRER,
          ...headers,
        },
        body: JSON.stringify(commentBody({ body: `تعليق للفحص ${posted}`, ...overrides })),
      });
      return { status: res.status, json: await res.json() };
    },
  };
}

let owner: SignedIn;
beforeEach(async () => {
  owner = await signIn(t, { role: 'owner' });
});

/** PATCH /api/v1/admin/sites/:id as the owner. */
async function patchSite(app: SpamApp, id: string, changes: Record<string, unknown>) {
  const res = await adminCall(app, 'PATCH', `/api/v1/admin/sites/${id}`, owner.bearer, changes);
  expect(res.status).toBe(200);
  return res;
}

/** Site `news` with the spam checker on and a key set through the admin API. */
async function checkedSite(
  app: SpamApp,
  site: { moderation?: 'none' | 'all'; spamCheckEmail?: boolean } = {},
): Promise<void> {
  await t.addSite({ id: 'news', moderation: site.moderation ?? 'none' });
  await patchSite(app, 'news', {
    spamChecker: 'akismet',
    akismetKey: KEY,
    spamCheckEmail: site.spamCheckEmail ?? false,
  });
}

async function storedStatus(id: string): Promise<string> {
  const row = await t.db
    .selectFrom('comments')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.status;
}

async function publicThread(app: SpamApp): Promise<Json> {
  return (await app.request(threadPath({ site: 'news', url: PAGE }))).json();
}

/** The warnings the spam check logged, parsed. */
function spamWarnings(app: SpamApp): Json[] {
  return app.logs.lines.map((line) => JSON.parse(line)).filter((entry) => entry.problem !== undefined);
}

/** Nothing private reaches the log: the address, the IP, the key. */
function expectPrivateLogs(app: SpamApp): void {
  expect(app.logs.text).not.toContain(EMAIL);
  expect(app.logs.text).not.toContain(IP);
  expect(app.logs.text).not.toContain(KEY);
}

describe('spam checker: off by default', () => {
  it('sends nothing for a site made through the admin API', async () => {
    const app = spamApp();
    const created = await adminCall(app, 'POST', '/api/v1/admin/sites', owner.bearer, {
      id: 'news',
      origins: ['https://news.example'],
      moderation: 'none',
      challenge: 'off',
      floodSeconds: 0,
    });
    expect(created.status).toBe(201);
    expect(created.json.site).toMatchObject({
      spamChecker: 'off',
      spamCheckEmail: false,
      akismetKeySet: false,
    });
    const res = await app.post();
    expect(res.status).toBe(201);
    expect(res.json.comment.status).toBe('approved');
    expect(akismet.received).toEqual([]);
  });

  it('holds the comment and sends nothing when the checker is on but no key is set', async () => {
    const app = spamApp();
    await t.addSite({ id: 'news', moderation: 'none', spam_checker: 'akismet' });
    const res = await app.post();
    expect(res.status).toBe(201);
    expect(res.json.comment.status).toBe('pending');
    expect(await storedStatus(res.json.comment.id)).toBe('pending');
    expect(akismet.received).toEqual([]);
    expect(spamWarnings(app)).toMatchObject([{ level: 40, siteId: 'news', problem: 'not_configured' }]);
  });
});

describe('spam checker: what Akismet receives', () => {
  it('posts exactly the documented fields, without the email, to comment-check', async () => {
    const app = spamApp();
    await checkedSite(app);
    const res = await app.post({ body: 'أول تعليق على المقال' });
    expect(res.status).toBe(201);

    expect(akismet.received).toHaveLength(1);
    const call = akismet.received[0] as Received;
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/1.1/comment-check');
    expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=UTF-8');
    expect(call.fields).toEqual([
      ['api_key', KEY],
      ['blog', 'https://news.example'],
      ['user_ip', IP],
      ['user_agent', USER_AGENT],
      ['referrer', REFERRER],
      ['permalink', PAGE],
      ['comment_type', 'comment'],
      ['comment_author', 'أحمد'],
      ['comment_author_url', 'https://ahmad.example'],
      ['comment_content', 'أول تعليق على المقال'],
      ['comment_date_gmt', t.clock.now().toISOString()],
      ['blog_lang', 'ar'],
      ['blog_charset', 'UTF-8'],
    ]);
    expect(JSON.stringify(call)).not.toContain(EMAIL);
  });

  it('adds the email only when the site turned spamCheckEmail on, and calls a reply a reply', async () => {
    const app = spamApp();
    await checkedSite(app, { spamCheckEmail: true });
    const top = await app.post();
    expect(top.json.comment.status).toBe('approved');
    await app.post({ parentId: top.json.comment.id }, { 'user-agent': '', referer: '' });

    const [first, reply] = akismet.received as [Received, Received];
    expect(first.fields).toContainEqual(['comment_author_email', EMAIL]);
    expect(first.fields.filter(([name]) => name === 'comment_author_email')).toHaveLength(1);
    const fields = Object.fromEntries(reply.fields);
    expect(fields.comment_type).toBe('reply');
    expect(fields.comment_author_email).toBe(EMAIL);
    // Headers the browser did not send are left out rather than sent empty.
    expect(Object.keys(fields)).not.toContain('user_agent');
    expect(Object.keys(fields)).not.toContain('referrer');
    expectPrivateLogs(app);

    await patchSite(app, 'news', { spamCheckEmail: false });
    await app.post();
    expect(JSON.stringify(akismet.received[2])).not.toContain(EMAIL);
  });

  it('names the blog after the site’s origin when the thread has no link', async () => {
    const app = spamApp();
    await checkedSite(app);
    await app.post({ url: undefined, id: 'article-17' });
    const fields = Object.fromEntries((akismet.received[0] as Received).fields);
    expect(fields.blog).toBe('https://news.example');
    expect(fields).not.toHaveProperty('permalink');
  });
});

describe('spam checker: verdicts', () => {
  it('"true" files the comment as spam: readers see nothing, its author "pending", moderators spam', async () => {
    const app = spamApp();
    akismet.reply = (res) => res.end('true');
    await checkedSite(app);
    const res = await app.post();
    expect(res.status).toBe(201);
    expect(res.json.comment.status).toBe('pending');
    const id: string = res.json.comment.id;
    expect(await storedStatus(id)).toBe('spam');

    const thread = await publicThread(app);
    expect(thread.comments).toEqual([]);
    expect(thread.thread.commentCount).toBe(0);
    const own = await app.request(`/api/v1/comments/${id}`, {
      headers: { authorization: `Bearer ${res.json.editToken}` },
    });
    expect(((await own.json()) as Json).comment.status).toBe('pending');
    const queue = await adminCall(app, 'GET', '/api/v1/admin/comments?status=spam', owner.bearer);
    expect(queue.json.comments.map((c: Json) => c.id)).toEqual([id]);
    expect(spamWarnings(app)).toEqual([]);
  });

  it('"false" publishes the comment on a site without moderation', async () => {
    const app = spamApp();
    akismet.reply = (res) => res.end('false');
    await checkedSite(app, { moderation: 'none' });
    const res = await app.post();
    expect(res.json.comment.status).toBe('approved');
    expect(await storedStatus(res.json.comment.id)).toBe('approved');
    const thread = await publicThread(app);
    expect(thread.comments.map((c: Json) => c.id)).toEqual([res.json.comment.id]);
    expect(thread.thread.commentCount).toBe(1);
  });

  it('"false" leaves the comment pending on a site that holds every comment', async () => {
    const app = spamApp();
    akismet.reply = (res) => res.end('false');
    await checkedSite(app, { moderation: 'all' });
    const res = await app.post();
    expect(res.json.comment.status).toBe('pending');
    expect(await storedStatus(res.json.comment.id)).toBe('pending');
    expect(akismet.received).toHaveLength(1);
  });
});

describe('spam checker: a failing service never loses a comment', () => {
  const failures: Array<[string, (res: ServerResponse) => void, string]> = [
    [
      'a 500',
      (res) => {
        res.statusCode = 500;
        res.end('false');
      },
      'http_status',
    ],
    ['garbage', (res) => res.end('<html>maintenance</html>'), 'unexpected_answer'],
    ['an answer far too long', (res) => res.end('true'.repeat(1_000)), 'unexpected_answer'],
    [
      'an invalid key',
      (res) => {
        res.setHeader('X-akismet-debug-help', `Invalid key ${KEY}`);
        res.end('invalid');
      },
      'rejected',
    ],
    [
      '"true" with a debug-help header',
      (res) => {
        res.setHeader('X-akismet-debug-help', "Empty 'blog' value");
        res.end('true');
      },
      'rejected',
    ],
  ];

  it.each(failures)('holds the comment on %s', async (_name, reply, problem) => {
    const app = spamApp();
    akismet.reply = reply;
    await checkedSite(app, { spamCheckEmail: true });
    const res = await app.post();
    expect(res.status).toBe(201);
    expect(res.json.comment.status).toBe('pending');
    expect(await storedStatus(res.json.comment.id)).toBe('pending');
    expect(akismet.received).toHaveLength(1);
    expect(spamWarnings(app)).toMatchObject([{ level: 40, siteId: 'news', spamChecker: 'akismet', problem }]);
    expectPrivateLogs(app);
  });

  it('holds the comment when nothing listens at the service’s address', async () => {
    const app = spamApp({ akismetUrl: closedUrl });
    await checkedSite(app, { spamCheckEmail: true });
    const res = await app.post();
    expect(res.status).toBe(201);
    expect(res.json.comment.status).toBe('pending');
    expect(await storedStatus(res.json.comment.id)).toBe('pending');
    expect(spamWarnings(app)).toMatchObject([{ problem: 'unreachable', detail: 'ECONNREFUSED' }]);
    expectPrivateLogs(app);
  });

  it('answers at the time limit when the service is slow, and ignores its late verdict', async () => {
    const app = spamApp({ spamCheckTimeoutMs: 300 });
    akismet.reply = (res) => akismet.held.push(res);
    await checkedSite(app);
    const res = await app.post();
    expect(res.status).toBe(201);
    expect(res.json.comment.status).toBe('pending');
    expect(spamWarnings(app)).toMatchObject([{ problem: 'timeout' }]);
    // The service makes up its mind after the POST was answered: too late to count.
    for (const held of akismet.held.splice(0)) held.end('true');
    const thread = await publicThread(app);
    expect(thread.comments).toEqual([]);
    expect(await storedStatus(res.json.comment.id)).toBe('pending');
  });
});

describe('spam checker: the key', () => {
  it('is sealed at rest, shown only as akismetKeySet, kept out of the audit log, and removable', async () => {
    const app = spamApp();
    await t.addSite({ id: 'news' });
    const set = await patchSite(app, 'news', { spamChecker: 'akismet', akismetKey: KEY });
    expect(set.json.site).toMatchObject({ spamChecker: 'akismet', akismetKeySet: true });
    expect(set.json.site).not.toHaveProperty('akismetKey');
    const listed = await adminCall(app, 'GET', '/api/v1/admin/sites', owner.bearer);
    expect(listed.json.sites[0]).toMatchObject({ id: 'news', akismetKeySet: true });
    expect(JSON.stringify([set.json, listed.json])).not.toContain(KEY);

    const row = await t.db
      .selectFrom('sites')
      .select('akismet_key_enc')
      .where('id', '=', 'news')
      .executeTakeFirstOrThrow();
    const sealed = Buffer.from(row.akismet_key_enc as Uint8Array);
    expect(sealed.length).toBeGreaterThan(KEY.length);
    expect(sealed.toString('latin1')).not.toContain(KEY);
    const audit = await t.db.selectFrom('audit_log').select(['before', 'after']).execute();
    expect(audit).not.toHaveLength(0);
    expect(JSON.stringify(audit)).not.toContain(KEY);
    expectPrivateLogs(app);

    const removed = await patchSite(app, 'news', { akismetKey: null });
    expect(removed.json.site.akismetKeySet).toBe(false);
    const cleared = await t.db
      .selectFrom('sites')
      .select('akismet_key_enc')
      .where('id', '=', 'news')
      .executeTakeFirstOrThrow();
    expect(cleared.akismet_key_enc).toBeNull();
  });
});

describe('spam checker: Idempotency-Key retries', () => {
  it('answers a retry after a spam verdict with the settled answer, without asking again', async () => {
    const app = spamApp();
    akismet.reply = (res) => res.end('true');
    await checkedSite(app);
    const body = { body: 'تعليق يعاد إرساله' };
    const headers = { 'idempotency-key': 'retry-spam-1' };
    const first = await app.post(body, headers);
    const retry = await app.post(body, headers);
    expect(retry.status).toBe(201);
    expect(retry.json).toEqual(first.json);
    expect(retry.json.comment.status).toBe('pending');
    expect(await storedStatus(first.json.comment.id)).toBe('spam');
    expect(await t.db.selectFrom('comments').select('id').execute()).toHaveLength(1);
    expect(akismet.received).toHaveLength(1);
  });

  it('answers a retry after a ham verdict with the published comment, not the held one', async () => {
    const app = spamApp();
    akismet.reply = (res) => res.end('false');
    await checkedSite(app, { moderation: 'none' });
    const body = { body: 'تعليق سليم يعاد إرساله' };
    const headers = { 'idempotency-key': 'retry-ham-1' };
    const first = await app.post(body, headers);
    expect(first.json.comment.status).toBe('approved');
    const retry = await app.post(body, headers);
    expect(retry.json).toEqual(first.json);
    expect(akismet.received).toHaveLength(1);
  });
});
