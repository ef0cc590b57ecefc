import { HiwarError } from '@hiwar/sdk';
import { describe, expect, it, vi } from 'vitest';
import type { AdminClient } from './api.js';
import { changesOf, createSettingsModel, draftOf, type EditableSite, wordsOf } from './settings.js';

function site(overrides: Partial<EditableSite> = {}): EditableSite {
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
    const old = rest as EditableSite;

    expect(changesOf(old, draftOf(old))).toEqual({ body: {} });
    expect(changesOf(old, { ...draftOf(old), holdLinks: '3' })).toEqual({ body: { holdLinks: 3 } });
  });

  it('refuses numbers that are not whole numbers before asking the server', () => {
    const draft = { ...draftOf(site()), editWindowMinutes: '1.5', maxDepth: '', autoCloseDays: '-3' };

    expect(changesOf(site(), draft)).toEqual({
      errors: { editWindowMinutes: 'invalid', maxDepth: 'required', autoCloseDays: 'invalid' },
    });
  });
});

describe('createSettingsModel', () => {
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
