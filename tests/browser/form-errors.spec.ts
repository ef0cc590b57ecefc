/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { describe, expect, it } from 'vitest';
import { hiwar, waitReady } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { widgetPage } from './support/host-site.js';
import { client } from './support/seed.js';
import { description, field, fillForm, focused, submitButton } from './support/widget.js';

const h = useHarness();

describe('errors in the comment form', () => {
  it('marks every missing required field in Arabic, beside it, and focuses the first one', async () => {
    const url = h.host.serve(uniquePath('errors-empty'), widgetPage({ hiwar: hiwar().url, site: 'news' }));
    const page = await h.context.newPage();
    await page.goto(url);
    await waitReady(page);
    await submitButton(page).click();

    await page.waitForFunction(() =>
      document.querySelector('[data-hiwar]')?.shadowRoot?.querySelector('[aria-invalid="true"]'),
    );
    for (const name of ['body', 'name', 'email'] as const) {
      const input = field(page, name);
      await expect(input.getAttribute('aria-invalid'), name).resolves.toBe('true');
      await expect(description(input), name).resolves.toContain('هذا الحقل مطلوب.');
    }
    // The website is optional.
    await expect(field(page, 'website').getAttribute('aria-invalid')).resolves.not.toBe('true');
    await expect(focused(page)).resolves.toMatchObject({ tag: 'textarea' });
    await expect(page.locator('[part~="field-error"]').count()).resolves.toBe(3);

    // Typing into a field clears its error; nothing was posted.
    await field(page, 'body').fill('نص التعليق');
    await expect(field(page, 'body').getAttribute('aria-invalid')).resolves.not.toBe('true');
    const thread = await client('news').threads.get({ url });
    expect(thread.comments).toEqual([]);
  });

  it('explains a malformed email and website beside them, keeping everything typed', async () => {
    const url = h.host.serve(uniquePath('errors-format'), widgetPage({ hiwar: hiwar().url, site: 'news' }));
    const page = await h.context.newPage();
    await page.goto(url);
    await waitReady(page);
    await fillForm(page, {
      body: 'تعليق صحيح',
      name: 'علي',
      email: 'ليس-بريداً',
      website: 'ftp://example.org',
    });
    await submitButton(page).click();

    await page.waitForFunction(
      () =>
        document.querySelector('[data-hiwar]')?.shadowRoot?.querySelectorAll('[aria-invalid="true"]')
          .length === 2,
    );
    // The wording is the locale's; what matters is Arabic that names the problem, tied to the field.
    await expect(description(field(page, 'email'))).resolves.toMatch(/أدخل .*صالح.*name@example\.com/);
    await expect(description(field(page, 'website'))).resolves.toMatch(/أدخل .*صالح.*https:\/\//);
    await expect(focused(page)).resolves.toMatchObject({
      tag: 'input',
      label: expect.stringMatching(/^البريد الإلكتروني/),
    });
    await expect(field(page, 'body').inputValue()).resolves.toBe('تعليق صحيح');
    await expect(field(page, 'name').inputValue()).resolves.toBe('علي');
  });

  it('shows what the server refused (a name over 245 characters) beside the field', async () => {
    const url = h.host.serve(uniquePath('errors-server'), widgetPage({ hiwar: hiwar().url, site: 'news' }));
    const page = await h.context.newPage();
    await page.goto(url);
    await waitReady(page);
    const longName = 'ن'.repeat(300);
    await fillForm(page, { body: 'تعليق باسم طويل جداً', name: longName, email: 'long@example.org' });
    await submitButton(page).click();

    await page.waitForFunction(() =>
      document.querySelector('[data-hiwar]')?.shadowRoot?.querySelector('[aria-invalid="true"]'),
    );
    await expect(field(page, 'name').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(description(field(page, 'name'))).resolves.toContain('النص أطول من المسموح به.');
    await expect(field(page, 'body').inputValue()).resolves.toBe('تعليق باسم طويل جداً');
    await expect(field(page, 'name').inputValue()).resolves.toBe(longName);
  });
});
