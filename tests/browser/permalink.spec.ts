/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { describe, expect, it } from 'vitest';
import { hiwar, waitReady } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { widgetPage } from './support/host-site.js';
import { postMany } from './support/seed.js';

const h = useHarness({ viewport: { width: 1280, height: 800 } });

describe('a permalink #comment-<id>', () => {
  it('opens the thread at a comment beyond the first page and highlights it', async () => {
    const url = h.host.serve(uniquePath('permalink'), widgetPage({ hiwar: hiwar().url, site: 'news' }));
    // 55 top-level comments: the first page holds 50, oldest first.
    const ids = await postMany('news', url, 55);
    const target = ids[52] ?? '';
    const page = await h.context.newPage();
    await page.goto(`${url}#comment-${target}`);
    await waitReady(page);

    const comment = page.locator(`#comment-${target}`);
    await comment.waitFor();
    await page.waitForFunction(
      (id) =>
        document
          .querySelector('[data-hiwar]')
          ?.shadowRoot?.getElementById(`comment-${id}`)
          ?.getAttribute('part')
          ?.split(' ')
          .includes('highlighted'),
      target,
    );
    await expect(comment.locator('[part~="body"]').textContent()).resolves.toContain('تعليق رقم 53');
    // Scrolled into view and focused, so keyboard and screen-reader users land there too.
    await page.waitForFunction((id) => {
      const el = document.querySelector('[data-hiwar]')?.shadowRoot?.getElementById(`comment-${id}`);
      const box = el?.getBoundingClientRect();
      return !!box && box.top >= 0 && box.bottom <= innerHeight;
    }, target);
    expect(
      await page.evaluate(() => document.querySelector('[data-hiwar]')?.shadowRoot?.activeElement?.id),
    ).toBe(`comment-${target}`);
    // Only the one comment is highlighted.
    await expect(page.locator('[part~="highlighted"]').count()).resolves.toBe(1);
  });
});
