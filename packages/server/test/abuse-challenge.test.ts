import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  FORM_TOKEN_TTL_MS,
  leadingZeroBits,
  purgeSpentFormTokens,
  readFormToken,
  signFormToken,
  verifyProof,
} from '../src/abuse/challenge.js';
import { deriveKeys } from '../src/crypto/keys.js';
import { updateSite } from '../src/sites/sites.service.js';
import { TEST_SECRET, useTestApp } from './harness.js';
import { getJson, type Json, PAGE, postComment } from './helpers/api.js';

const t = useTestApp();

/** The first nonce that solves the token's puzzle (what the widget's solver does). */
function solve(token: string, difficulty: number): string {
  for (let nonce = 0; ; nonce += 1) {
    const digest = createHash('sha256').update(`${token}:${nonce}`, 'utf8').digest();
    if (leadingZeroBits(digest) >= difficulty) return String(nonce);
  }
}

async function challenge(site = 'news', init: RequestInit = {}) {
  return getJson(t, `/api/v1/challenge?site=${site}`, init);
}

async function token(site = 'news'): Promise<{ formToken: string; pow: Json }> {
  const res = await challenge(site);
  expect(res.status).toBe(200);
  return res.json;
}

/** Rows of comments on the test site, whatever their status. */
async function stored(): Promise<{ status: string }[]> {
  return t.db.selectFrom('comments').select('status').orderBy('id').execute();
}

describe('GET /api/v1/challenge', () => {
  beforeEach(async () => {
    await t.addSite({ id: 'news', challenge: 'hold', min_fill_seconds: 3, pow_mode: 'off' });
  });

  it('answers a signed token for the site, 12 hours long, never cached, without a puzzle by default', async () => {
    const res = await challenge();
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(['expiresAt', 'formToken', 'pow']);
    expect(res.json.pow).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(new Date(res.json.expiresAt).getTime() - t.clock.now().getTime()).toBe(FORM_TOKEN_TTL_MS);
    const claims = readFormToken(t.keys, res.json.formToken, 'news');
    expect(claims?.issuedAt.getTime()).toBe(t.clock.now().getTime());
    expect(claims?.difficulty).toBe(0);
    // Two readers never share a token.
    expect((await token()).formToken).not.toBe(res.json.formToken);
  });

  it('refuses an unknown site, a bad site id, and a page on an origin the site does not allow', async () => {
    expect((await challenge('nope')).json.error.code).toBe('unknown_site');
    expect((await challenge('Bad%20Id')).json.error.code).toBe('validation_failed');
    expect((await getJson(t, '/api/v1/challenge')).json.error.code).toBe('validation_failed');
    const foreign = await challenge('news', { headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.code).toBe('forbidden_origin');
    const allowed = await challenge('news', { headers: { origin: 'https://news.example' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://news.example');
  });

  it('carries a puzzle of the site difficulty with proofOfWork always', async () => {
    await updateSite(t.db, 'news', { proofOfWork: 'always', powDifficulty: 9 });
    const res = await token();
    expect(res.pow).toEqual({ algorithm: 'SHA-256', difficulty: 9 });
    expect(readFormToken(t.keys, res.formToken, 'news')?.difficulty).toBe(9);
  });

  it('carries a puzzle with proofOfWork flood only while the site is flooded, and drops it after', async () => {
    await updateSite(t.db, 'news', { proofOfWork: 'flood', powFloodThreshold: 3, powDifficulty: 10 });
    expect((await token()).pow).toBeNull();
    for (let i = 0; i < 3; i += 1) {
      t.clock.advance(1_000);
      expect((await postComment(t)).status).toBe(201);
    }
    expect((await token()).pow).toEqual({ algorithm: 'SHA-256', difficulty: 10 });
    // Comments on another site do not count towards this one's flood.
    await t.addSite({ id: 'other', origins: ['https://other.example'] });
    await updateSite(t.db, 'other', { proofOfWork: 'flood', powFloodThreshold: 3 });
    expect((await token('other')).pow).toBeNull();
    // Ten minutes after the last of them, the site is quiet again.
    t.clock.advance(10 * 60_000);
    expect((await token()).pow).toBeNull();
  });
});

describe('POST /api/v1/comments with the form token (challenge hold)', () => {
  beforeEach(async () => {
    await t.addSite({ id: 'news', challenge: 'hold', min_fill_seconds: 3, pow_mode: 'off' });
  });

  it('publishes a comment whose token is valid and older than the fill time', async () => {
    const { formToken } = await token();
    t.clock.advance(3_000);
    const res = await postComment(t, { formToken, homepage: '' });
    expect(res.status).toBe(201);
    expect(res.json.comment.status).toBe('approved');
  });

  it('holds a comment without a token, so plain API clients keep working', async () => {
    const res = await postComment(t);
    expect(res.status).toBe(201);
    expect(res.json.comment.status).toBe('pending');
    expect(await stored()).toEqual([{ status: 'pending' }]);
  });

  it('holds a comment sent sooner than the fill time, and publishes one sent at it', async () => {
    const early = await token();
    t.clock.advance(2_999);
    expect((await postComment(t, { formToken: early.formToken })).json.comment.status).toBe('pending');
    const onTime = await token();
    t.clock.advance(3_000);
    expect((await postComment(t, { formToken: onTime.formToken })).json.comment.status).toBe('approved');
  });

  it('holds a comment whose token is forged, of another site, expired or already spent', async () => {
    const keys = deriveKeys(`${TEST_SECRET}-another-server`);
    await t.addSite({ id: 'other', origins: ['https://other.example'] });
    const forged = signFormToken(keys, { siteId: 'news', difficulty: 0 }, t.clock.now());
    const otherSite = (await token('other')).formToken;
    const { formToken: good } = await token();
    const { formToken: old } = await token();
    const tampered = `${good.slice(0, 10)}${good[10] === 'A' ? 'B' : 'A'}${good.slice(11)}`;
    t.clock.advance(5_000);
    for (const formToken of [forged, otherSite, tampered, 'x', 'a.b', '']) {
      expect((await postComment(t, { formToken })).json.comment.status, formToken).toBe('pending');
    }
    expect((await postComment(t, { formToken: good })).json.comment.status).toBe('approved');
    expect((await postComment(t, { formToken: good })).json.comment.status).toBe('pending');
    t.clock.advance(FORM_TOKEN_TTL_MS);
    expect((await postComment(t, { formToken: old })).json.comment.status).toBe('pending');
  });

  it('keeps a comment with the honeypot filled in as spam, while its author is told it is pending', async () => {
    const { formToken } = await token();
    t.clock.advance(5_000);
    const res = await postComment(t, { formToken, homepage: 'https://bot.example' });
    expect(res.status).toBe(201);
    expect(res.json.comment.status).toBe('pending');
    expect(await stored()).toEqual([{ status: 'spam' }]);
    // The spam is not shown to readers, and the token is spent all the same.
    const page = await getJson(t, `/api/v1/threads?site=news&url=${encodeURIComponent(PAGE)}`);
    expect(page.json.comments).toEqual([]);
    expect((await postComment(t, { formToken })).json.comment.status).toBe('pending');
    // Without a token too: a bot filling every field is spam, not merely held.
    expect((await postComment(t, { homepage: 'x' })).json.comment.status).toBe('pending');
    expect(await stored()).toEqual([{ status: 'spam' }, { status: 'pending' }, { status: 'spam' }]);
  });

  it('lets everything through with the rule off, the honeypot included', async () => {
    await updateSite(t.db, 'news', { challenge: 'off' });
    expect((await postComment(t)).json.comment.status).toBe('approved');
    expect((await postComment(t, { homepage: 'x', formToken: 'junk' })).json.comment.status).toBe('approved');
  });

  it('does not spend the token of a comment refused for another reason', async () => {
    const { formToken } = await token();
    t.clock.advance(5_000);
    const refused = await postComment(t, { formToken, url: 'https://elsewhere.example/a' });
    expect(refused.json.error.code).toBe('url_not_allowed');
    expect((await postComment(t, { formToken })).json.comment.status).toBe('approved');
  });
});

describe('POST /api/v1/comments with the form token (challenge require)', () => {
  beforeEach(async () => {
    await t.addSite({ id: 'news', challenge: 'require', min_fill_seconds: 0, pow_mode: 'off' });
  });

  async function refusedFor(overrides: Record<string, unknown>): Promise<string> {
    const res = await postComment(t, overrides);
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('challenge_required');
    return res.json.error.details.reason;
  }

  it('refuses a comment without a valid token (403 challenge_required, with the reason), storing nothing', async () => {
    const { formToken } = await token();
    expect(await refusedFor({})).toBe('missing');
    expect(await refusedFor({ formToken: `${formToken}x` })).toBe('invalid');
    expect(await stored()).toEqual([]);
    expect((await postComment(t, { formToken })).status).toBe(201);
    expect(await refusedFor({ formToken })).toBe('used');
    const late = await token();
    t.clock.advance(FORM_TOKEN_TTL_MS);
    expect(await refusedFor({ formToken: late.formToken })).toBe('expired');
    expect(await stored()).toEqual([{ status: 'approved' }]);
  });

  it('still only holds a comment sent too fast: a person may type quickly', async () => {
    await updateSite(t.db, 'news', { minFillSeconds: 5 });
    const { formToken } = await token();
    t.clock.advance(1_000);
    expect((await postComment(t, { formToken })).json.comment.status).toBe('pending');
  });

  it('answers an Idempotency-Key retry before looking at the token, which the first try spent', async () => {
    const { formToken } = await token();
    const body = { formToken, body: 'تعليق يعاد إرساله' };
    const headers = { 'idempotency-key': 'retry-1' };
    const first = await postComment(t, body, { headers });
    const again = await postComment(t, body, { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(await stored()).toHaveLength(1);
  });

  it('accepts a token only once when two comments race with it', async () => {
    const { formToken } = await token();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => postComment(t, { formToken, body: `سباق ${i}` })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.json.error?.details?.reason === 'used')).toHaveLength(9);
    expect(await stored()).toHaveLength(1);
  });

  describe('with proof of work', () => {
    beforeEach(async () => {
      await updateSite(t.db, 'news', { proofOfWork: 'always', powDifficulty: 8 });
    });

    it('publishes a comment whose proof solves the puzzle', async () => {
      const { formToken, pow } = await token();
      const res = await postComment(t, { formToken, proof: solve(formToken, pow.difficulty) });
      expect(res.status).toBe(201);
      expect(res.json.comment.status).toBe('approved');
    });

    it('refuses a missing, wrong or malformed proof, and a proof of another token', async () => {
      const { formToken } = await token();
      const other = await token();
      let wrong = 0;
      while (verifyProof(formToken, String(wrong), 8)) wrong += 1;
      for (const proof of [undefined, String(wrong), '-1', '1e3', 'abc', '9'.repeat(21)]) {
        expect(await refusedFor({ formToken, proof }), String(proof)).toBe('proof');
      }
      const theirs = solve(other.formToken, 8);
      if (!verifyProof(formToken, theirs, 8))
        expect(await refusedFor({ formToken, proof: theirs })).toBe('proof');
      // The failed attempts did not spend the token.
      expect((await postComment(t, { formToken, proof: solve(formToken, 8) })).status).toBe(201);
    });

    it('holds, rather than refuses, an unsolved puzzle on a site in hold mode', async () => {
      await updateSite(t.db, 'news', { challenge: 'hold' });
      const { formToken } = await token();
      expect((await postComment(t, { formToken })).json.comment.status).toBe('pending');
    });

    it('keeps the difficulty the token was issued with, whatever the site says later', async () => {
      const { formToken } = await token();
      await updateSite(t.db, 'news', { powDifficulty: 30 });
      expect((await postComment(t, { formToken, proof: solve(formToken, 8) })).status).toBe(201);
    });
  });
});

describe('form tokens', () => {
  it('cannot be stretched: another site, a bit flipped, a longer token are refused', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const tokenText = signFormToken(t.keys, { siteId: 'news', difficulty: 12 }, now);
    expect(readFormToken(t.keys, tokenText, 'news')).toMatchObject({ siteId: 'news', difficulty: 12 });
    expect(readFormToken(t.keys, tokenText, 'other')).toBeNull();
    expect(readFormToken(t.keys, `${tokenText}A`, 'news')).toBeNull();
    expect(readFormToken(t.keys, 'a'.repeat(600), 'news')).toBeNull();
    const [payload, mac] = tokenText.split('.') as [string, string];
    const bytes = Buffer.from(payload, 'base64url');
    const at = bytes.length - 5;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 1, at);
    expect(readFormToken(t.keys, `${bytes.toString('base64url')}.${mac}`, 'news')).toBeNull();
  });

  it('counts leading zero bits as the widget does', () => {
    expect(leadingZeroBits(Uint8Array.from([0, 0, 0xff]))).toBe(16);
    expect(leadingZeroBits(Uint8Array.from([0, 0x01]))).toBe(15);
    expect(leadingZeroBits(Uint8Array.from([0x80]))).toBe(0);
    expect(leadingZeroBits(Uint8Array.from([0, 0]))).toBe(16);
  });

  it('spent ones are purged once expired, and only then', async () => {
    await t.addSite({ id: 'news', challenge: 'require', min_fill_seconds: 0, pow_mode: 'off' });
    const { formToken } = await token();
    expect((await postComment(t, { formToken })).status).toBe(201);
    const count = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from used_form_tokens`.execute(t.db)).rows[0]?.n);
    expect(await count()).toBe(1);
    expect(await purgeSpentFormTokens(t.db, t.clock.now())).toBe(0);
    expect(await purgeSpentFormTokens(t.db, new Date(t.clock.now().getTime() + FORM_TOKEN_TTL_MS))).toBe(1);
    expect(await count()).toBe(0);
  });
});
