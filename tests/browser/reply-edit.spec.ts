/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { describe, expect, it } from 'vitest';
import { hiwar, waitReady } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { widgetPage } from './support/host-site.js';
import { client, post } from './support/seed.js';
import { commentWith, fillForm, focused, submitButton } from './support/widget.js';

const h = useHarness();

describe('replying', () => {
  it('moves the form under the comment with focus in it, and «إلغاء الرد» returns focus to «رد»', async () => {
    const url = h.host.serve(uniquePath('reply'), widgetPage({ hiwar: hiwar().url, site: 'news' }));
    const parent = await post('news', url, 'تعليق يستحق الرد.', {
      author: { name: 'سامي', email: 'sami@example.org' },
    });
    const page = await h.context.newPage();
    await page.goto(url);
    await waitReady(page);

    const article = page.locator(`#comment-${parent.comment.id}`);
    const replyButton = article.getByRole('button', { name: 'رد', exact: true });
    await replyButton.click();

    const form = page.locator('[part~="form"]');
    await expect(form.count()).resolves.toBe(1);
    await expect(form.getByRole('heading').textContent()).resolves.toBe('اترك رداً على سامي');
    await expect(focused(page)).resolves.toMatchObject({ tag: 'textarea' });
    // The form now follows the comment it answers.
    const follows = await page.evaluate((id) => {
      const root = document.querySelector('[data-hiwar]')?.shadowRoot;
      const comment = root?.getElementById(`comment-${id}`);
      const form = root?.querySelector('[part~="form"]');
      return (
        !!comment && !!form && !!(comment.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING)
      );
    }, parent.comment.id);
    expect(follows).toBe(true);

    await page.getByRole('button', { name: 'إلغاء الرد', exact: true }).click();
    await expect(focused(page)).resolves.toMatchObject({ tag: 'button', text: 'رد' });
    expect(await replyButton.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(
      true,
    );
    await expect(form.getByRole('heading').textContent()).resolves.toBe('اترك تعليقاً');

    // And a reply posted for real lands under its parent.
    await replyButton.click();
    await fillForm(page, { body: 'ردّي على سامي.', name: 'رنا', email: 'rana@example.org' });
    await submitButton(page).click();
    const reply = commentWith(page, 'ردّي على سامي.');
    await reply.waitFor();
    const nested = await page.evaluate(
      ({ parentId, body }) => {
        const root = document.querySelector('[data-hiwar]')?.shadowRoot;
        const parentComment = root?.getElementById(`comment-${parentId}`);
        const item = parentComment?.closest('[part~="thread"] > li');
        const replyComment = [...(root?.querySelectorAll('[part~="comment"]') ?? [])].find((el) =>
          el.textContent?.includes(body),
        );
        return !!item && !!replyComment && replyComment !== parentComment && item.contains(replyComment);
      },
      { parentId: parent.comment.id, body: 'ردّي على سامي.' },
    );
    expect(nested).toBe(true);
    const thread = await client('news').threads.get({ url });
    expect(thread.comments[0]?.replies.map((r) => r.parentId)).toEqual([parent.comment.id]);
  });
});

describe('editing and deleting one\u2019s own comment inside the window', () => {
  it('edits the comment in place, marks it edited, and the server keeps the new text', async () => {
    const url = h.host.serve(uniquePath('edit'), widgetPage({ hiwar: hiwar().url, site: 'news' }));
    const page = await h.context.newPage();
    await page.goto(url);
    await waitReady(page);
    await fillForm(page, { body: 'تعليق فيه خطأ مطبعي', name: 'كريم', email: 'karim@example.org' });
    await submitButton(page).click();
    await commentWith(page, 'تعليق فيه خطأ مطبعي').waitFor();
    const id =
      (await commentWith(page, 'تعليق فيه خطأ مطبعي').getAttribute('id'))?.replace('comment-', '') ?? '';
    const comment = page.locator(`#comment-${id}`);

    // The time left is shown (15 minutes on a new site).
    await expect(comment.textContent()).resolves.toMatch(/يمكنك التعديل خلال (1[45]|\d+) دقيقة/);
    await comment.getByRole('button', { name: 'تعديل', exact: true }).click();
    const editor = comment.getByRole('textbox');
    await expect(editor.inputValue()).resolves.toBe('تعليق فيه خطأ مطبعي');
    await expect(focused(page)).resolves.toMatchObject({ tag: 'textarea' });
    await editor.fill('تعليق بلا أخطاء مطبعية');
    await comment.getByRole('button', { name: 'حفظ', exact: true }).click();

    const edited = comment;
    await edited.locator('[part~="body"]', { hasText: 'تعليق بلا أخطاء مطبعية' }).waitFor();
    await expect(edited.textContent()).resolves.toContain('معدّل');
    const stored = await client('news').comments.get(id);
    expect(stored.html).toContain('تعليق بلا أخطاء مطبعية');
    expect(stored.editedAt).not.toBeNull();

    await page.reload();
    await waitReady(page);
    await page.locator(`#comment-${id} [part~="body"]`, { hasText: 'تعليق بلا أخطاء مطبعية' }).waitFor();
    // Still inside the window after a reload: the edit token was kept.
    await expect(
      page.locator(`#comment-${id}`).getByRole('button', { name: 'تعديل', exact: true }).count(),
    ).resolves.toBe(1);
  });

  it('deletes the comment after a confirmation', async () => {
    const url = h.host.serve(uniquePath('delete'), widgetPage({ hiwar: hiwar().url, site: 'news' }));
    const page = await h.context.newPage();
    await page.goto(url);
    await waitReady(page);
    await fillForm(page, { body: 'تعليق سأندم عليه', name: 'كريم', email: 'karim@example.org' });
    await submitButton(page).click();
    const comment = commentWith(page, 'تعليق سأندم عليه');
    await comment.waitFor();
    const id = (await comment.getAttribute('id'))?.replace('comment-', '') ?? '';

    await comment.getByRole('button', { name: 'حذف', exact: true }).click();
    await page.locator(`#comment-${id}`).getByRole('button', { name: 'نعم، احذفه', exact: true }).click();
    await page.waitForFunction(
      () => !document.querySelector('[data-hiwar]')?.shadowRoot?.textContent?.includes('تعليق سأندم عليه'),
    );
    const thread = await client('news').threads.get({ url });
    expect(thread.comments.filter((c) => !c.deleted)).toEqual([]);
    await expect(page.locator('[part~="heading"]').textContent()).resolves.toBe('لا توجد تعليقات');
  });
});
