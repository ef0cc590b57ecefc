/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { readFileSync } from 'node:fs';
import { isHiwarError } from '@hiwar/sdk';
import { describe, expect, it } from 'vitest';
import { collectErrors, hiwar, waitReady } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { widgetPage } from './support/host-site.js';
import { client } from './support/seed.js';

const h = useHarness();

const PAYLOADS = readFileSync(new URL('./fixtures/xss-payloads.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !/^#( |$)/.test(line))
  .map((line) => line.replace(/\\n/g, '\n'));

/** Names are plain text to the widget: each must show as typed, never as markup. */
const NAMES = [
  '<img src=x onerror=alert(1)>',
  '"><svg onload=window.__xss=10>',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  // The server strips bidi controls from names (content/names.ts): shown as 'evil <b>bold</b>'.
  '\u202Eevil\u202C <b>bold</b>',
  "';alert(1);//",
];

/** Websites the server takes (http(s) URLs) that try to break out of the href. */
const WEBSITES = [
  'https://x.example/"onmouseover="alert(1)',
  'https://x.example/<script>alert(1)</script>',
  "https://x.example/#'><img src=x onerror=alert(1)>",
  'https://x.example/?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E',
  undefined,
];

describe('hostile content from the API', () => {
  it('refuses a javascript: website', async () => {
    const attempt = client('news').comments.create({
      url: `${h.host.origin}/articles/xss-website`,
      body: 'a website that is not a web address',
      author: { name: 'x', email: 'x@example.org', website: 'javascript:alert(1)' },
    });
    await expect(attempt).rejects.toSatisfy(
      (error) => isHiwarError(error) && error.code === 'validation_failed',
    );
  });

  it('renders script-bearing bodies, names and websites without running any of them', async () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(50);
    const url = h.host.serve(
      uniquePath('xss'),
      widgetPage({ hiwar: hiwar().url, site: 'news', data: { loading: 'eager' } }),
    );
    for (const [i, body] of PAYLOADS.entries()) {
      await client('news').comments.create({
        url,
        body,
        author: {
          name: NAMES[i % NAMES.length] ?? 'x',
          email: `xss${i}@example.org`,
          website: WEBSITES[i % WEBSITES.length],
        },
      });
    }

    const page = await h.context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    const errors = collectErrors(page);
    await page.goto(url);
    await waitReady(page);
    // Every page of the thread: the first holds 50.
    const more = page.locator('[part~="load-more"]');
    while ((await more.count()) > 0) {
      await more.click();
      await page.waitForTimeout(300);
    }
    await page.waitForFunction(
      (n) =>
        document.querySelector('[data-hiwar]')?.shadowRoot?.querySelectorAll('[part~="comment"]').length ===
        n,
      PAYLOADS.length,
    );
    // Give onload/onerror/autofocus/animation handlers, were there any, time to fire; move over every link.
    for (const link of await page.locator('[part~="body"] a, [part~="author"] a').all()) await link.hover();
    await page.waitForTimeout(1000);

    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    // Failed loads (an <img src=x> the sanitizer let through would be one) are not script errors.
    expect(errors.filter((e) => !e.startsWith('http ') && !e.includes('Failed to load resource'))).toEqual(
      [],
    );

    const findings = await page.evaluate(() => {
      const root = document.querySelector('[data-hiwar]')?.shadowRoot;
      const problems: string[] = [];
      const URL_ATTRIBUTES = [
        'href',
        'src',
        'action',
        'formaction',
        'xlink:href',
        'data',
        'poster',
        'background',
        'srcset',
      ];
      const FORBIDDEN =
        'script, iframe, frame, object, embed, base, meta, link, style, template, noscript, math, svg';
      for (const el of root?.querySelectorAll('*') ?? []) {
        for (const attribute of el.attributes) {
          const name = attribute.name.toLowerCase();
          if (name.startsWith('on')) problems.push(`${el.tagName} has ${name}="${attribute.value}"`);
          if (name === 'srcdoc' || name === 'style') problems.push(`${el.tagName} has ${name}`);
          // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore these inside a URL scheme
          const value = attribute.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
          if (URL_ATTRIBUTES.includes(name) && /^(javascript|vbscript|data):/.test(value)) {
            problems.push(`${el.tagName} ${name}="${attribute.value}"`);
          }
        }
      }
      for (const content of root?.querySelectorAll('[part~="body"], [part~="author"]') ?? []) {
        for (const el of content.querySelectorAll(`${FORBIDDEN}, form, input, select, textarea, button`)) {
          problems.push(`a <${el.tagName.toLowerCase()}> inside ${content.getAttribute('part')}`);
        }
      }
      return problems;
    });
    expect(findings).toEqual([]);

    // Names are shown as the text they are.
    const authors = await page.locator('[part~="author"]').allTextContents();
    for (const name of NAMES) {
      expect(authors.map((a) => a.trim())).toContain(name.replace(/[\u202a-\u202e\u2066-\u2069]/g, ''));
    }
  });
});
