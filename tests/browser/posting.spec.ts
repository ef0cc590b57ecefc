/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { describe, expect, it } from 'vitest';
import { hiwar, newContext, probe, waitReady } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { widgetPage } from './support/host-site.js';
import { client } from './support/seed.js';
import { commentWith, fillForm, focused, submitButton } from './support/widget.js';

const h = useHarness();

describe('posting on a site that publishes at once (news)', () => {
  it('shows the comment at once, updates the heading count and announces it', async () => {
    const url = h.host.serve(uniquePath('post-news'), widgetPage({ hiwar: hiwar().url, site: 'news' }));
    const page = await h.context.newPage();
    await page.goto(url);
    await waitReady(page);
    const heading = page.locator('[part~="heading"]');
    await expect(heading.textContent()).resolves.toBe('لا توجد تعليقات');

    const body = 'أول تعليق على هذا المقال، من المتصفح.';
    await fillForm(page, { body, name: 'نور', email: 'nour@example.org' });
    await submitButton(page).click();

    const comment = commentWith(page, body);
    await comment.waitFor();
    expect(await comment.getAttribute('part')).not.toContain('pending');
    await expect(comment.locator('[part~="author"]').textContent()).resolves.toBe('نور');
    await expect(heading.textContent()).resolves.toBe('تعليق واحد');
    await expect(page.locator('[part~="status"]').textContent()).resolves.toContain('تم نشر تعليقك');

    const posted = (await probe(page)).events.find((event) => event.type === 'hiwar:posted');
    expect(posted?.detail).toMatchObject({ status: 'approved' });
    const id = (posted?.detail as { id?: string } | undefined)?.id;
    expect(await comment.getAttribute('id')).toBe(`comment-${id}`);
    // The form is emptied for the next comment, and focus lands on the new comment.
    await expect(page.getByRole('textbox', { name: /^التعليق/ }).inputValue()).resolves.toBe('');
    await expect(focused(page)).resolves.toMatchObject({ id: `comment-${id}` });

    // The server has it, published, on this page's thread.
    const thread = await client('news').threads.get({ url });
    expect(thread.comments.map((c) => c.id)).toEqual([id]);
    expect(thread.thread.commentCount).toBe(1);
  });
});

describe('posting on a moderated site (held)', () => {
  it('shows the author, and only the author, the pending comment with its notice, also after a reload', async () => {
    const url = h.host.serve(uniquePath('post-held'), widgetPage({ hiwar: hiwar().url, site: 'held' }));
    const page = await h.context.newPage();
    await page.goto(url);
    await waitReady(page);
    const body = 'تعليق ينتظر موافقة المشرف.';
    await fillForm(page, { body, name: 'هدى', email: 'huda@example.org' });
    await submitButton(page).click();

    const comment = commentWith(page, body);
    await comment.waitFor();
    expect((await comment.getAttribute('part'))?.split(' ')).toContain('pending');
    await expect(comment.textContent()).resolves.toContain('تعليقك في انتظار المراجعة.');
    // The live region says so too (in its own words).
    await expect(page.locator('[part~="status"]').textContent()).resolves.toMatch(/المراجعة/);
    const posted = (await probe(page)).events.find((event) => event.type === 'hiwar:posted');
    expect(posted?.detail).toMatchObject({ status: 'pending' });

    await page.reload();
    await waitReady(page);
    const again = commentWith(page, body);
    await again.waitFor();
    await expect(again.textContent()).resolves.toContain('تعليقك في انتظار المراجعة.');

    // Another reader's browser: the thread has nothing published.
    const other = await newContext(h.browser);
    try {
      const stranger = await other.newPage();
      await stranger.goto(url);
      await waitReady(stranger);
      await expect(stranger.locator('[part~="comment"]').count()).resolves.toBe(0);
      await expect(stranger.locator('[part~="root"]').textContent()).resolves.not.toContain(body);
      await expect(stranger.locator('[part~="heading"]').textContent()).resolves.toBe('لا توجد تعليقات');
    } finally {
      await other.close();
    }
  });
});
