/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { BrowserContextOptions } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { dashboardContext, dashboardUrl, ownerSession, queueLoaded, row } from './support/admin.js';
import { hiwar, newContext, waitReady } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { widgetPage } from './support/host-site.js';
import { client, post } from './support/seed.js';
import { commentWith, fillForm, submitButton } from './support/widget.js';

const h = useHarness();
let session: BrowserContextOptions['storageState'];

beforeAll(async () => {
  session = await ownerSession(h.browser);
});

/** The signed-in dashboard's queue, on the pending tab. */
async function openQueue(options: { shortcuts?: boolean } = {}) {
  const context = await dashboardContext(h.browser, { storageState: session, ...options });
  const page = await context.newPage();
  await page.goto(dashboardUrl());
  await queueLoaded(page);
  return { context, page };
}

describe('moderating from the dashboard', () => {
  it('approves a comment posted through the widget, which then appears in a reader’s widget', async () => {
    const url = h.host.serve(uniquePath('admin-approve'), widgetPage({ hiwar: hiwar().url, site: 'held' }));
    const author = await h.context.newPage();
    await author.goto(url);
    await waitReady(author);
    const body = 'تعليق من القارئ ينتظر موافقة المشرف في لوحة الإشراف.';
    await fillForm(author, { body, name: 'سارة', email: 'sara@example.org' });
    await submitButton(author).click();
    await commentWith(author, body).waitFor();

    const { context, page } = await openQueue();
    try {
      const comment = row(page, body);
      await comment.waitFor();
      await expect(comment.locator('.author-name').textContent()).resolves.toBe('سارة');
      await expect(comment.locator('.author-email').textContent()).resolves.toBe('sara@example.org');
      await comment.getByRole('button', { name: 'الموافقة', exact: true }).click();
      await page.locator('.toast', { hasText: 'تمت الموافقة على تعليق واحد' }).waitFor();
      await comment.waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }

    const reader = await newContext(h.browser);
    try {
      const page = await reader.newPage();
      await page.goto(url);
      await waitReady(page);
      const shown = commentWith(page, body);
      await shown.waitFor();
      expect((await shown.getAttribute('part'))?.split(' ')).not.toContain('pending');
    } finally {
      await reader.close();
    }
  });

  it('spams five comments by keyboard (x × 5, then s) and brings them back with undo', async () => {
    const url = h.host.serve(uniquePath('admin-bulk'), widgetPage({ hiwar: hiwar().url, site: 'held' }));
    const bodies = Array.from({ length: 5 }, (_, i) => `رسالة إعلانية مزعجة رقم ${i + 1} للاختبار`);
    for (const body of bodies) await post('held', url, body);

    const { context, page } = await openQueue();
    try {
      // Only this page's comments: the thread filter, from a row's thread title.
      await row(page, bodies[0] ?? '')
        .locator('.thread-title')
        .click();
      await page.locator('.chip').waitFor();
      await queueLoaded(page);
      await expect(page.locator('.row').count()).resolves.toBe(5);

      await page.locator('h1').click();
      for (let i = 0; i < 5; i++) {
        await page.keyboard.press('x');
        if (i < 4) await page.keyboard.press('j');
      }
      await expect(page.locator('.row.selected').count()).resolves.toBe(5);
      await page.keyboard.press('s');
      const toast = page.locator('.toast', { hasText: 'عُلِّم كمزعج: 5 تعليقات' });
      await toast.waitFor();
      await page.locator('.row').first().waitFor({ state: 'detached' });
      const spam = await client('held').threads.get({ url });
      expect(spam.comments).toEqual([]);

      await toast.getByRole('button', { name: 'تراجع' }).click();
      await page.locator('.toast', { hasText: 'تم التراجع.' }).waitFor();
      await expect(page.locator('.row').count()).resolves.toBe(5);
      for (const body of bodies) await expect(row(page, body).count()).resolves.toBe(1);
      // Back where they were: pending (the pending tab lists them again after a reload).
      await page.reload();
      await queueLoaded(page);
      for (const body of bodies) await row(page, body).waitFor();
    } finally {
      await context.close();
    }
  });

  it('bans an author from the commenter panel; their next comment is refused in the widget in Arabic', async () => {
    const url = h.host.serve(uniquePath('admin-ban'), widgetPage({ hiwar: hiwar().url, site: 'held' }));
    const author = await h.context.newPage();
    await author.goto(url);
    await waitReady(author);
    const first = 'أول تعليق لمعلّق سيُحظر بعد قليل.';
    await fillForm(author, { body: first, name: 'مزعج دائم', email: 'troll@example.org' });
    await submitButton(author).click();
    await commentWith(author, first).waitFor();

    const { context, page } = await openQueue();
    try {
      await row(page, first).locator('.author-name').click();
      const panel = page.getByRole('dialog', { name: /مزعج دائم/ });
      await panel.waitFor();
      await expect(panel.textContent()).resolves.toContain('troll@example.org');
      await panel.getByLabel('البريد الإلكتروني', { exact: true }).check();
      await panel.getByLabel('أسبوع', { exact: true }).check();
      await panel.getByRole('button', { name: 'حظر', exact: true }).click();
      await page.locator('.toast', { hasText: 'تم الحظر.' }).waitFor();
      await panel.locator('.bans li').first().waitFor();
      await expect(panel.locator('.bans').textContent()).resolves.toContain('troll@example.org');
    } finally {
      await context.close();
    }

    await fillForm(author, { body: 'تعليق ثانٍ بعد الحظر.' });
    await submitButton(author).click();
    await author.waitForFunction(() =>
      document
        .querySelector('[data-hiwar]')
        ?.shadowRoot?.textContent?.includes('لا يمكنك التعليق على هذا الموقع.'),
    );
  });

  it('replies inline as a moderator (shown with the badge) and edits a comment inline (r, e)', async () => {
    const url = h.host.serve(uniquePath('admin-reply'), widgetPage({ hiwar: hiwar().url, site: 'news' }));
    const body = 'سؤال من قارئ: متى يصدر التقرير الكامل؟';
    await post('news', url, body, { author: { name: 'ليلى', email: 'layla@example.org' } });
    const { context, page } = await openQueue();
    try {
      await page
        .locator('.tabs')
        .getByRole('button', { name: /^موافق عليها/ })
        .click();
      await queueLoaded(page);
      // The row by its id: while it is edited, its text is in the editor, not in `.body`.
      const comment = page.locator(`#${await row(page, body).getAttribute('id')}`);
      await comment.evaluate((el) => (el as HTMLElement).focus());
      await page.keyboard.press('r');
      const reply = page.getByLabel('ردك على ليلى');
      await reply.waitFor();
      await reply.fill('يصدر التقرير يوم الخميس، شكراً لسؤالك.');
      await page.getByRole('button', { name: 'إرسال الرد' }).click();
      await page.locator('.toast', { hasText: 'تم نشر ردك.' }).waitFor();

      await comment.evaluate((el) => (el as HTMLElement).focus());
      await page.keyboard.press('e');
      const edit = comment.getByLabel('نص التعليق');
      await edit.fill('سؤال من قارئ: متى يصدر التقرير الكامل؟ (عدّله المشرف)');
      await comment.getByRole('button', { name: 'حفظ' }).click();
      await page.locator('.toast', { hasText: 'تم حفظ التعديل.' }).waitFor();
      await expect(comment.locator('.body').textContent()).resolves.toContain('(عدّله المشرف)');
    } finally {
      await context.close();
    }

    const reader = await h.context.newPage();
    await reader.goto(url);
    await waitReady(reader);
    const answer = commentWith(reader, 'يصدر التقرير يوم الخميس');
    await answer.waitFor();
    await expect(answer.textContent()).resolves.toContain('مشرف');
    await commentWith(reader, '(عدّله المشرف)').waitFor();
  });

  it('leaves the queue alone when the shortcuts are turned off', async () => {
    const url = h.host.serve(uniquePath('admin-keys-off'), widgetPage({ hiwar: hiwar().url, site: 'held' }));
    const body = 'تعليق لا يتأثر بالمفاتيح عند تعطيلها.';
    await post('held', url, body);
    const { context, page } = await openQueue({ shortcuts: false });
    try {
      await row(page, body).waitFor();
      await page.locator('h1').click();
      await page.keyboard.press('x');
      await page.keyboard.press('a');
      await page.keyboard.press('?');
      await expect(page.locator('.row.selected').count()).resolves.toBe(0);
      await expect(page.getByRole('dialog').count()).resolves.toBe(0);
      await expect(row(page, body).count()).resolves.toBe(1);
    } finally {
      await context.close();
    }
  });
});
