/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadXssCorpus } from '../fixtures/xss/corpus.js';
import { CANARIES, findingsInPage, installTraps, postHostile } from '../fixtures/xss/traps.js';
import { collectErrors, hiwar, waitInPage, waitReady } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { widgetPage } from './support/host-site.js';

/**
 * The whole XSS corpus (tests/fixtures/xss, 400+ payloads; sources in SOURCES.md) posted
 * through the API as bodies, names and websites, then shown by the built widget in Chromium,
 * many per thread. Nothing may execute: alert/confirm/prompt/print, a global canary function,
 * dialogs, CSP violations and a MutationObserver over the page and the widget's shadow root
 * all report to `window.__xssHits`; and no `on*` attribute or script URL may be in the DOM.
 */

const h = useHarness();
const CORPUS = loadXssCorpus();
/** Comments per thread: two pages of the widget's 50, so "load more" is exercised too. */
const PER_THREAD = 90;

/** Opens `url`, shows every comment (clicking "load more"), and returns the page. */
async function openThread(
  url: string,
  count: number,
): Promise<{ page: Page; errors: string[]; dialogs: string[] }> {
  const page = await h.context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const errors = collectErrors(page);
  await page.goto(url);
  await waitReady(page);
  const more = page.locator('[part~="load-more"]');
  for (let i = 0; i < 20 && (await more.count()) > 0; i += 1) {
    const before = await page.locator('[part~="comment"]').count();
    await more.click();
    await waitInPage(
      page,
      (n) =>
        (document.querySelector('[data-hiwar]')?.shadowRoot?.querySelectorAll('[part~="comment"]').length ??
          0) > n,
      before,
      { what: 'the next page of comments' },
    );
  }
  await waitInPage(
    page,
    (n) =>
      document.querySelector('[data-hiwar]')?.shadowRoot?.querySelectorAll('[part~="comment"]').length === n,
    count,
    { what: `${count} comments`, timeout: 30_000 },
  );
  return { page, errors, dialogs };
}

describe('the XSS corpus in the widget', () => {
  it('the traps catch a payload that runs (so the real check can fail)', async () => {
    await h.context.addInitScript(installTraps);
    const url = h.host.serve(uniquePath('xss-control'), widgetPage({ hiwar: hiwar().url, site: 'news' }));
    const page = await h.context.newPage();
    await page.goto(url);
    await waitReady(page);
    // Script injected on purpose, outside the widget, the way a payload would run if let through.
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.setAttribute('onerror', "__xssCanary('control')");
      img.src = 'x:';
      document.body.append(img);
      alert('control');
    });
    await waitInPage(page, () => window.__xssHits.length >= 3, undefined, { what: 'the control hits' });
    const hits = await page.evaluate(() => window.__xssHits);
    expect(hits).toContain('canary control');
    expect(hits).toContain('alert(control)');
    expect(hits.some((hit) => hit.startsWith('added IMG onerror'))).toBe(true);
  });

  it(`nothing of ${CORPUS.length} payloads runs, as bodies, names and websites, ${PER_THREAD} per thread`, async () => {
    await h.context.addInitScript(installTraps);
    const payloads = [...CORPUS.map((entry) => entry.payload), ...CANARIES];
    expect(payloads.length).toBeGreaterThanOrEqual(300);

    const threads: { url: string; count: number }[] = [];
    for (let start = 0; start < payloads.length; start += PER_THREAD) {
      const batch = payloads.slice(start, start + PER_THREAD);
      const url = h.host.serve(
        uniquePath('xss-corpus'),
        widgetPage({ hiwar: hiwar().url, site: 'news', data: { loading: 'eager' } }),
      );
      // Eight at a time; the order in the thread does not matter here.
      let count = 0;
      for (let i = 0; i < batch.length; i += 8) {
        const posted = await Promise.all(
          batch.slice(i, i + 8).map((body, j) => {
            // Each payload is also a name and (behind a valid scheme and host) a website elsewhere in the corpus.
            const other = payloads[(start + i + j + 7) % payloads.length] ?? '';
            return postHostile(
              'news',
              url,
              body,
              Array.from(other).slice(0, 240).join(''),
              `https://x.example/?q=${other}`.slice(0, 200),
            );
          }),
        );
        count += posted.filter(Boolean).length;
      }
      threads.push({ url, count });
    }

    let shot = false;
    for (const { url, count } of threads) {
      const { page, errors, dialogs } = await openThread(url, count);
      // Move over every link and the names, so that hover handlers, were there any, fire.
      for (const link of await page.locator('[part~="body"] a, [part~="author"]').all()) {
        await link.hover({ timeout: 2_000 }).catch(() => undefined);
      }
      // Let load/error/animation handlers run (were there any) before reading the traps.
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 500))),
      );
      if (!shot) {
        mkdirSync('test-results', { recursive: true });
        await page.screenshot({ path: 'test-results/xss-widget.png', fullPage: false });
        shot = true;
      }
      expect(await page.evaluate(() => window.__xssHits), url).toEqual([]);
      expect(dialogs, url).toEqual([]);
      expect(await findingsInPage(page, '[part~="body"], [part~="author"]', '[data-hiwar]'), url).toEqual([]);
      // Failed loads (an <img src=x> let through would be one) are not script errors, but
      // nothing in a comment should load anything at all.
      expect(
        errors.filter((error) => error.startsWith('pageerror') || error.includes('Refused')),
        url,
      ).toEqual([]);
      await page.close();
    }
  }, 600_000);
});
