import { AdminSiteSchema } from '@hiwar/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { openAkismetKey } from '../src/sites/sites.service.js';
import { useTestApp } from './harness.js';
import { type SignedIn, signIn } from './helpers/admin.js';
import { adminCall } from './helpers/seed.js';

// The abuse settings of issue 5 through the admin API: their defaults, each one set
// and checked, the Akismet key kept write-only, and only an owner changing them.

const t = useTestApp();
const SITES = '/api/v1/admin/sites';
const NEWS = `${SITES}/news`;

let owner: SignedIn;
let moderator: SignedIn;
beforeEach(async () => {
  owner = await signIn(t, { role: 'owner' });
  // Through the API, as an owner would: the site gets the real defaults, not the harness's.
  const created = await adminCall(t, 'POST', SITES, owner.bearer, {
    id: 'news',
    origins: ['https://news.example'],
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  moderator = await signIn(t, { role: 'moderator', sites: ['news'] });
});

/** Every audit entry of an action, oldest first. */
function auditRows(action: string) {
  return t.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
}

async function siteRow(id = 'news') {
  return t.db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

const DEFAULTS = {
  floodSeconds: 15,
  threadHourlyLimit: 0,
  siteHourlyLimit: 0,
  challenge: 'hold',
  minFillSeconds: 3,
  proofOfWork: 'flood',
  powDifficulty: 16,
  powFloodThreshold: 60,
  spamChecker: 'off',
  spamCheckEmail: false,
  akismetKeySet: false,
};

describe('a site created through the admin API', () => {
  it('gets the abuse defaults, shown on create, on list and in the audit entry', async () => {
    const res = await adminCall(t, 'POST', SITES, owner.bearer, {
      id: 'blog',
      origins: ['https://blog.example'],
    });
    expect(res.status).toBe(201);
    expect(AdminSiteSchema.parse(res.json.site)).toMatchObject(DEFAULTS);
    expect(res.json.site).not.toHaveProperty('akismetKey');

    const listed = await adminCall(t, 'GET', SITES, owner.bearer);
    for (const site of listed.json.sites) expect(AdminSiteSchema.parse(site)).toMatchObject(DEFAULTS);

    const [audit] = (await auditRows('site.create')).filter((row) => row.target_id === 'blog');
    expect(audit?.after).toMatchObject(DEFAULTS);
    expect(await siteRow('blog')).toMatchObject({
      flood_seconds: 15,
      thread_hourly_limit: 0,
      site_hourly_limit: 0,
      challenge: 'hold',
      min_fill_seconds: 3,
      pow_mode: 'flood',
      pow_difficulty: 16,
      pow_flood_threshold: 60,
      spam_checker: 'off',
      akismet_key_enc: null,
      spam_check_email: false,
    });
  });

  it('takes the abuse settings on create as well', async () => {
    const res = await adminCall(t, 'POST', SITES, owner.bearer, {
      id: 'strict',
      origins: ['https://strict.example'],
      floodSeconds: 60,
      challenge: 'require',
      proofOfWork: 'always',
      powDifficulty: 20,
      spamChecker: 'akismet',
      spamCheckEmail: true,
      akismetKey: 'create-key-123',
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json.site).toMatchObject({
      floodSeconds: 60,
      challenge: 'require',
      proofOfWork: 'always',
      powDifficulty: 20,
      spamChecker: 'akismet',
      spamCheckEmail: true,
      akismetKeySet: true,
    });
    expect(JSON.stringify(res.json)).not.toContain('create-key-123');
    const [audit] = (await auditRows('site.create')).filter((row) => row.target_id === 'strict');
    expect(JSON.stringify(audit)).not.toContain('create-key-123');
    expect(audit?.after).toMatchObject({ akismetKeySet: true });
  });
});

describe('PATCH /api/v1/admin/sites/:id with an abuse setting', () => {
  // setting, a value other than the default, the column and how it is stored
  const settings: Array<[string, unknown, string, unknown]> = [
    ['floodSeconds', 0, 'flood_seconds', 0],
    ['floodSeconds', 86_400, 'flood_seconds', 86_400],
    ['threadHourlyLimit', 30, 'thread_hourly_limit', 30],
    ['threadHourlyLimit', 1_000_000, 'thread_hourly_limit', 1_000_000],
    ['siteHourlyLimit', 500, 'site_hourly_limit', 500],
    ['challenge', 'off', 'challenge', 'off'],
    ['challenge', 'require', 'challenge', 'require'],
    ['minFillSeconds', 0, 'min_fill_seconds', 0],
    ['minFillSeconds', 3_600, 'min_fill_seconds', 3_600],
    ['proofOfWork', 'off', 'pow_mode', 'off'],
    ['proofOfWork', 'always', 'pow_mode', 'always'],
    ['powDifficulty', 1, 'pow_difficulty', 1],
    ['powDifficulty', 32, 'pow_difficulty', 32],
    ['powFloodThreshold', 1, 'pow_flood_threshold', 1],
    ['powFloodThreshold', 1_000_000, 'pow_flood_threshold', 1_000_000],
    ['spamChecker', 'akismet', 'spam_checker', 'akismet'],
    ['spamCheckEmail', true, 'spam_check_email', true],
  ];

  it.each(settings)('sets %s to %j, stored and audited', async (setting, value, column, stored) => {
    const res = await adminCall(t, 'PATCH', NEWS, owner.session, { [setting]: value });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.site[setting]).toEqual(value);
    const row = await siteRow();
    expect(row[column as keyof typeof row]).toEqual(stored);
    const [audit] = await auditRows('site.update');
    expect(audit).toMatchObject({
      actor: owner.username,
      before: { [setting]: DEFAULTS[setting as keyof typeof DEFAULTS] },
      after: { [setting]: value },
    });
    // The next read shows it too.
    const listed = await adminCall(t, 'GET', SITES, owner.bearer);
    expect(listed.json.sites[0][setting]).toEqual(value);
  });

  // setting, a value the API refuses, the reason in details.fields
  const refused: Array<[string, unknown, string]> = [
    ['floodSeconds', -1, 'out_of_range'],
    ['floodSeconds', 86_401, 'out_of_range'],
    ['floodSeconds', 1.5, 'invalid'],
    ['floodSeconds', '15', 'invalid'],
    ['floodSeconds', null, 'invalid'],
    ['threadHourlyLimit', -1, 'out_of_range'],
    ['threadHourlyLimit', 1_000_001, 'out_of_range'],
    ['siteHourlyLimit', 1_000_001, 'out_of_range'],
    ['siteHourlyLimit', true, 'invalid'],
    ['challenge', 'strict', 'invalid'],
    ['challenge', 'HOLD', 'invalid'],
    ['challenge', null, 'invalid'],
    ['minFillSeconds', -1, 'out_of_range'],
    ['minFillSeconds', 3_601, 'out_of_range'],
    ['proofOfWork', 'sometimes', 'invalid'],
    ['proofOfWork', true, 'invalid'],
    ['powDifficulty', 0, 'out_of_range'],
    ['powDifficulty', 33, 'out_of_range'],
    ['powFloodThreshold', 0, 'out_of_range'],
    ['powFloodThreshold', 1_000_001, 'out_of_range'],
    ['spamChecker', 'defensio', 'invalid'],
    ['spamCheckEmail', 'yes', 'invalid'],
    ['spamCheckEmail', 1, 'invalid'],
    ['akismetKey', '', 'required'],
    ['akismetKey', '   ', 'required'],
    ['akismetKey', 'k'.repeat(201), 'too_long'],
    ['akismetKey', 'key\u0000', 'invalid_characters'],
    ['akismetKey', 42, 'invalid'],
  ];

  it.each(refused)(
    'refuses %s %j with 422 naming the field, and changes nothing',
    async (setting, value, reason) => {
      const before = await siteRow();
      const res = await adminCall(t, 'PATCH', NEWS, owner.bearer, { [setting]: value });
      expect(res.status).toBe(422);
      expect(res.json.error.code).toBe('validation_failed');
      expect(res.json.error.details.fields).toEqual({ [setting]: reason });
      expect(await siteRow()).toEqual(before);
      expect(await auditRows('site.update')).toEqual([]);
    },
  );

  it.each(refused)('refuses %s %j on create too', async (setting, value, reason) => {
    const res = await adminCall(t, 'POST', SITES, owner.bearer, {
      id: 'refused',
      origins: ['https://refused.example'],
      [setting]: value,
    });
    expect(res.status).toBe(422);
    expect(res.json.error.details.fields).toEqual({ [setting]: reason });
  });

  it('refuses akismetKeySet, which can only be read', async () => {
    const res = await adminCall(t, 'PATCH', NEWS, owner.bearer, { akismetKeySet: true });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('validation_failed');
    expect((await siteRow()).akismet_key_enc).toBeNull();
  });

  it('changes several settings in one request, and reports every bad one at once', async () => {
    const bad = await adminCall(t, 'PATCH', NEWS, owner.bearer, {
      floodSeconds: -5,
      challenge: 'maybe',
      powDifficulty: 99,
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details.fields).toEqual({
      floodSeconds: 'out_of_range',
      challenge: 'invalid',
      powDifficulty: 'out_of_range',
    });
    const good = await adminCall(t, 'PATCH', NEWS, owner.bearer, {
      floodSeconds: 5,
      threadHourlyLimit: 10,
      siteHourlyLimit: 100,
      minFillSeconds: 2,
    });
    expect(good.status).toBe(200);
    expect(good.json.site).toMatchObject({
      ...DEFAULTS,
      floodSeconds: 5,
      threadHourlyLimit: 10,
      siteHourlyLimit: 100,
      minFillSeconds: 2,
    });
  });
});

describe('the Akismet key', () => {
  const KEY = 'a1b2c3d4e5f6';

  /** Everything the API and the audit log show of the site, as one text. */
  async function everythingShown(): Promise<string> {
    const listed = await adminCall(t, 'GET', SITES, owner.bearer);
    const audit = await adminCall(t, 'GET', '/api/v1/admin/audit', owner.bearer);
    expect(audit.status).toBe(200);
    const rows = await t.db.selectFrom('audit_log').selectAll().execute();
    return JSON.stringify([listed.json, audit.json, rows]) + t.logs.text;
  }

  it('is stored sealed and never shown: not in the answer, a list, the audit log or the logs', async () => {
    const res = await adminCall(t, 'PATCH', NEWS, owner.session, { akismetKey: KEY, spamChecker: 'akismet' });
    expect(res.status).toBe(200);
    expect(res.json.site).toMatchObject({ akismetKeySet: true, spamChecker: 'akismet' });
    expect(res.json.site).not.toHaveProperty('akismetKey');
    expect(JSON.stringify(res.json)).not.toContain(KEY);
    expect(await everythingShown()).not.toContain(KEY);

    const sealed = Buffer.from((await siteRow()).akismet_key_enc as Uint8Array);
    expect(sealed.includes(Buffer.from(KEY))).toBe(false);
    expect(openAkismetKey(t.keys, sealed)).toBe(KEY);

    const [audit] = await auditRows('site.update');
    expect(audit?.before).toMatchObject({ akismetKeySet: false, spamChecker: 'off' });
    expect(audit?.after).toMatchObject({ akismetKeySet: true, spamChecker: 'akismet' });
    expect(audit?.after).not.toHaveProperty('akismetKey');
  });

  it('is trimmed, replaced by a new one, and removed by null', async () => {
    await adminCall(t, 'PATCH', NEWS, owner.bearer, { akismetKey: `  ${KEY}  ` });
    expect(openAkismetKey(t.keys, (await siteRow()).akismet_key_enc)).toBe(KEY);

    const replaced = await adminCall(t, 'PATCH', NEWS, owner.bearer, { akismetKey: 'second-key-0001' });
    expect(replaced.json.site.akismetKeySet).toBe(true);
    expect(openAkismetKey(t.keys, (await siteRow()).akismet_key_enc)).toBe('second-key-0001');

    const removed = await adminCall(t, 'PATCH', NEWS, owner.bearer, { akismetKey: null });
    expect(removed.status).toBe(200);
    expect(removed.json.site.akismetKeySet).toBe(false);
    expect((await siteRow()).akismet_key_enc).toBeNull();
    const audits = await auditRows('site.update');
    expect(
      audits.map((row) => [row.before, row.after].map((s) => (s as typeof DEFAULTS).akismetKeySet)),
    ).toEqual([
      [false, true],
      [true, true],
      [true, false],
    ]);
    expect(await everythingShown()).not.toMatch(new RegExp(`${KEY}|second-key-0001`));
  });

  it('stays as it is when a request changes other settings', async () => {
    await adminCall(t, 'PATCH', NEWS, owner.bearer, { akismetKey: KEY });
    const res = await adminCall(t, 'PATCH', NEWS, owner.bearer, { spamCheckEmail: true });
    expect(res.json.site).toMatchObject({ akismetKeySet: true, spamCheckEmail: true });
    expect(openAkismetKey(t.keys, (await siteRow()).akismet_key_enc)).toBe(KEY);
  });
});

describe('who may change the abuse settings', () => {
  const changes: Array<[string, unknown]> = [
    ['floodSeconds', 0],
    ['threadHourlyLimit', 5],
    ['siteHourlyLimit', 5],
    ['challenge', 'off'],
    ['minFillSeconds', 0],
    ['proofOfWork', 'off'],
    ['powDifficulty', 8],
    ['powFloodThreshold', 10],
    ['spamChecker', 'akismet'],
    ['spamCheckEmail', true],
    ['akismetKey', 'moderator-key'],
    ['akismetKey', null],
  ];

  it.each(changes)(
    'a moderator of the site, not an owner: %s → 403, nothing changed',
    async (setting, value) => {
      const before = await siteRow();
      for (const headers of [moderator.bearer, moderator.session]) {
        const res = await adminCall(t, 'PATCH', NEWS, headers, { [setting]: value });
        expect(res.status).toBe(403);
        expect(res.json.error.code).toBe('forbidden');
      }
      expect(await siteRow()).toEqual(before);
      expect(await auditRows('site.update')).toEqual([]);
    },
  );

  it('a moderator reads the settings, and whether a key is set, but never the key', async () => {
    await adminCall(t, 'PATCH', NEWS, owner.bearer, { akismetKey: 'owner-only-key' });
    const res = await adminCall(t, 'GET', SITES, moderator.bearer);
    expect(res.status).toBe(200);
    expect(res.json.sites).toEqual([
      expect.objectContaining({ ...DEFAULTS, id: 'news', akismetKeySet: true }),
    ]);
    expect(JSON.stringify(res.json)).not.toContain('owner-only-key');
  });

  it('nobody signed out', async () => {
    expect((await adminCall(t, 'PATCH', NEWS, {}, { floodSeconds: 0 })).status).toBe(401);
    expect((await siteRow()).flood_seconds).toBe(15);
  });
});
