/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hiwar, waitReady } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { post } from './support/seed.js';

const h = useHarness();

interface Handle {
  update(options: object): void;
  destroy(): void;
}
declare global {
  interface Window {
    __widgets: Handle[];
    __hiwar: { mount(el: Element | null, options: object): Handle };
  }
}

/**
 * `import()` of the module entry in the page, as a single-page app does. (Written as
 * a string: Vitest rewrites `import()` inside the test's own functions.)
 */
async function importModule(page: Page): Promise<void> {
  const entry = JSON.stringify(`${hiwar().url}/hiwar.js`);
  await page.evaluate(`import(${entry}).then((module) => { window.__hiwar = module; })`);
}

/** The event listeners on `window`, `document` and the three mount elements, by type, through the DevTools protocol. */
async function listeners(page: Page): Promise<Record<string, string[]>> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const out: Record<string, string[]> = {};
    for (const expression of [
      'window',
      'document',
      ...[0, 1, 2].map((i) => `document.querySelectorAll('.w')[${i}]`),
    ]) {
      const { result } = await cdp.send('Runtime.evaluate', { expression });
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', {
        objectId: result.objectId ?? '',
      });
      out[expression] = listeners.map((listener) => listener.type).sort();
    }
    return out;
  } finally {
    await cdp.detach();
  }
}

describe('the ES module API: mount(el, options) → { update, destroy }', () => {
  it('mounts three widgets on one page, updates one, and destroy() leaves no shadow content, listener or request', async () => {
    const threads = [1, 2, 3].map((i) => `${h.host.origin}${uniquePath(`spa-${i}`)}`);
    await post('news', threads[0] ?? '', 'تعليق على المقال الأول.');
    const url = h.host.serve(
      uniquePath('spa'),
      `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>تطبيق صفحة واحدة</title></head>
<body><main><h1>تطبيق صفحة واحدة</h1><div class="w"></div><div class="w"></div><div class="w"></div></main></body></html>`,
    );
    const page = await h.context.newPage();
    const apiRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/')) apiRequests.push(request.url());
    });
    await page.goto(url);
    const before = await listeners(page);

    await importModule(page);
    await page.evaluate((threads) => {
      const els = [...document.querySelectorAll<HTMLElement>('.w')];
      window.__widgets = els.map((el, i) =>
        window.__hiwar.mount(el, {
          site: 'news',
          url: threads[i],
          lang: i === 2 ? 'en' : undefined,
          theme: i === 1 ? 'dark' : 'light',
        }),
      );
    }, threads);
    await waitReady(page, 3);

    const shown = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('.w')].map((el) => ({
          lang: el.shadowRoot?.querySelector('[part~="root"]')?.getAttribute('lang'),
          heading: el.shadowRoot?.querySelector('[part~="heading"]')?.textContent,
          forms: el.shadowRoot?.querySelectorAll('[part~="form"]').length,
        })),
      );
    expect(await shown()).toEqual([
      { lang: 'ar', heading: 'تعليق واحد', forms: 1 },
      { lang: 'ar', heading: 'لا توجد تعليقات', forms: 1 },
      { lang: 'en', heading: 'No comments', forms: 1 },
    ]);
    // Ids inside each shadow root do not clash with the other widgets' (each form has its own labels).
    await expect(page.getByRole('textbox', { name: /^التعليق/ }).count()).resolves.toBe(2);

    // The measure sees the widgets' own listeners (the permalink's hashchange, at least).
    expect(await listeners(page)).not.toEqual(before);

    // update(): the second widget moves to the first article's thread.
    await page.evaluate((first) => window.__widgets[1]?.update({ url: first }), threads[0]);
    await waitReady(page, 4);
    expect((await shown())[1]).toEqual({ lang: 'ar', heading: 'تعليق واحد', forms: 1 });

    await page.evaluate(() => {
      for (const widget of window.__widgets) widget.destroy();
    });
    const after = await page.evaluate(() =>
      [...document.querySelectorAll('.w')].map((el) => el.shadowRoot?.childNodes.length ?? 0),
    );
    expect(after).toEqual([0, 0, 0]);
    expect(await listeners(page)).toEqual(before);

    // Nothing is left listening: a permalink and some time bring no request.
    apiRequests.length = 0;
    await page.evaluate(() => {
      location.hash = '#comment-1';
    });
    await page.waitForTimeout(1000);
    expect(apiRequests).toEqual([]);
  });

  it('reports a mistake in the options on the console with a Hiwar: prefix instead of throwing', async () => {
    const url = h.host.serve(
      uniquePath('spa-mistake'),
      '<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>خطأ</title></head><body><div class="w"></div></body></html>',
    );
    const page = await h.context.newPage();
    const messages: string[] = [];
    page.on('console', (message) => messages.push(`${message.type()}: ${message.text()}`));
    await page.goto(url);
    await importModule(page);
    const threw = await page.evaluate(() => {
      try {
        window.__hiwar.mount(document.querySelector('.w'), {});
        return false;
      } catch {
        return true;
      }
    });
    expect(threw).toBe(false);
    expect(messages.some((m) => m.startsWith('error: Hiwar:') && m.includes('site'))).toBe(true);
  });
});
