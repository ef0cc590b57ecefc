/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { describe, expect, it } from 'vitest';
import { hiwar, probe } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { postMany } from './support/seed.js';

const h = useHarness();

/** How many comments each listed article has, and what count.js must write for it. */
const CASES = [
  [0, 'لا توجد تعليقات'],
  [1, 'تعليق واحد'],
  [2, 'تعليقان'],
  [3, '3 تعليقات'],
  [11, '11 تعليقًا'],
] as const;

describe('count.js on a listing page', () => {
  it('writes each article’s count in Arabic plural forms, with one request for all of them', async () => {
    const articles = CASES.map(([n]) => `${h.host.origin}${uniquePath(`count-${n}`)}`);
    await Promise.all(CASES.map(([n], i) => postMany('news', articles[i] ?? '', n)));
    const items = articles
      .map(
        (url, i) =>
          `<li><a href="${url}">خبر ${i + 1}</a> · <span data-hiwar-count="${url}">التعليقات</span></li>`,
      )
      .join('\n');
    const listing = h.host.serve(
      uniquePath('listing'),
      `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>آخر الأخبار</title></head>
<body><main><h1>آخر الأخبار</h1><ul>${items}</ul></main>
<script src="${hiwar().url}/count.js" data-site="news" async></script></body></html>`,
    );

    const page = await h.context.newPage();
    const countRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/counts')) countRequests.push(request.url());
    });
    await page.goto(listing);
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-hiwar-count]')].every((el) => el.textContent !== 'التعليقات'),
    );
    const texts = await page.locator('[data-hiwar-count]').allTextContents();
    expect(texts).toEqual(CASES.map(([, text]) => text));
    await page.waitForTimeout(200);
    expect(countRequests).toHaveLength(1);
    expect(new URL(countRequests[0] ?? '').searchParams.getAll('url')).toEqual(articles);
    // Text only: no markup was written into the host page.
    const spans = await page
      .locator('[data-hiwar-count]')
      .evaluateAll((els) => els.map((el) => el.children.length));
    expect(spans).toEqual([0, 0, 0, 0, 0]);
    expect((await probe(page)).csp).toEqual([]);
  });
});
