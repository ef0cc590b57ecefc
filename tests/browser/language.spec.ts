/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { describe, expect, it } from 'vitest';
import { hiwar, waitReady } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { widgetPage } from './support/host-site.js';
import { post } from './support/seed.js';
import { field, submitButton } from './support/widget.js';

const h = useHarness();

describe('the widget’s language', () => {
  it('speaks English, left to right, with data-lang="en" even on an Arabic page', async () => {
    const url = h.host.serve(
      uniquePath('english'),
      widgetPage({ hiwar: hiwar().url, site: 'news', pageLang: 'ar', data: { lang: 'en' } }),
    );
    await post('news', url, 'First!', { author: { name: 'Sam', email: 'sam@example.org' } });
    await post('news', url, 'Second.', { author: { name: 'Lina', email: 'lina@example.org' } });
    const page = await h.context.newPage();
    await page.goto(url);
    await waitReady(page);

    const root = page.locator('[part~="root"]');
    expect(await root.getAttribute('dir')).toBe('ltr');
    expect(await root.getAttribute('lang')).toBe('en');
    await expect(page.locator('[part~="heading"]').textContent()).resolves.toBe('2 comments');
    const form = page.locator('[part~="form"]');
    await expect(form.getByRole('heading', { name: 'Leave a Reply', exact: true }).count()).resolves.toBe(1);
    await expect(form.textContent()).resolves.toContain('Your email address will not be published.');
    for (const name of ['body', 'name', 'email', 'website'] as const) {
      await expect(field(page, name, 'en').count(), name).resolves.toBe(1);
    }
    await expect(submitButton(page, 'en').count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Reply', exact: true }).count()).resolves.toBe(2);
    await expect(page.getByRole('combobox', { name: 'Sort comments' }).count()).resolves.toBe(1);
    // No Arabic is left in the widget's own words (the page around it stays Arabic).
    const words = await root.evaluate((el) => {
      const clone = el.cloneNode(true) as HTMLElement;
      for (const user of clone.querySelectorAll('[part~="body"], [part~="author"]')) user.remove();
      return clone.textContent ?? '';
    });
    expect(words).not.toMatch(/[\u0600-\u06FF]/);

    await submitButton(page, 'en').click();
    await expect(page.locator('[part~="field-error"]').first().textContent()).resolves.toBe(
      'This field is required.',
    );
  });

  it('follows the page’s <html lang> when the script names no language', async () => {
    const url = h.host.serve(
      uniquePath('page-lang'),
      widgetPage({ hiwar: hiwar().url, site: 'news', pageLang: 'en' }),
    );
    const page = await h.context.newPage();
    await page.goto(url);
    await waitReady(page);
    expect(await page.locator('[part~="root"]').getAttribute('lang')).toBe('en');
    await expect(page.locator('[part~="heading"]').textContent()).resolves.toBe('No comments');
  });

  it('falls back to the site’s language, Arabic, on a page that names none', async () => {
    const html = widgetPage({ hiwar: hiwar().url, site: 'news' }).replace(
      '<html lang="ar" dir="rtl">',
      '<html>',
    );
    const url = h.host.serve(uniquePath('no-lang'), html);
    const page = await h.context.newPage();
    await page.goto(url);
    await waitReady(page);
    const root = page.locator('[part~="root"]');
    expect(await root.getAttribute('lang')).toBe('ar');
    expect(await root.getAttribute('dir')).toBe('rtl');
    await expect(page.locator('[part~="heading"]').textContent()).resolves.toBe('لا توجد تعليقات');
  });
});
