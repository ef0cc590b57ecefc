import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type HiwarClient, isHiwarError, solveProofOfWork } from '@hiwar/sdk';
import {
  type Config,
  createSite,
  deriveKeys,
  openDatabase,
  prepareDatabase,
  type RunningServer,
  startServer,
} from '@hiwar/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The SDK's form token and proof-of-work solver against the real server over loopback,
// on an embedded (PGlite) database: what the server's verifyProof accepts is what the
// SDK's solver finds.

const SECRET = 'challenge-sdk-test-secret-of-at-least-thirty-two-chars';
const PAGE = 'https://forms.example/a/1';

let dataDir: string;
let server: RunningServer;
let reader: HiwarClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hiwar-challenge-sdk-'));
  // The site goes straight into the database, as `hiwar site add` would put it. A form
  // token is required; every challenge carries a small puzzle (8 bits: a few hundred
  // hashes); no minimum fill time and no flood limit, so comments can follow each other.
  const handle = await openDatabase({ dataDir });
  await prepareDatabase(handle.db, deriveKeys(SECRET), 'pglite');
  await createSite(handle.db, {
    id: 'forms',
    origins: ['https://forms.example'],
    moderation: 'none',
    challenge: 'require',
    proofOfWork: 'always',
    powDifficulty: 8,
    minFillSeconds: 0,
    floodSeconds: 0,
  });
  await handle.close();
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    publicUrl: 'http://localhost:8080',
    databaseUrl: undefined,
    dataDir,
    secret: SECRET,
    trustedProxies: [],
    akismetUrl: 'https://rest.akismet.com/1.1',
    spamCheckTimeoutMs: 3_000,
    logLevel: 'silent',
  };
  server = await startServer(config);
  reader = createClient({ baseUrl: server.url, site: 'forms', retries: 0 });
  // A new embedded database runs initdb in process: tens of seconds on a busy machine.
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

let n = 0;
/** A comment from a new reader, so no two are duplicates. */
function comment(extra: { formToken?: string; proof?: string; homepage?: string } = {}) {
  n += 1;
  return {
    url: PAGE,
    body: `تعليق رقم ${n} بعد حل اللغز`,
    author: { name: `قارئ ${n}`, email: `reader${n}@example.org` },
    ...extra,
  };
}

/** The reason of a 403 challenge_required, or what else the call came to. */
async function refusal(call: Promise<unknown>): Promise<unknown> {
  const error = await call.then(
    () => 'created',
    (e: unknown) => e,
  );
  return isHiwarError(error) ? [error.status, error.code, error.details?.reason] : error;
}

/** A fresh form token and its puzzle, which the site always sets. */
async function challenge() {
  const { formToken, expiresAt, pow } = await reader.challenge.get();
  if (!pow) throw new Error('The site should set a puzzle with every token (proofOfWork: always).');
  return { formToken, expiresAt, pow };
}

/** A nonce that does not solve the puzzle: 8 leading zero bits are not there. */
function wrongProof(formToken: string): string {
  for (let nonce = 0; ; nonce++) {
    const hash = createHash('sha256').update(`${formToken}:${nonce}`, 'utf8').digest();
    if (hash[0] !== 0) return String(nonce);
  }
}

describe('the challenge through the SDK, on a site that requires it', () => {
  it('gives a token with a puzzle, which the SDK solves and the server accepts, once', async () => {
    const { formToken, expiresAt, pow } = await challenge();
    expect(pow).toEqual({ algorithm: 'SHA-256', difficulty: 8 });
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());

    const proof = await solveProofOfWork(formToken, pow);
    const { comment: posted } = await reader.comments.create(comment({ formToken, proof, homepage: '' }));
    expect(posted.status).toBe('approved');
    const page = await reader.threads.get({ url: PAGE });
    expect(page.comments.map((c) => c.id)).toContain(posted.id);

    // Single use: the same token and proof do not post a second comment.
    expect(await refusal(reader.comments.create(comment({ formToken, proof })))).toEqual([
      403,
      'challenge_required',
      'used',
    ]);
  });

  it('refuses a proof that does not solve the puzzle, and a comment with no token', async () => {
    const { formToken, pow } = await challenge();

    expect(
      await refusal(reader.comments.create(comment({ formToken, proof: wrongProof(formToken) }))),
    ).toEqual([403, 'challenge_required', 'proof']);
    expect(await refusal(reader.comments.create(comment({ formToken })))).toEqual([
      403,
      'challenge_required',
      'proof',
    ]);
    expect(await refusal(reader.comments.create(comment()))).toEqual([403, 'challenge_required', 'missing']);

    // The refused tries did not spend the token: solved, it still posts.
    const proof = await solveProofOfWork(formToken, pow);
    expect((await reader.comments.create(comment({ formToken, proof }))).comment.status).toBe('approved');
  });

  it('keeps a comment whose honeypot is filled in out of sight, telling its author it waits', async () => {
    const { formToken, pow } = await challenge();
    const proof = await solveProofOfWork(formToken, pow);

    const { comment: held } = await reader.comments.create(
      comment({ formToken, proof, homepage: 'https://spam.example' }),
    );

    expect(held.status).toBe('pending');
    const page = await reader.threads.get({ url: PAGE });
    expect(page.comments.map((c) => c.id)).not.toContain(held.id);
  });
});
