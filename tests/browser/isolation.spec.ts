/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectErrors, hiwar, probe, runAxe, waitReady } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { widgetPage } from './support/host-site.js';
import { post } from './support/seed.js';
import { commentWith, fillForm, submitButton } from './support/widget.js';

const h = useHarness();

/** Computed styles of the widget's main pieces, to compare a clean host page with a hostile one. */
function widgetStyles(page: Page) {
  return page.evaluate(() => {
    const root = document.querySelector('[data-hiwar]')?.shadowRoot;
    const pick = (selector: string) => {
      const el = root?.querySelector(selector);
      if (!el) return `missing ${selector}`;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return {
        display: style.display,
        visibility: style.visibility,
        color: style.color,
        background: style.backgroundColor,
        font: `${style.fontSize} ${style.fontWeight} ${style.fontFamily}`,
        lineHeight: style.lineHeight,
        padding: style.padding,
        border: style.border,
        direction: style.direction,
        width: Math.round(box.width),
        height: Math.round(box.height),
      };
    };
    return {
      root: pick('[part~="root"]'),
      heading: pick('[part~="heading"]'),
      comment: pick('[part~="comment"]'),
      body: pick('[part~="body"]'),
      form: pick('[part~="form"]'),
      textarea: pick('textarea'),
      input: pick('input[type="email"]'),
      label: pick('label'),
      submit: pick('[part~="submit"]'),
    };
  });
}

describe('a host page with a strict Content-Security-Policy', () => {
  it('runs the widget, posts and shows avatars with no policy violation', async () => {
    const origin = hiwar().url;
    const csp = [
      "default-src 'none'",
      `script-src ${origin}`,
      `connect-src ${origin}`,
      `img-src ${origin}`,
      // Constructable stylesheets are not governed by style-src: the widget needs no style source at all.
      "style-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; ');
    const path = uniquePath('strict-csp');
    const url = h.host.serve(path, {
      html: widgetPage({ hiwar: origin, site: 'news' }),
      headers: { 'Content-Security-Policy': csp },
    });
    await post('news', url, 'تعليق موجود قبل التحميل.');
    const page = await h.context.newPage();
    const errors = collectErrors(page);
    await page.goto(url);
    await waitReady(page);

    await fillForm(page, { body: 'تعليق تحت سياسة أمان صارمة', name: 'أمين', email: 'amin@example.org' });
    await submitButton(page).click();
    await commentWith(page, 'تعليق تحت سياسة أمان صارمة').waitFor();
    // The avatars (served by Hiwar) loaded.
    await page.waitForFunction(() =>
      [...(document.querySelector('[data-hiwar]')?.shadowRoot?.querySelectorAll('img') ?? [])].every(
        (img) => img.complete && img.naturalWidth > 0,
      ),
    );
    // The stylesheet applied: the submit button is not a bare browser button.
    const styles = await widgetStyles(page);
    expect(styles.submit).not.toBe('missing [part~="submit"]');
    expect((styles.submit as { background: string }).background).not.toBe('rgb(239, 239, 239)');
    // axe goes in through the DevTools protocol, which the policy does not govern.
    expect(await runAxe(page)).toEqual([]);

    expect((await probe(page)).csp).toEqual([]);
    expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('a host page with hostile CSS', () => {
  const HOSTILE = `<style>
* { all: unset }
div { display: none }
section { color: red !important; font-size: 40px !important }
button, input, textarea, label, form, p, h2, h3, ol, li, article { display: none !important; color: red !important }
:root { --hiwar-unrelated: 1; font-size: 5px }
[data-hiwar] { font-size: 60px; line-height: 0.5; color: magenta; direction: ltr; letter-spacing: 10px }
</style>`;
  /** Both pages give the widget the same width, so that only the hostile rules differ. */
  const WIDTH = '<style>[data-hiwar] { inline-size: 640px !important }</style>';

  it('cannot hide or restyle the widget (loaded eagerly), and the widget does not restyle the host', async () => {
    const before =
      '<p class="host-p">فقرة من الصفحة المضيفة.</p><div class="host-div">عنصر div من الصفحة.</div>';
    const clean = h.host.serve(
      uniquePath('clean-css'),
      widgetPage({ hiwar: hiwar().url, site: 'news', before, head: WIDTH }),
    );
    const hostilePath = uniquePath('hostile-css');
    const hostile = h.host.serve(
      hostilePath,
      widgetPage({
        hiwar: hiwar().url,
        site: 'news',
        before,
        head: HOSTILE + WIDTH,
        data: { url: clean, loading: 'eager' },
      }),
    );
    await post('news', clean, 'تعليق للمقارنة بين الصفحتين.');

    const page = await h.context.newPage();
    await page.goto(clean);
    await waitReady(page);
    const reference = await widgetStyles(page);
    const hostParagraphBefore = await page.locator('.host-p').evaluate((el) => getComputedStyle(el).color);

    await page.goto(hostile);
    await waitReady(page);
    // The host's own div really is hidden by its own rule…
    expect(await page.locator('.host-div').isVisible()).toBe(false);
    // …but the widget's form, fields and button are there and unchanged.
    await expect(page.locator('[part~="form"]').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('textbox', { name: /^التعليق/ }).isVisible()).resolves.toBe(true);
    await expect(submitButton(page).isVisible()).resolves.toBe(true);
    expect(await widgetStyles(page)).toEqual(reference);

    // Still usable: a comment can be posted from the hostile page.
    await fillForm(page, { body: 'تعليق من صفحة عدائية', name: 'حسن', email: 'hasan@example.org' });
    await submitButton(page).click();
    await commentWith(page, 'تعليق من صفحة عدائية').waitFor();

    // And the widget leaves the host page's own styles alone.
    await page.goto(clean);
    await waitReady(page);
    expect(await page.locator('.host-p').evaluate((el) => getComputedStyle(el).color)).toBe(
      hostParagraphBefore,
    );
    const hostSheets = await page.evaluate(() => ({
      adopted: document.adoptedStyleSheets.length,
      elements: document.querySelectorAll('style, link[rel="stylesheet"]').length,
    }));
    expect(hostSheets).toEqual({ adopted: 0, elements: 1 });
  });

  it('still loads lazily (the default) when the host hides every div, its mount element included', async () => {
    const url = h.host.serve(
      uniquePath('hostile-lazy'),
      widgetPage({ hiwar: hiwar().url, site: 'news', head: HOSTILE }),
    );
    const page = await h.context.newPage();
    await page.goto(url);
    // The element is in view from the start: an eager load takes a second or two.
    await waitReady(page, 1, 8000);
    await expect(page.locator('[part~="form"]').isVisible()).resolves.toBe(true);
  });
});
