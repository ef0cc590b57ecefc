import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdminClient, createClient, isHiwarError } from '@hiwar/sdk';
import {
  type Config,
  deriveKeys,
  openDatabase,
  prepareDatabase,
  type RunningServer,
  startServer,
} from '@hiwar/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The admin SDK against the real server over loopback, on an embedded (PGlite) database.

const SECRET = 'admin-sdk-test-secret-of-at-least-thirty-two-chars';
const PUBLIC_URL = 'http://localhost:8080';
const OWNER = { username: 'المالك', password: 'owner-password-long' };

let dataDir: string;
let server: RunningServer;

/**
 * A scrypt hash in the server's stored format (`$scrypt$ln=…,r=…,p=…$salt$key`,
 * see server/src/auth/passwords.ts), cheap (2^10) so the test stays quick; the
 * stored string carries its parameters, so login verifies it for real.
 */
function scryptHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), salt, 32, { N: 2 ** 10, r: 8, p: 1 });
  return `$scrypt$ln=10,r=8,p=1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hiwar-admin-sdk-'));
  // The first owner goes straight into the database, as `hiwar admin create` would put it;
  // everything after goes through the API. PGlite has one user at a time, so this is done
  // before the server opens the folder.
  const handle = await openDatabase({ dataDir });
  await prepareDatabase(handle.db, deriveKeys(SECRET), 'pglite');
  await handle.db
    .insertInto('users')
    .values({
      username: OWNER.username,
      display_name: 'صاحب الموقع',
      password_hash: scryptHash(OWNER.password),
      role: 'owner',
    })
    .execute();
  await handle.close();
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    publicUrl: PUBLIC_URL,
    databaseUrl: undefined,
    dataDir,
    secret: SECRET,
    trustedProxies: [],
    akismetUrl: 'https://rest.akismet.com/1.1',
    spamCheckTimeoutMs: 3_000,
    logLevel: 'silent',
  };
  server = await startServer(config);
});

afterAll(async () => {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/**
 * A fetch that behaves like the dashboard's page on HIWAR_PUBLIC_URL: it keeps the
 * session cookie the server sets and sends the page's Origin.
 */
function browserLikeFetch(): typeof fetch {
  let cookie: string | undefined;
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('Origin', PUBLIC_URL);
    if (cookie) headers.set('Cookie', cookie);
    const response = await fetch(input, { ...init, headers });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    return response;
  };
}

describe('createAdminClient against the server', () => {
  it('logs in, makes a token, and walks the pending queue page by page with it', async () => {
    const session = createAdminClient({ baseUrl: server.url, fetch: browserLikeFetch(), retries: 0 });
    await expect(
      session.login({ username: OWNER.username, password: 'wrong-password' }),
    ).rejects.toMatchObject({
      code: 'invalid_credentials',
      status: 401,
    });
    const { user } = await session.login(OWNER);
    expect(user).toMatchObject({ username: OWNER.username, role: 'owner' });
    const { token, secret } = await session.createToken({ name: 'اختبار الـSDK' });
    expect(secret.startsWith(token.prefix)).toBe(true);

    const admin = createAdminClient({ baseUrl: server.url, token: secret, retries: 0 });
    expect((await admin.me()).user.username).toBe(OWNER.username);
    // Five comments from one address in a row: no flood limit on this site.
    await admin.createSite({
      id: 'sdk',
      origins: ['https://sdk.example'],
      moderation: 'all',
      floodSeconds: 0,
    });

    const reader = createClient({ baseUrl: server.url, site: 'sdk', retries: 0 });
    const posted: string[] = [];
    for (let i = 1; i <= 5; i += 1) {
      const { comment } = await reader.comments.create({
        url: 'https://sdk.example/a/1',
        body: `تعليق رقم ${i}`,
        author: { name: `قارئ ${i}`, email: `reader${i}@example.org` },
      });
      expect(comment.status).toBe('pending');
      posted.push(comment.id);
    }

    const walked: string[] = [];
    for await (const comment of admin.queue({ site: 'sdk', status: 'pending', sort: 'oldest', limit: 2 })) {
      expect(comment.author.email).toMatch(/^reader\d@example\.org$/);
      walked.push(comment.id);
    }
    expect(walked).toEqual(posted);

    const result = await admin.moderate({ action: 'approve', ids: posted.slice(0, 2) });
    expect(result.skipped).toEqual([]);
    expect((await admin.commentCounts({ site: 'sdk' })).counts).toMatchObject({ pending: 3, approved: 2 });
    const thread = await reader.threads.get({ url: 'https://sdk.example/a/1' });
    expect(thread.thread.commentCount).toBe(2);

    const { entries } = await admin.listAudit({ site: 'sdk' });
    expect(entries.map((entry) => entry.action)).toContain('comment.approve');

    await admin.revokeToken(token.id);
    const revoked = await admin.me().catch((error: unknown) => error);
    expect(isHiwarError(revoked) && revoked.code).toBe('unauthorized');
    expect(revoked).toMatchObject({ status: 401 });
  });
});
