/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  collectErrors,
  connectBrowser,
  describeViolations,
  hiwar,
  newContext,
  probe,
  runAxe,
  waitReady,
} from './support/browser.js';

let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  browser = await connectBrowser();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  context = await newContext(browser);
});
afterEach(async () => {
  await context?.close();
});

describe('the demo article at / on the Hiwar server', () => {
  it('shows the seed article right to left with the WordPress form in Arabic, loading the thread as it nears', async () => {
    const page = await context.newPage();
    const errors = collectErrors(page);
    const threadRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/threads')) threadRequests.push(request.url());
    });
    await page.goto(`${hiwar().url}/`);

    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    await expect(page.locator('h1').textContent()).resolves.toContain('رئيسا روسيا والصين');
    expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toBe(`${hiwar().url}/`);
    // The comments sit far below the fold: nothing is fetched until the reader scrolls there.
    await page.waitForTimeout(300);
    expect(threadRequests).toEqual([]);

    await page.locator('[data-hiwar]').scrollIntoViewIfNeeded();
    await waitReady(page);
    expect(threadRequests).toHaveLength(1);
    expect(new URL(threadRequests[0] ?? '').searchParams.get('url')).toBe(`${hiwar().url}/`);

    const root = page.locator('[part~="root"]');
    expect(await root.getAttribute('dir')).toBe('rtl');
    const form = page.locator('[part~="form"]');
    await expect(form.getByRole('heading', { name: 'اترك تعليقاً', exact: true }).isVisible()).resolves.toBe(
      true,
    );
    const note = await form.textContent();
    expect(note).toContain('لن يتم نشر عنوان بريدك الإلكتروني.');
    expect(note).toContain('الحقول الإلزامية مشار إليها بـ *');
    for (const label of ['التعليق', 'الاسم', 'البريد الإلكتروني', 'الموقع الإلكتروني']) {
      const field = page.getByRole('textbox', { name: new RegExp(`^${label}`) });
      await expect(field.count(), label).resolves.toBe(1);
      await expect(field.isVisible(), label).resolves.toBe(true);
    }
    // Required fields say so in words, not only with the asterisk.
    const nameField = page.getByRole('textbox', { name: /^الاسم/ });
    expect(await nameField.evaluate((el) => (el as HTMLInputElement).labels?.[0]?.textContent)).toMatch(
      /مطلوب/,
    );
    const remember = page.getByRole('checkbox', {
      name: 'احفظ اسمي، بريدي الإلكتروني، والموقع الإلكتروني في هذا المتصفح لاستخدامها المرة المقبلة في تعليقي.',
    });
    await expect(remember.count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'إرسال التعليق' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('combobox', { name: 'ترتيب التعليقات' }).count()).resolves.toBe(1);

    // The page and the widget in it pass axe (run through the DevTools protocol: the page allows no inline script).
    const violations = await runAxe(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    // The page's own strict policy ('self' only, nothing inline) holds the widget too.
    expect((await probe(page)).csp).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('publishes a comment posted on the demo site at once', async () => {
    const page = await context.newPage();
    await page.goto(`${hiwar().url}/`);
    await page.locator('[data-hiwar]').scrollIntoViewIfNeeded();
    await waitReady(page);
    const body = `تجربة على صفحة العرض ${Date.now()}`;
    await page.getByRole('textbox', { name: /^التعليق/ }).fill(body);
    await page.getByRole('textbox', { name: /^الاسم/ }).fill('زائر');
    await page.getByRole('textbox', { name: /^البريد الإلكتروني/ }).fill('visitor@example.org');
    await page.getByRole('button', { name: 'إرسال التعليق' }).click();
    const comment = page.locator('[part~="comment"]', { hasText: body });
    await comment.waitFor();
    expect(await comment.getAttribute('part')).not.toContain('pending');
  });
});

describe('the demo listing at /listing', () => {
  it('links every article with its comment count, filled by count.js in one request', async () => {
    const page = await context.newPage();
    const counts: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/counts')) counts.push(request.url());
    });
    await page.goto(`${hiwar().url}/listing`);
    const spans = page.locator('[data-hiwar-count]');
    await expect(spans.count()).resolves.toBe(3);
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-hiwar-count]')].every((el) => el.textContent !== 'التعليقات'),
    );
    const texts = await spans.allTextContents();
    // The first post in this file made one comment on the article; the other two have none.
    expect(texts.slice(1)).toEqual(['لا توجد تعليقات', 'لا توجد تعليقات']);
    expect(texts[0]).toMatch(/^(لا توجد تعليقات|تعليق واحد|تعليقان|\d+ تعليقات?)$/);
    expect(counts).toHaveLength(1);
    expect((await probe(page)).csp).toEqual([]);
  });
});
