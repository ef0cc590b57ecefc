/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync } from 'node:fs';
import { isHiwarError } from '@hiwar/sdk';
import { describe, expect, it } from 'vitest';
import { hiwar, waitInPage, waitReady } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { widgetPage } from './support/host-site.js';
import { post } from './support/seed.js';

/**
 * Names built to reorder the text around them (bidi overrides, embeddings, isolates and
 * marks left open, ZWJ/ZWNJ, Arabic and Latin mixed with digits and brackets) must not move
 * the widget's UI: in every comment the name, the time and the reply button stand where they
 * stand for a plain name, in an Arabic (RTL) and an English (LTR) page.
 */

const h = useHarness();

/** Two plain names first: the layout every other comment is compared with. */
const PLAIN = ['سلمى', 'Salma'];

const SPOOFS = [
  '\u202Eevil\u202C',
  '\u202Eأحمد',
  '\u202Eadmin',
  '\u202Dسلمى',
  '\u202Dabc \u202E',
  '\u202Aembedded',
  '\u202Bمضمن',
  '\u2066isolate',
  '\u2067عزل',
  '\u2068first strong',
  '\u2069closer',
  'abc\u2069\u2069\u202C',
  '\u200Fname\u200E',
  '\u200Eاسم\u200F',
  '\u061Cعلامة',
  'می\u200Cخواهم',
  'ک\u200Dی',
  '👨\u200D👩\u200D👧',
  'Ahmad أحمد 123',
  'أحمد (admin) 2024',
  '1) رد [2]',
  '\u202Eرد\u202C',
  '\u202E1 دقيقة',
  'x\u202E‮ feR ylpeR',
  '\u2067\u202E:ptth//\u2069',
];

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where the name, the time and the reply button of every comment are drawn. */
async function layout(page: import('playwright-core').Page) {
  return page.evaluate(() => {
    const root = document.querySelector('[data-hiwar]')?.shadowRoot;
    const box = (el: Element | null | undefined): Box | null => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    return [...(root?.querySelectorAll('[part~="comment"]') ?? [])].map((comment) => ({
      name: comment.querySelector('[part~="author"]')?.textContent ?? '',
      author: box(comment.querySelector('[part~="author"]')),
      time: box(comment.querySelector('[part~="permalink"]')),
      reply: box(comment.querySelector('button[data-reply]')),
    }));
  });
}

/** The relations that must hold the same for every name: which side, which row. */
function relations(item: { author: Box | null; time: Box | null; reply: Box | null }, rtl: boolean) {
  const { author, time, reply } = item;
  if (!author || !time || !reply) return { complete: false };
  const centre = (b: Box) => b.x + b.width / 2;
  return {
    complete: true,
    // In an RTL page the name is right of the time; in LTR, left of it.
    nameBeforeTime: rtl ? centre(author) > centre(time) : centre(author) < centre(time),
    // …and the two do not overlap.
    apart: rtl ? author.x >= time.x + time.width - 0.5 : author.x + author.width <= time.x + 0.5,
    // Name and time share a row.
    sameRow: Math.abs(author.y + author.height / 2 - (time.y + time.height / 2)) < author.height,
    // The reply button is below that row.
    replyBelow: reply.y >= author.y + author.height - 0.5,
    // …and starts at the same edge as the name does (the start edge of the comment).
    replyAtStart: rtl
      ? reply.x + reply.width <= author.x + author.width + 0.5 && reply.x + reply.width > author.x
      : reply.x >= author.x - 0.5 && reply.x < author.x + author.width,
  };
}

/** Posts a comment by `name`; false when the server refuses the name. */
async function postOrRefused(url: string, name: string, email: string): Promise<boolean> {
  try {
    await post('news', url, `تعليق comment ${email}`, { author: { name, email } });
    return true;
  } catch (error) {
    if (isHiwarError(error) && error.code === 'validation_failed') return false;
    throw error;
  }
}

/** Posts one comment per name; returns how many the server took (a refused name is no finding). */
async function postNames(url: string, names: readonly string[], tag: string): Promise<number> {
  let total = 0;
  for (const [i, name] of names.entries()) {
    if (await postOrRefused(url, name, `${tag}-${i}@example.org`)) total += 1;
  }
  return total;
}

/** Opens `url` and waits for `count` comments. */
async function openThread(url: string, count: number) {
  const page = await h.context.newPage();
  await page.goto(url);
  await waitReady(page);
  await waitInPage(
    page,
    (n) =>
      document.querySelector('[data-hiwar]')?.shadowRoot?.querySelectorAll('[part~="comment"]').length === n,
    count,
    { what: `${count} comments` },
  );
  return page;
}

describe('bidi and spoofing names', () => {
  for (const lang of ['ar', 'en'] as const) {
    it(`cannot move the name, time and reply button (${lang} page)`, async () => {
      const url = h.host.serve(
        uniquePath(`bidi-${lang}`),
        widgetPage({ hiwar: hiwar().url, site: 'news', pageLang: lang, data: { lang, loading: 'eager' } }),
      );
      const total = await postNames(url, [...PLAIN, ...SPOOFS], `bidi-${lang}`);
      const page = await openThread(url, total);
      mkdirSync('test-results', { recursive: true });
      await page.locator('[data-hiwar]').screenshot({ path: `test-results/bidi-widget-${lang}.png` });

      const rtl = lang === 'ar';
      const items = await layout(page);
      expect(items.length).toBe(total);
      const reference = relations(items[0] ?? { author: null, time: null, reply: null }, rtl);
      expect(reference).toEqual({
        complete: true,
        nameBeforeTime: true,
        apart: true,
        sameRow: true,
        replyBelow: true,
        replyAtStart: true,
      });
      const wrong = items
        .map((item) => ({ name: JSON.stringify(item.name), relations: relations(item, rtl) }))
        .filter((item) => JSON.stringify(item.relations) !== JSON.stringify(reference));
      expect(wrong).toEqual([]);
    });
  }

  // Issue 5's Unicode hygiene (names per PRECIS / UTS #39, packages/server/src/content/names.ts):
  // the server removes bidi overrides, embeddings, isolates and invisible characters from
  // names, so a name like U+202E + "admin" cannot read "nimda", and a name of nothing but
  // U+2066 U+2067 U+2068 is refused. The widget's <bdi> keeps the layout intact (the test
  // above); these two check the text itself.
  it('names reach the widget without bidi controls', async () => {
    const url = h.host.serve(uniquePath('bidi-controls'), widgetPage({ hiwar: hiwar().url, site: 'news' }));
    const total = await postNames(url, SPOOFS, 'bidi-controls');
    const page = await openThread(url, total);
    const names = await page.locator('[part~="author"]').allTextContents();
    expect(names.filter((name) => /[\u202A-\u202E\u2066-\u2069]/.test(name))).toEqual([]);
  });

  it('a name of only invisible characters is refused, or shows something', async () => {
    const url = h.host.serve(uniquePath('bidi-invisible'), widgetPage({ hiwar: hiwar().url, site: 'news' }));
    const invisible = ['\u2066\u2067\u2068', '\u200F\u200E', '\u200B\u2060', '\u202E\u202C'];
    const total = await postNames(url, invisible, 'bidi-invisible');
    if (total === 0) return;
    const page = await openThread(url, total);
    const widths = await page
      .locator('[part~="author"]')
      .evaluateAll((els) => els.map((el) => el.getBoundingClientRect().width));
    expect(widths.filter((width) => width < 1)).toEqual([]);
  });
});
