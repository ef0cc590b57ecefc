// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const requests: URL[] = [];

async function runCount(attributes: Record<string, string>, counts: Record<string, number>) {
  vi.stubGlobal('fetch', async (input: URL) => {
    requests.push(new URL(String(input)));
    return new Response(JSON.stringify({ counts }), { headers: { 'Content-Type': 'application/json' } });
  });
  const script = document.createElement('script');
  script.type = 'text/plain'; // read by the code under test, never loaded by the test DOM
  script.src = 'https://comments.example/count.js';
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  document.body.append(script);
  Object.defineProperty(document, 'currentScript', { value: script, configurable: true });
  vi.resetModules();
  await import('./count.js');
}

beforeEach(() => {
  requests.length = 0;
  document.documentElement.lang = '';
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('count.js', () => {
  it('fills every counter from one request, in Arabic by default', async () => {
    const base = location.href;
    const a = new URL('/a/1', base).href;
    const b = new URL('/a/2', base).href;
    document.body.innerHTML = `
      <a data-hiwar-count="/a/1">…</a>
      <span data-hiwar-count="${a}">…</span>
      <span data-hiwar-count="/a/2">…</span>
      <span data-hiwar-count data-hiwar-id="post-9">…</span>
      <span data-hiwar-count="/a/3">unchanged</span>`;
    await runCount({ 'data-site': 'news' }, { [a]: 11, [b]: 2, 'post-9': 0 });

    await vi.waitFor(() =>
      expect(document.querySelectorAll('[data-hiwar-count]')[0]?.textContent).toBe('11 تعليقًا'),
    );
    expect([...document.querySelectorAll('[data-hiwar-count]')].map((el) => el.textContent)).toEqual([
      '11 تعليقًا',
      '11 تعليقًا',
      'تعليقان',
      'لا توجد تعليقات',
      'unchanged',
    ]);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.pathname).toBe('/api/v1/counts');
    expect(requests[0]?.searchParams.get('site')).toBe('news');
    expect(requests[0]?.searchParams.getAll('url')).toEqual([a, b, new URL('/a/3', base).href]);
    expect(requests[0]?.searchParams.getAll('id')).toEqual(['post-9']);
  });

  it('speaks the language of data-lang, else of the page', async () => {
    document.body.innerHTML = '<span data-hiwar-count data-hiwar-id="x"></span>';
    document.documentElement.lang = 'en';
    await runCount({ 'data-site': 'news' }, { x: 1 });
    await vi.waitFor(() => expect(document.querySelector('span')?.textContent).toBe('1 comment'));

    document.body.innerHTML = '<span data-hiwar-count data-hiwar-id="x"></span>';
    await runCount({ 'data-site': 'news', 'data-lang': 'ar' }, { x: 3 });
    await vi.waitFor(() => expect(document.querySelector('span')?.textContent).toBe('3 تعليقات'));
  });
});
