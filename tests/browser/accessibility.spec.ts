/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync } from 'node:fs';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, hiwar, newContext, runAxe, waitInPage, waitReady } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { ROOT } from './support/hiwar-process.js';
import { widgetPage } from './support/host-site.js';
import { seedShowcase } from './support/seed.js';
import { fillForm, submitButton } from './support/widget.js';

const h = useHarness();
const SHOTS = `${ROOT}test-results/screenshots`;

type Lang = 'ar' | 'en';
type Theme = 'light' | 'dark';

/** A news site's article page around the widget, in the host's own light or dark colours. */
function articlePage(lang: Lang, theme: Theme): string {
  const dark = theme === 'dark';
  return widgetPage({
    hiwar: hiwar().url,
    site: 'news',
    pageLang: lang,
    title: lang === 'ar' ? 'رئيسا روسيا والصين يُهاتفان رئيسي' : 'Russia’s and China’s presidents call Raisi',
    data: { lang, theme },
    head: `<style>
body { margin: 0; background: ${dark ? '#121416' : '#fdfcf9'}; color: ${dark ? '#e7e5e0' : '#1b1b1b'};
  font-family: 'DejaVu Serif', serif; line-height: 1.8 }
main { max-width: 44rem; margin: 0 auto; padding: 1rem }
</style>`,
    before:
      lang === 'ar'
        ? '<p>بحث الرئيس الروسي فلاديمير بوتين مع نظيره الإيراني في أوّل مكالمة هاتفية بينهما عدداً من المسائل الثنائية والدولية.</p>'
        : '<p>Vladimir Putin and his Iranian counterpart discussed bilateral and international questions in their first call.</p>',
  });
}

/** Each language's thread, and the storage of a reader who posted in it (so their own comment shows its edit buttons). */
const threads = {} as Record<Lang, { path: string; storageState: BrowserContextOptions['storageState'] }>;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  for (const lang of ['ar', 'en'] as const) {
    const path = uniquePath(`showcase-${lang}`);
    const url = h.host.serve(path, articlePage(lang, 'light'));
    await seedShowcase('news', url, lang);
    const context = await newContext(h.browser);
    const page = await context.newPage();
    await page.goto(url);
    await waitReady(page);
    await fillForm(
      page,
      lang === 'ar'
        ? { body: 'تعليقي الخاص، ما زال قابلاً للتعديل.', name: 'أنا', email: 'me@example.org' }
        : { body: 'My own comment, still editable.', name: 'Me', email: 'me@example.org' },
      lang,
    );
    await submitButton(page, lang).click();
    await page
      .locator('[part~="comment"]', { hasText: lang === 'ar' ? 'تعليقي الخاص' : 'My own comment' })
      .waitFor();
    threads[lang] = { path, storageState: await context.storageState() };
    await context.close();
  }
});

/** Brings every avatar (loading="lazy") into view once, waits for them all, then checks with axe, reflow and a screenshot. */
async function check(page: Page, shot: string): Promise<void> {
  await page.evaluate(async () => {
    for (const img of document.querySelector('[data-hiwar]')?.shadowRoot?.querySelectorAll('img') ?? []) {
      img.scrollIntoView({ block: 'center' });
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    scrollTo(0, 0);
  });
  await waitInPage(
    page,
    () =>
      [...(document.querySelector('[data-hiwar]')?.shadowRoot?.querySelectorAll('img') ?? [])].every(
        (img) => img.complete,
      ),
    undefined,
    { what: 'the avatars' },
  );
  const violations = await runAxe(page);
  await page.screenshot({ path: `${SHOTS}/${shot}.png`, fullPage: true });
  expect(violations, describeViolations(violations)).toEqual([]);
  // Reflow: nothing wider than the viewport, nothing cut off inside the widget.
  const overflow = await page.evaluate(() => {
    const root = document.querySelector('[data-hiwar]')?.shadowRoot?.querySelector('[part~="root"]');
    return {
      page: document.documentElement.scrollWidth > innerWidth,
      widget: !!root && root.scrollWidth > root.clientWidth + 1,
    };
  });
  expect(overflow).toEqual({ page: false, widget: false });
}

const MATRIX = (['ar', 'en'] as const).flatMap((lang) =>
  (['light', 'dark'] as const).flatMap((theme) =>
    ([375, 1280] as const).map((width) => ({ lang, theme, width })),
  ),
);

describe('accessibility and appearance of the thread (axe-core, shadow DOM included; screenshots in test-results/screenshots)', () => {
  it('has an axe that sees inside the widget’s shadow root (a planted unlabelled button is reported)', async () => {
    const { path } = threads.ar;
    h.host.serve(path, articlePage('ar', 'light'));
    const page = await h.context.newPage();
    await page.goto(h.host.origin + path);
    await waitReady(page);
    await page.evaluate(() => {
      const planted = document.createElement('button');
      planted.className = 'planted';
      document.querySelector('[data-hiwar]')?.shadowRoot?.querySelector('[part~="root"]')?.append(planted);
    });
    const violations = await runAxe(page);
    const buttonName = violations.find((violation) => violation.id === 'button-name');
    // axe names a node in a shadow root by the path of selectors to it: host, then inside.
    expect(buttonName?.nodes.map((node) => node.target)).toEqual([[['div[data-hiwar=""]', '.planted']]]);
  });

  it.each(MATRIX)(
    '$lang, $theme, $width px: zero axe violations, no horizontal overflow',
    async ({ lang, theme, width }) => {
      const { path, storageState } = threads[lang];
      h.host.serve(path, articlePage(lang, theme));
      const context = await newContext(h.browser, {
        viewport: { width, height: 900 },
        colorScheme: theme,
        storageState,
      });
      try {
        const page = await context.newPage();
        await page.goto(h.host.origin + path);
        await waitReady(page);
        await check(page, `thread-${lang}-${theme}-${width}`);
        if (width === 1280) {
          // The form's error state: messages tied to fields must pass too.
          await submitButton(page, lang).click();
          await page.locator('[part~="field-error"]').first().waitFor();
          await check(page, `form-errors-${lang}-${theme}`);
        }
      } finally {
        await context.close();
      }
    },
  );

  // Browser zoom at 200 % on a 1280 px window lays the page out in 640 CSS px at two device
  // pixels per CSS pixel: exactly this viewport and scale (deviceScaleFactor alone would only
  // sharpen, and CSS `zoom` changes layout units the page sees instead of the viewport).
  it.each(['ar', 'en'] as const)(
    '%s, zoomed to 200 per cent: zero axe violations, no horizontal overflow',
    async (lang) => {
      const { path, storageState } = threads[lang];
      h.host.serve(path, articlePage(lang, 'light'));
      const context = await newContext(h.browser, {
        viewport: { width: 640, height: 450 },
        deviceScaleFactor: 2,
        storageState,
      });
      try {
        const page = await context.newPage();
        await page.goto(h.host.origin + path);
        await waitReady(page);
        await check(page, `thread-${lang}-light-zoom200`);
      } finally {
        await context.close();
      }
    },
  );

  it('draws no broken image: every avatar is an identicon, and a deleted comment asks for none', async () => {
    const { path } = threads.ar;
    h.host.serve(path, articlePage('ar', 'light'));
    const context = await newContext(h.browser, { viewport: { width: 1280, height: 3000 } });
    try {
      const page = await context.newPage();
      const avatarRequests: string[] = [];
      page.on('request', (request) => {
        if (request.resourceType() === 'image') avatarRequests.push(new URL(request.url()).pathname);
      });
      await page.goto(h.host.origin + path);
      await waitReady(page);
      await waitInPage(
        page,
        () =>
          [...(document.querySelector('[data-hiwar]')?.shadowRoot?.querySelectorAll('img') ?? [])].every(
            (img) => img.complete,
          ),
        undefined,
        { what: 'the avatars' },
      );
      const broken = await page.evaluate(() =>
        [...(document.querySelector('[data-hiwar]')?.shadowRoot?.querySelectorAll('img') ?? [])]
          .filter((img) => img.naturalWidth === 0)
          .map(
            (img) => `${img.closest('[part~="comment"]')?.getAttribute('part')}: ${img.getAttribute('src')}`,
          ),
      );
      expect(broken).toEqual([]);
      expect(avatarRequests.filter((path) => !/^\/api\/v1\/avatars\/[\w-]+\.svg$/.test(path))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each(['light', 'dark'] as const)(
    'the author’s pending comment on a moderated site, %s: zero axe violations',
    async (theme) => {
      const url = h.host.serve(
        uniquePath(`pending-${theme}`),
        articlePage('ar', theme).replace('data-site="news"', 'data-site="held"'),
      );
      const context = await newContext(h.browser, { colorScheme: theme });
      try {
        const page = await context.newPage();
        await page.goto(url);
        await waitReady(page);
        await fillForm(page, { body: 'تعليق ينتظر المراجعة.', name: 'سعاد', email: 'suad@example.org' });
        await submitButton(page).click();
        await page.locator('[part~="pending"]').waitFor();
        await check(page, `pending-ar-${theme}`);
      } finally {
        await context.close();
      }
    },
  );
});
