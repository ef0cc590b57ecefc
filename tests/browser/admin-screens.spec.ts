/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync } from 'node:fs';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  dashboardContext,
  dashboardUrl,
  type Lang,
  ownerSession,
  queueLoaded,
  type Theme,
} from './support/admin.js';
import { describeViolations, probe, runAxe } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { ROOT } from './support/hiwar-process.js';
import { post } from './support/seed.js';

const h = useHarness();
const SHOTS = `${ROOT}test-results/screenshots`;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };
let session: BrowserContextOptions['storageState'];

/** Pending comments as a busy news site's queue has them: long names, links, a quote, English. */
async function seedQueue() {
  const url = `${h.host.origin}${uniquePath('admin-screens')}`;
  const as = (name: string, email: string, website?: string) => ({ author: { name, email, website } });
  await post('held', url, 'مقال مهم، شكراً على التغطية. أتمنى أن **تنجح** جهود السلام.', {
    ...as('سلمى الخطيب', 'salma@example.org', 'https://salma.example'),
  });
  await post(
    'held',
    url,
    '> جهود السلام\n\nأتفق معك، لكن الطريق ما زال طويلاً.',
    as('يوسف', 'yusuf@example.org'),
  );
  await post(
    'held',
    url,
    'الاتفاق النووي عام 2015 كان نقطة تحول مهمة. راجع [النص الكامل](https://news.example/deal).',
    as('عبد الرحمن بن عبد العزيز الطويل الاسم جداً', 'long.name.for.testing@example.org'),
  );
  await post('held', url, 'An English comment in an Arabic queue, with a https://link.example/path.', {
    ...as('Reader', 'reader@example.org'),
  });
  await post(
    'held',
    url,
    'اربح ملايين الآن!!! اضغط هنا http://spam.example',
    as('عرض خاص', 'promo@spam.example'),
  );
}

/** Runs axe on the page and records violations under `screen`. */
async function check(page: Page, screen: string, found: string[]) {
  const violations = await runAxe(page);
  if (violations.length) found.push(`${screen}:\n${describeViolations(violations)}`);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/admin-${name}.png` });
}

/** Opens a route of the navigation by its link and waits for the screen to settle. */
async function openRoute(page: Page, path: string) {
  await page.locator(`.nav a[href="/admin/${path}"]`).click();
  await page.waitForURL(dashboardUrl(path));
  await page.locator('#main h1, #main h2').first().waitFor();
  await page.waitForLoadState('networkidle');
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  session = await ownerSession(h.browser);
  await seedQueue();
});

const combos = (['ar', 'en'] as const).flatMap((lang) =>
  (['light', 'dark'] as const).map((theme) => ({ lang, theme })),
);

describe.each(combos)('the dashboard in $lang, $theme', ({ lang, theme }: { lang: Lang; theme: Theme }) => {
  it('has no axe violation on any screen, and every screen is photographed at desktop and phone width', async () => {
    const found: string[] = [];
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const tag = `${lang}-${theme}-${size}`;
      const audit = size === 'desktop';

      const anonymous = await dashboardContext(h.browser, { lang, theme, viewport });
      try {
        const page = await anonymous.newPage();
        await page.goto(dashboardUrl());
        await page.locator('.login-card').waitFor();
        if (audit) await check(page, `login (${tag})`, found);
        await shot(page, `login-${tag}`);
      } finally {
        await anonymous.close();
      }

      const context = await dashboardContext(h.browser, { lang, theme, viewport, storageState: session });
      try {
        const page = await context.newPage();
        await page.goto(dashboardUrl());
        await queueLoaded(page);
        await page.locator('.row img.avatar').first().waitFor();
        await expect(page.locator('html').getAttribute('dir')).resolves.toBe(lang === 'ar' ? 'rtl' : 'ltr');
        if (audit) await check(page, `queue (${tag})`, found);
        await shot(page, `queue-${tag}`);
        if (!audit) await page.screenshot({ path: `${SHOTS}/admin-queue-${tag}-full.png`, fullPage: true });

        await page.locator('.row').first().locator('.author-name').click();
        const panel = page.locator('dialog.panel');
        await panel.locator('.history li').first().waitFor();
        if (audit) await check(page, `commenter panel (${tag})`, found);
        await shot(page, `commenter-${tag}`);
        await page.keyboard.press('Escape');
        await panel.waitFor({ state: 'detached' });

        await page.locator('h1').click();
        await page.keyboard.press('?');
        const help = page.locator('dialog.help');
        await help.waitFor();
        // A real modal: focus is inside it.
        await expect(page.evaluate(() => !!document.activeElement?.closest('dialog[open]'))).resolves.toBe(
          true,
        );
        if (audit) await check(page, `help dialog (${tag})`, found);
        await shot(page, `help-${tag}`);
        await page.keyboard.press('Escape');
        await help.waitFor({ state: 'detached' });

        for (const route of ['sites', 'users', 'tokens', 'audit']) {
          await openRoute(page, route);
          if (audit) await check(page, `${route} (${tag})`, found);
          await shot(page, `${route}-${tag}`);
        }
        const csp = (await probe(page)).csp;
        if (csp.length) found.push(`CSP violations (${tag}): ${JSON.stringify(csp)}`);
      } finally {
        await context.close();
      }
    }
    expect(found, found.join('\n\n')).toEqual([]);
  }, 300_000);
});
