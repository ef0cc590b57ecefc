/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { dashboardContext, dashboardUrl, openTab, ownerSession, queueLoaded, row } from './support/admin.js';
import { hiwar, newContext, waitReady } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { widgetPage } from './support/host-site.js';
import { post } from './support/seed.js';
import { commentWith, field, submitButton } from './support/widget.js';

/**
 * Pinning and closing from the dashboard, seen by a reader: the row buttons «تثبيت» /
 * «إلغاء التثبيت» and «إغلاق التعليقات» / «فتح التعليقات» of the queue, and the
 * widget of another browser on the publisher's page. Comments go to the `news` site
 * (published at once), so they are on the dashboard's approved tab.
 */

const h = useHarness();
let session: BrowserContextOptions['storageState'];

beforeAll(async () => {
  session = await ownerSession(h.browser);
});

/** The dashboard's approved tab, filtered to the thread of the comment whose text is `body`. */
async function approvedQueueOf(body: string) {
  const context = await dashboardContext(h.browser, { storageState: session });
  const page = await context.newPage();
  await page.goto(dashboardUrl());
  await queueLoaded(page);
  await openTab(page, /^موافق عليها/);
  await row(page, body).locator('.thread-title').click();
  await page.locator('.chip').waitFor();
  await queueLoaded(page);
  return { context, page };
}

/** The bodies of the comments a reader's widget shows on `url`, top to bottom, and their parts. */
async function readerSees(url: string): Promise<{ body: string; parts: string[]; text: string }[]> {
  const reader = await newContext(h.browser);
  try {
    const page = await reader.newPage();
    await page.goto(url);
    await waitReady(page);
    await page.locator('[part~="comment"]').first().waitFor();
    return await page.locator('[part~="comment"]').evaluateAll((nodes) =>
      nodes.map((node) => ({
        body: node.querySelector('[part~="body"]')?.textContent?.trim() ?? '',
        parts: (node.getAttribute('part') ?? '').split(' '),
        text: node.textContent ?? '',
      })),
    );
  } finally {
    await reader.close();
  }
}

/** A reader's page on `url`, ready. */
async function readerPage(url: string): Promise<Page> {
  const page = await h.context.newPage();
  await page.goto(url);
  await waitReady(page);
  return page;
}

/** POST /api/v1/comments as a publisher's server would (no Origin), answered as is. */
async function postRaw(url: string, body: string) {
  const res = await fetch(`${hiwar().apiUrl}/api/v1/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ site: 'news', url, body, author: { name: 'زائر', email: 'visitor@example.org' } }),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
}

describe('pinning and closing from the dashboard', () => {
  it('pins a comment, which a reader then sees first and marked «مثبّت»; unpinning restores the order', async () => {
    const url = h.host.serve(uniquePath('admin-pin'), widgetPage({ hiwar: hiwar().url, site: 'news' }));
    const bodies = ['أول تعليق على المقال.', 'تعليق ثانٍ بعده.', 'تعليق ثالث يستحق التثبيت.'];
    for (const body of bodies) await post('news', url, body);
    const [first, , third] = bodies as [string, string, string];

    const before = await readerSees(url);
    expect(before.map((c) => c.body)).toEqual(bodies);
    expect(before.some((c) => c.parts.includes('pinned'))).toBe(false);

    const { context, page } = await approvedQueueOf(third);
    try {
      const comment = row(page, third);
      await comment.getByRole('button', { name: 'تثبيت', exact: true }).click();
      await page.locator('.toast', { hasText: 'ثُبِّت: تعليق واحد' }).waitFor();
      await comment.locator('.badge', { hasText: 'مثبّت' }).waitFor();

      const pinned = await readerSees(url);
      expect(pinned.map((c) => c.body)).toEqual([third, ...bodies.slice(0, 2)]);
      expect(pinned[0]?.parts).toContain('pinned');
      expect(pinned[0]?.text).toContain('مثبّت');
      expect(pinned.slice(1).some((c) => c.parts.includes('pinned'))).toBe(false);

      await comment.getByRole('button', { name: 'إلغاء التثبيت', exact: true }).click();
      await page.locator('.toast', { hasText: 'أُلغي تثبيت: تعليق واحد' }).waitFor();
      await comment.locator('.badge', { hasText: 'مثبّت' }).waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }

    const after = await readerSees(url);
    expect(after.map((c) => c.body)).toEqual(bodies);
    expect(after[0]?.body).toBe(first);
    expect(after.some((c) => c.parts.includes('pinned') || c.text.includes('مثبّت'))).toBe(false);
  });

  it('closes a thread: the widget says «التعليقات مغلقة.» instead of the form and the API refuses a comment; reopening brings the form back', async () => {
    const url = h.host.serve(uniquePath('admin-close'), widgetPage({ hiwar: hiwar().url, site: 'news' }));
    const body = 'تعليق على صفحة ستُغلق التعليقات عليها.';
    await post('news', url, body);

    const open = await readerPage(url);
    await submitButton(open).waitFor();
    await open.close();

    const { context, page } = await approvedQueueOf(body);
    try {
      const comment = row(page, body);
      await comment.getByRole('button', { name: 'إغلاق التعليقات', exact: true }).click();
      await page.locator('.toast', { hasText: 'أُغلقت التعليقات على الصفحة.' }).waitFor();
      await comment.locator('.badge.closed', { hasText: 'مغلقة' }).waitFor();

      const closed = await readerPage(url);
      await closed.locator('[part="closed"]', { hasText: 'التعليقات مغلقة.' }).waitFor();
      await commentWith(closed, body).waitFor();
      await expect(submitButton(closed).count()).resolves.toBe(0);
      await expect(field(closed, 'body').count()).resolves.toBe(0);
      await closed.close();

      const refused = await postRaw(url, 'محاولة تعليق على صفحة مغلقة.');
      expect(refused.status).toBe(403);
      expect(refused.body.error?.code).toBe('thread_closed');

      await comment.getByRole('button', { name: 'فتح التعليقات', exact: true }).click();
      await page.locator('.toast', { hasText: 'فُتحت التعليقات على الصفحة.' }).waitFor();
      await comment.locator('.badge.closed').waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }

    const reopened = await readerPage(url);
    await submitButton(reopened).waitFor();
    await field(reopened, 'body').waitFor();
    await expect(reopened.locator('[part="closed"]').count()).resolves.toBe(0);
    await reopened.close();
    const accepted = await postRaw(url, 'تعليق بعد إعادة فتح الصفحة.');
    expect(accepted.status).toBe(201);
  });
});
