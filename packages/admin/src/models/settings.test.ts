import type { AdminSite } from '@hiwar/protocol';
import { HiwarError } from '@hiwar/sdk';
import { describe, expect, it, vi } from 'vitest';
import type { AdminClient } from './api.js';
import {
  changesOf,
  createSettingsModel,
  draftOf,
  type EditableSite,
  hasAbuseSettings,
  sentToSpamChecker,
  wordsOf,
} from './settings.js';

function site(overrides: Partial<AdminSite> = {}): AdminSite {
  return {
    id: 'news',
    origins: ['https://news.example'],
    moderation: 'first-time',
    editWindowMinutes: 15,
    maxDepth: 5,
    lang: 'ar',
    autoCloseDays: 0,
    holdLinks: 2,
    holdWords: [],
    rejectWords: [],
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
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function fakeClient(overrides: Partial<AdminClient>): AdminClient {
  return overrides as AdminClient;
}

const invalid = (fields: Record<string, string>) =>
  new HiwarError({ code: 'validation_failed', status: 422, details: { fields: fields as never } });

describe('wordsOf', () => {
  it('takes one word or phrase a line, trimmed, without blanks or repeats', () => {
    expect(wordsOf(' كازينو \n\nربح سريع\r\nكازينو\n  ')).toEqual(['كازينو', 'ربح سريع']);
  });
});

describe('changesOf', () => {
  it('sends only the settings that changed', () => {
    const current = site({ holdWords: ['a'] });
    const draft = { ...draftOf(current), moderation: 'all' as const, holdWords: 'a\nب', maxDepth: '5' };

    expect(changesOf(current, draft)).toEqual({ body: { moderation: 'all', holdWords: ['a', 'ب'] } });
  });

  it('sends nothing for an untouched draft', () => {
    expect(changesOf(site(), draftOf(site()))).toEqual({ body: {} });
  });

  it('leaves out a setting an older server did not send, unless one is typed', () => {
    const { holdLinks: _, ...rest } = site();
    const old: EditableSite = rest;

    expect(changesOf(old, draftOf(old))).toEqual({ body: {} });
    expect(changesOf(old, { ...draftOf(old), holdLinks: '3' })).toEqual({ body: { holdLinks: 3 } });
  });

  it('sends the abuse settings that changed, numbers as numbers', () => {
    const draft = {
      ...draftOf(site()),
      floodSeconds: '0',
      threadHourlyLimit: ' 40 ',
      challenge: 'require' as const,
      proofOfWork: 'always' as const,
      powDifficulty: '20',
      spamChecker: 'akismet' as const,
      spamCheckEmail: true,
    };

    expect(changesOf(site(), draft)).toEqual({
      body: {
        floodSeconds: 0,
        threadHourlyLimit: 40,
        challenge: 'require',
        proofOfWork: 'always',
        powDifficulty: 20,
        spamChecker: 'akismet',
        spamCheckEmail: true,
      },
    });
  });

  it('sends a typed Akismet key trimmed, null to remove a stored one, and otherwise no key', () => {
    const withKey = site({ akismetKeySet: true });

    expect(draftOf(withKey).akismetKey).toBe('');
    expect(changesOf(withKey, draftOf(withKey))).toEqual({ body: {} });
    expect(changesOf(site(), { ...draftOf(site()), akismetKey: '  abc123  ' })).toEqual({
      body: { akismetKey: 'abc123' },
    });
    expect(changesOf(withKey, { ...draftOf(withKey), removeAkismetKey: true })).toEqual({
      body: { akismetKey: null },
    });
    // Nothing to remove, and a new key typed wins over removing the old one.
    expect(changesOf(site(), { ...draftOf(site()), removeAkismetKey: true })).toEqual({ body: {} });
    expect(
      changesOf(withKey, { ...draftOf(withKey), removeAkismetKey: true, akismetKey: 'new-key' }),
    ).toEqual({ body: { akismetKey: 'new-key' } });
  });

  it('leaves out the abuse settings of a server older than them', () => {
    const {
      floodSeconds: _1,
      threadHourlyLimit: _2,
      siteHourlyLimit: _3,
      challenge: _4,
      minFillSeconds: _5,
      proofOfWork: _6,
      powDifficulty: _7,
      powFloodThreshold: _8,
      spamChecker: _9,
      spamCheckEmail: _10,
      akismetKeySet: _11,
      ...rest
    } = site();
    const old: EditableSite = rest;

    expect(hasAbuseSettings(old)).toBe(false);
    expect(hasAbuseSettings(site())).toBe(true);
    expect(changesOf(old, { ...draftOf(old), challenge: 'off', spamChecker: 'akismet' })).toEqual({
      body: {},
    });
  });

  it('refuses abuse numbers that are not whole numbers, leaving the range to the server', () => {
    const draft = { ...draftOf(site()), floodSeconds: '1.5', powDifficulty: '', siteHourlyLimit: 'x' };

    expect(changesOf(site(), draft)).toEqual({
      errors: { floodSeconds: 'invalid', powDifficulty: 'required', siteHourlyLimit: 'invalid' },
    });
    expect(changesOf(site(), { ...draftOf(site()), powDifficulty: '99' })).toEqual({
      body: { powDifficulty: 99 },
    });
  });

  it('refuses numbers that are not whole numbers before asking the server', () => {
    const draft = { ...draftOf(site()), editWindowMinutes: '1.5', maxDepth: '', autoCloseDays: '-3' };

    expect(changesOf(site(), draft)).toEqual({
      errors: { editWindowMinutes: 'invalid', maxDepth: 'required', autoCloseDays: 'invalid' },
    });
  });
});

describe('sentToSpamChecker', () => {
  it('lists what the spam checker receives, the email only when the owner allows it', () => {
    expect(sentToSpamChecker(false)).toEqual(['text', 'name', 'website', 'ip', 'userAgent', 'page']);
    expect(sentToSpamChecker(true)).toEqual(['text', 'name', 'website', 'ip', 'userAgent', 'page', 'email']);
  });
});

describe('createSettingsModel', () => {
  it('forgets a typed Akismet key once it is saved, keeping only that one is set', async () => {
    const updateSite = vi.fn(async () => ({ site: site({ akismetKeySet: true, spamChecker: 'akismet' }) }));
    const model = createSettingsModel(
      fakeClient({ listSites: async () => ({ sites: [site()] }), updateSite }),
    );
    await model.load();

    model.update({ spamChecker: 'akismet', akismetKey: 'secret-key-1' });
    await expect(model.save()).resolves.toBe('saved');

    expect(updateSite).toHaveBeenCalledWith('news', { spamChecker: 'akismet', akismetKey: 'secret-key-1' });
    expect(model.draft.value).toMatchObject({
      akismetKey: '',
      removeAkismetKey: false,
      spamChecker: 'akismet',
    });
    expect(model.selected.value?.akismetKeySet).toBe(true);
    expect(JSON.stringify([model.sites.value, model.draft.value])).not.toContain('secret-key-1');
  });

  it('puts a refused abuse setting’s reason on its field', async () => {
    const model = createSettingsModel(
      fakeClient({
        listSites: async () => ({ sites: [site()] }),
        updateSite: async () => {
          throw invalid({ powDifficulty: 'out_of_range', akismetKey: 'too_long' });
        },
      }),
    );
    await model.load();
    model.update({ powDifficulty: '40', akismetKey: 'k'.repeat(300) });

    await expect(model.save()).resolves.toBe('invalid');
    expect(model.errors.value).toEqual({ powDifficulty: 'out_of_range', akismetKey: 'too_long' });
    model.update({ akismetKey: '' });
    expect(model.errors.value).toEqual({ powDifficulty: 'out_of_range' });
  });

  it('loads the sites and edits the first', async () => {
    const model = createSettingsModel(
      fakeClient({ listSites: async () => ({ sites: [site(), site({ id: 'blog' })] }) }),
    );

    await model.load();

    expect(model.selectedId.value).toBe('news');
    expect(model.draft.value?.origins).toEqual(['https://news.example']);
  });

  it('saves the changes and takes the server’s answer as the new state', async () => {
    const updateSite = vi.fn(async (_id: string, body: object) => ({ site: site({ ...body }) }));
    const model = createSettingsModel(
      fakeClient({ listSites: async () => ({ sites: [site()] }), updateSite }),
    );
    await model.load();

    model.update({ moderation: 'all' });
    expect(model.addOrigin(' https://m.news.example ')).toBe(true);
    expect(model.addOrigin('https://m.news.example')).toBe(false);

    await expect(model.save()).resolves.toBe('saved');
    expect(updateSite).toHaveBeenCalledWith('news', {
      origins: ['https://news.example', 'https://m.news.example'],
      moderation: 'all',
    });
    expect(model.selected.value?.moderation).toBe('all');
    await expect(model.save()).resolves.toBe('unchanged');
  });

  it('puts each origin’s reason from validation_failed on that origin, and word reasons on their list', async () => {
    const model = createSettingsModel(
      fakeClient({
        listSites: async () => ({ sites: [site()] }),
        updateSite: async () => {
          throw invalid({ 'origins.1': 'invalid_url', 'holdWords.4': 'too_long' });
        },
      }),
    );
    await model.load();
    model.addOrigin('not a url');
    model.update({ holdWords: 'x' });

    await expect(model.save()).resolves.toBe('invalid');
    expect(model.errors.value).toEqual({ 'origins.1': 'invalid_url', holdWords: 'too_long' });

    model.removeOrigin(1);
    expect(model.errors.value).toEqual({ holdWords: 'too_long' });
  });

  it('hands back any other failure whole', async () => {
    const failure = new HiwarError({ code: 'forbidden', status: 403 });
    const model = createSettingsModel(
      fakeClient({
        listSites: async () => ({ sites: [site()] }),
        updateSite: async () => {
          throw failure;
        },
      }),
    );
    await model.load();
    model.update({ lang: 'en' });

    await expect(model.save()).resolves.toEqual({ error: failure });
    expect(model.saving.value).toBe(false);
  });

  it('creates a site with its origins one a line and selects it', async () => {
    const createSite = vi.fn(async (body: { id: string; origins: string[] }) => ({ site: site(body) }));
    const model = createSettingsModel(
      fakeClient({ listSites: async () => ({ sites: [site()] }), createSite }),
    );
    await model.load();

    await expect(
      model.create({ id: ' blog ', origins: 'https://blog.example\n\n', moderation: 'all', lang: 'en' }),
    ).resolves.toEqual({ ok: true });
    expect(createSite).toHaveBeenCalledWith({
      id: 'blog',
      origins: ['https://blog.example'],
      moderation: 'all',
      lang: 'en',
    });
    expect(model.sites.value.map((s) => s.id)).toEqual(['blog', 'news']);
    expect(model.selectedId.value).toBe('blog');
  });

  it('refuses a new site without id or origins, and shows the server’s reasons', async () => {
    const model = createSettingsModel(
      fakeClient({
        createSite: async () => {
          throw invalid({ id: 'invalid' });
        },
      }),
    );

    await expect(model.create({ id: '', origins: ' ', moderation: 'none', lang: 'ar' })).resolves.toEqual({
      errors: { id: 'required', origins: 'required' },
    });
    await expect(
      model.create({ id: 'News!', origins: 'https://a.example', moderation: 'none', lang: 'ar' }),
    ).resolves.toEqual({ errors: { id: 'invalid' } });
  });

  it('keeps the load failure for the screen to show', async () => {
    const failure = new HiwarError({ code: 'unavailable', status: 0 });
    const model = createSettingsModel(
      fakeClient({
        listSites: async () => {
          throw failure;
        },
      }),
    );

    await model.load();

    expect(model.loadError.value).toBe(failure);
    expect(model.loaded.value).toBe(false);
  });
});
