/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync } from 'node:fs';
import type { BrowserContextOptions } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadXssCorpus } from '../fixtures/xss/corpus.js';
import { CANARIES, findingsInPage, installTraps, postHostile } from '../fixtures/xss/traps.js';
import { dashboardContext, dashboardUrl, ownerSession, queueLoaded, row } from './support/admin.js';
import { collectErrors, waitInPage } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';

/**
 * The XSS corpus (tests/fixtures/xss) in the dashboard: every payload posted to the `held`
 * site as a body, a name and a website, so each waits in the moderation queue, which shows
 * the comment's HTML, its author's name, email and website. Nothing may run (the same
 * traps as the widget's spec) and no handler or script URL may be in the page.
 */

const h = useHarness();
const CORPUS = loadXssCorpus();
let session: BrowserContextOptions['storageState'];

beforeAll(async () => {
  session = await ownerSession(h.browser);
});

describe('the XSS corpus in the dashboard', () => {
  it(`nothing of ${CORPUS.length} payloads runs in the moderation queue`, async () => {
    const payloads = [...CORPUS.map((entry) => entry.payload), ...CANARIES];
    // The page the comments are on: its title is how the queue is filtered to them.
    const url = `${h.host.origin}${uniquePath('xss-dashboard')}`;
    // A plain comment to find the thread by, in a queue that holds other specs' comments too.
    const marker = `xss-dashboard-marker-${process.pid}`;
    let count = 1;
    for (let i = 0; i < payloads.length; i += 8) {
      const posted = await Promise.all(
        payloads.slice(i, i + 8).map((body, j) => {
          const other = payloads[(i + j + 7) % payloads.length] ?? '';
          return postHostile(
            'held',
            url,
            body,
            Array.from(other).slice(0, 240).join(''),
            `https://x.example/?q=${other}`.slice(0, 200),
          );
        }),
      );
      count += posted.filter(Boolean).length;
    }
    // Last, so that it is on the queue's first page (newest first).
    await postHostile('held', url, marker, 'marker', 'https://x.example/');

    const context = await dashboardContext(h.browser, { storageState: session });
    try {
      await context.addInitScript(installTraps);
      const page = await context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss();
      });
      const errors = collectErrors(page);
      await page.goto(dashboardUrl());
      await queueLoaded(page);
      // Only this page's comments: the thread filter, from a row's thread title.
      const more = page.locator('.more button');
      for (let i = 0; i < 20 && (await row(page, marker).count()) === 0 && (await more.count()) > 0; i += 1) {
        // A DOM click: the queue also loads on scroll, and the layout it shifts can put the
        // button under the pointer's miss ("<html> intercepts pointer events").
        await more.evaluate((button: HTMLElement) => button.click());
        await queueLoaded(page);
      }
      await row(page, marker).locator('.thread-title').click();
      await page.locator('.chip').waitFor();
      await queueLoaded(page);
      for (let i = 0; i < 20 && (await more.count()) > 0; i += 1) {
        const before = await page.locator('.row').count();
        // A DOM click: the queue also loads on scroll, and the layout it shifts can put the
        // button under the pointer's miss ("<html> intercepts pointer events").
        await more.evaluate((button: HTMLElement) => button.click());
        await waitInPage(page, (n) => document.querySelectorAll('.row').length > n, before, {
          what: 'the next page of the queue',
        });
      }
      await waitInPage(page, (n) => document.querySelectorAll('.row').length === n, count, {
        what: `${count} rows`,
        timeout: 30_000,
      });
      for (const link of await page.locator('.row .body a, .row .author-name').all()) {
        await link.hover({ timeout: 2_000 }).catch(() => undefined);
      }
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 500))),
      );
      mkdirSync('test-results', { recursive: true });
      await page.screenshot({ path: 'test-results/xss-dashboard.png' });

      expect(await page.evaluate(() => window.__xssHits)).toEqual([]);
      expect(dialogs).toEqual([]);
      expect(await findingsInPage(page, '.row .body, .row .author-name')).toEqual([]);
      expect(errors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 600_000);
});
