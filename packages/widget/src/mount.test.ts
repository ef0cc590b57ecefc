// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadMessages } from './i18n/locale.js';
import { mount } from './mount.js';
import { type FakeApi, fakeApi, solves } from './test-support/fake-api.js';

vi.mock('./i18n/locale.js', async (actual) => {
  const locale = await actual<typeof import('./i18n/locale.js')>();
  return { ...locale, loadMessages: vi.fn(locale.loadMessages) };
});
/** Counts the loads of the solver's chunk and its runs. */
const solver = vi.hoisted(() => ({ loads: 0, runs: 0 }));
vi.mock('./pow.js', async (actual) => {
  solver.loads += 1;
  const pow = await actual<typeof import('./pow.js')>();
  return {
    solveProofOfWork: (...args: Parameters<typeof pow.solveProofOfWork>) => {
      solver.runs += 1;
      return pow.solveProofOfWork(...args);
    },
  };
});

const URL_ = 'https://news.example/a/1';
let api: FakeApi;

beforeEach(() => {
  vi.mocked(loadMessages).mockClear();
  api = fakeApi();
  vi.stubGlobal('fetch', api.fetch);
  localStorage.clear();
  document.documentElement.lang = '';
  document.body.innerHTML = '<div data-hiwar></div>';
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const host = () => document.querySelector<HTMLElement>('[data-hiwar]') as HTMLElement;
const shadow = () => host().shadowRoot as ShadowRoot;
const $ = (selector: string) => shadow().querySelector<HTMLElement>(selector);
const $$ = (selector: string) => [...shadow().querySelectorAll<HTMLElement>(selector)];
const ready = () =>
  new Promise<CustomEvent>((resolve) =>
    host().addEventListener('hiwar:ready', (e) => resolve(e as CustomEvent), { once: true }),
  );
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('mount', () => {
  it('renders the thread in an open shadow root, in Arabic, and says when it is ready', async () => {
    api.add({
      author: {
        name: '\u202Eسلمى',
        website: 'javascript:alert(1)',
        avatar: '/api/v1/avatars/a.svg',
        moderator: true,
      },
    });
    api.add({ parentId: '1', status: 'approved' });
    const isReady = ready();
    const widget = mount(host(), { site: 'news', url: URL_, baseUrl: 'https://comments.example' });

    const event = await isReady;
    await settle();
    expect(event.detail).toEqual({ commentCount: 2 });
    expect(event.bubbles && event.composed).toBe(true);
    const root = $('section[part="root"]');
    expect([root?.getAttribute('dir'), root?.getAttribute('lang')]).toEqual(['rtl', 'ar']);
    expect($('h2[part="heading"]')?.textContent).toBe('تعليقان');
    expect($('[part="sort"]')?.tagName).toBe('SELECT');
    expect($$('ol[part="thread"] > li > article').map((a) => a.id)).toEqual(['comment-1']);
    expect($('#comment-1')?.getAttribute('part')).toBe('comment moderator');
    expect($('#comment-2')?.closest('ol')?.getAttribute('part')).toBe('replies');
    // Names are isolated, and a website that is not http(s) is not linked.
    expect($('#comment-1 [part="author"]')?.tagName).toBe('BDI');
    expect($('#comment-1 [part="author"] a')).toBeNull();
    expect($('#comment-1 img')?.getAttribute('src')).toBe('https://comments.example/api/v1/avatars/a.svg');
    expect($('#comment-1 [part="body"]')?.getAttribute('dir')).toBe('auto');
    expect($('#comment-1 time')?.getAttribute('datetime')).toMatch(/^2025-03-01T10:00/);
    expect($('form[part="form"] h3')?.textContent).toBe('اترك تعليقاً');
    expect($('[part="status"]')?.getAttribute('role')).toBe('status');
    expect(shadow().adoptedStyleSheets).toHaveLength(1);
    expect(shadow().querySelector('style, [style]')).toBeNull();
    widget.destroy();
    expect(shadow().childNodes).toHaveLength(0);
  });

  it('ties field errors to their fields and moves focus to the first', async () => {
    const isReady = ready();
    mount(host(), { site: 'news', url: URL_, baseUrl: 'https://comments.example', lang: 'en' });
    await isReady;
    await settle();
    const email = $('#hiwar-email') as HTMLInputElement;
    expect(email.getAttribute('dir')).toBe('ltr');
    expect($('label[for="hiwar-email"]')?.textContent).toBe('Email * (required)');
    expect($('label[for="hiwar-email"] [aria-hidden="true"]')?.textContent).toBe(' *');

    ($('button[part="submit"]') as HTMLButtonElement).click();
    await settle();

    const body = $('#hiwar-body') as HTMLTextAreaElement;
    expect(body.getAttribute('aria-invalid')).toBe('true');
    const error = $(`#${body.getAttribute('aria-describedby')}`);
    expect(error?.getAttribute('part')).toBe('field-error');
    expect(error?.textContent).toBe('This field is required.');
    // Focus moves after a zero-delay timer, which a busy machine may run late.
    await vi.waitFor(() => expect(shadow().activeElement).toBe(body));
  });

  it('posts, shows the comment at once, announces it and fires hiwar:posted', async () => {
    const isReady = ready();
    mount(host(), { site: 'news', url: URL_, baseUrl: 'https://comments.example', lang: 'en' });
    await isReady;
    await settle();
    const type = (selector: string, value: string) => {
      const el = $(selector) as HTMLInputElement;
      el.value = value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    };
    type('#hiwar-body', 'Hello');
    type('#hiwar-name', 'Jane');
    type('#hiwar-email', 'jane@example.com');
    const posted = new Promise<CustomEvent>((resolve) =>
      host().addEventListener('hiwar:posted', (e) => resolve(e as CustomEvent), { once: true }),
    );
    ($('button[part="submit"]') as HTMLButtonElement).click();

    expect((await posted).detail).toEqual({ id: '1', status: 'approved' });
    await settle();
    expect($('#comment-1 [part="body"]')?.textContent).toBe('Hello');
    expect($('[part="status"]')?.textContent).toBe('Your comment has been posted.');
    expect($('h2')?.textContent).toBe('1 comment');
    expect(($('#hiwar-body') as HTMLTextAreaElement).value).toBe('');
  });

  it('loads the proof-of-work solver only when the form token carries a puzzle', async () => {
    const type = (selector: string, value: string) => {
      const el = $(selector) as HTMLInputElement;
      el.value = value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    };
    const postOnce = async () => {
      const isReady = ready();
      const widget = mount(host(), {
        site: 'news',
        url: URL_,
        baseUrl: 'https://comments.example',
        lang: 'en',
      });
      await isReady;
      await settle();
      // The reader starts typing: the form token is asked for then.
      $('#hiwar-body')?.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
      await vi.waitFor(() => expect(api.challengeRequests()).toHaveLength(1));
      type('#hiwar-body', 'Hello');
      type('#hiwar-name', 'Jane');
      type('#hiwar-email', 'jane@example.com');
      ($('button[part="submit"]') as HTMLButtonElement).click();
      await vi.waitFor(() => expect($('[part="status"]')?.textContent).toBe('Your comment has been posted.'));
      widget.destroy();
      return api.requests.find((r) => r.method === 'POST')?.body as Record<string, unknown>;
    };

    // (A module is loaded once per test file: no other test here gets a puzzle.)
    const before = { ...solver };
    api = fakeApi({ challenge: 'require' });
    vi.stubGlobal('fetch', api.fetch);
    expect(await postOnce()).toMatchObject({ formToken: 'form-1', homepage: '' });
    expect(solver).toEqual(before);
    expect(before.loads).toBe(0);

    document.body.innerHTML = '<div data-hiwar></div>';
    api = fakeApi({ challenge: 'require', pow: 8 });
    vi.stubGlobal('fetch', api.fetch);
    const sent = await postOnce();
    expect(solves('form-1', sent.proof as string, 8)).toBe(true);
    expect(solver.loads).toBe(1);
    // That token's puzzle, and then the next token's (a token is single use).
    expect(solver.runs).toBeGreaterThanOrEqual(1);
  });

  it('loads the controls for editing one’s own comment once there is one to edit', async () => {
    api = fakeApi({ now: Date.now }); // the edit window starts now, on the widget's clock
    vi.stubGlobal('fetch', api.fetch);
    const isReady = ready();
    mount(host(), { site: 'news', url: URL_, baseUrl: 'https://comments.example', lang: 'en' });
    await isReady;
    await settle();
    const fields: [string, string][] = [
      ['#hiwar-body', 'Hello'],
      ['#hiwar-name', 'Jane'],
      ['#hiwar-email', 'jane@example.com'],
    ];
    for (const [selector, value] of fields) {
      const el = $(selector) as HTMLInputElement;
      el.value = value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }
    expect($('[data-edit]')).toBeNull();

    ($('button[part="submit"]') as HTMLButtonElement).click();

    await vi.waitFor(() => expect($('#comment-1 [data-edit]')?.textContent).toBe('Edit'));
    ($('#comment-1 [data-edit]') as HTMLButtonElement).click();
    await settle();
    expect(($('#hiwar-edit-1') as HTMLTextAreaElement).value).toBe('Hello');
  });

  it('shows a localized error with a retry when the server is down, then the thread', async () => {
    api.add();
    api.failNext(); // the widget's client tries a read twice
    api.failNext();
    mount(host(), { site: 'news', url: URL_, baseUrl: 'https://comments.example' });
    await vi.waitFor(() => expect($('[part="load-error"]')).not.toBeNull(), { timeout: 5000 });
    const failure = $('[part="load-error"]');
    expect(failure?.getAttribute('role')).toBe('alert');
    expect(failure?.textContent).toContain('تعذّر الاتصال بخادم التعليقات');
    const isReady = ready();
    failure?.querySelector('button')?.click();
    await isReady;
    await settle();
    expect($('[part="load-error"]')).toBeNull();
    expect($$('article')).toHaveLength(1);
  });

  it('follows the page language, and changes language and theme on update', async () => {
    document.documentElement.lang = 'en-GB';
    const isReady = ready();
    const widget = mount(host(), {
      site: 'news',
      url: URL_,
      baseUrl: 'https://comments.example',
      theme: 'dark',
    });
    await isReady;
    await settle();
    expect($('section')?.getAttribute('lang')).toBe('en');
    expect($('section')?.getAttribute('data-theme')).toBe('dark');

    widget.update({ lang: 'ar', theme: 'light' });
    await settle();
    expect($('section')?.getAttribute('dir')).toBe('rtl');
    expect($('section')?.getAttribute('data-theme')).toBe('light');
    expect(api.requests.filter((r) => r.url.pathname === '/api/v1/threads')).toHaveLength(1);

    widget.update({ url: 'https://news.example/a/2' });
    await settle();
    expect(api.requests.at(-1)?.url.searchParams.get('url')).toBe('https://news.example/a/2');
  });

  it('downloads the messages of one language: the site’s, when the page names none', async () => {
    api = fakeApi({ siteLang: 'en' });
    vi.stubGlobal('fetch', api.fetch);
    api.add();
    const isReady = ready();
    mount(host(), { site: 'news', url: URL_, baseUrl: 'https://comments.example' });
    expect(shadow().childNodes).toHaveLength(0); // no words before the language is known
    await isReady;
    await settle();
    expect($('h2')?.textContent).toBe('1 comment');
    expect(vi.mocked(loadMessages).mock.calls).toEqual([['en']]);
  });

  it('reports a missing site on the console instead of throwing', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => mount(host(), { site: '' })).not.toThrow();
    expect(error.mock.calls[0]?.[0]).toMatch(/^Hiwar: /);
  });
});
