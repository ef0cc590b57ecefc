/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { createAdminClient } from '@hiwar/sdk';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminAccount } from './support/admin.js';
import { collectErrors, hiwar, probe, waitReady } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { widgetPage } from './support/host-site.js';
import { client } from './support/seed.js';
import { commentWith, fillForm, submitButton } from './support/widget.js';

// The widget's form token (GET /api/v1/challenge) and proof of work against the real
// server: the sites are made here through the admin API, as an owner would.

const h = useHarness();

/** Every comment needs a token whose puzzle (12 bits) is solved; no minimum fill time. */
const POW_SITE = 'challenge-pow';
/** No puzzle; a comment sent sooner than 3 s after its token was issued is held. */
const FILL_SITE = 'challenge-fill';

/**
 * A fetch that behaves like the dashboard's page: it sends the server's own Origin
 * (cookie writes need it) and keeps the session cookie the login sets.
 */
function dashboardFetch(): typeof fetch {
  let cookie: string | undefined;
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('Origin', hiwar().url);
    if (cookie) headers.set('Cookie', cookie);
    const response = await fetch(input, { ...init, headers });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    return response;
  };
}

beforeAll(async () => {
  const admin = createAdminClient({ baseUrl: hiwar().apiUrl, fetch: dashboardFetch(), retries: 0 });
  await admin.login(adminAccount());
  // The host pages' origin; published at once; no flood limit between the comments of one test.
  const common = () => ({ origins: ['http://127.0.0.1:*'], moderation: 'none' as const, floodSeconds: 0 });
  await admin.createSite({
    ...common(),
    id: POW_SITE,
    challenge: 'require',
    proofOfWork: 'always',
    powDifficulty: 12,
    minFillSeconds: 0,
  });
  await admin.createSite({
    ...common(),
    id: FILL_SITE,
    challenge: 'hold',
    proofOfWork: 'off',
    minFillSeconds: 3,
  });
});

/** What the page asked the Hiwar server for: form tokens, solver chunks, and the comments sent. */
function watchRequests(page: Page) {
  const seen = { challenges: 0, solverChunks: 0, comments: [] as Record<string, unknown>[] };
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname === '/api/v1/challenge') seen.challenges += 1;
    if (/^\/pow-[\w-]{8}\.js$/.test(pathname)) seen.solverChunks += 1;
    if (pathname === '/api/v1/comments' && request.method() === 'POST') {
      seen.comments.push(request.postDataJSON() as Record<string, unknown>);
    }
  });
  return seen;
}

describe('a site that requires a form token with a proof of work', () => {
  it('posts two comments from the widget, each with a fresh, solved token, under a strict CSP', async () => {
    const origin = hiwar().url;
    const csp = [
      "default-src 'none'",
      `script-src ${origin}`,
      `connect-src ${origin}`,
      `img-src ${origin}`,
      "style-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; ');
    const url = h.host.serve(uniquePath('challenge-pow'), {
      html: widgetPage({ hiwar: origin, site: POW_SITE }),
      headers: { 'Content-Security-Policy': csp },
    });
    const page = await h.context.newPage();
    const errors = collectErrors(page);
    const seen = watchRequests(page);
    await page.goto(url);
    await waitReady(page);
    expect(seen.challenges).toBe(0); // nothing until the reader comes to the form

    const first = 'تعليق أول بعد حل اللغز في الخلفية.';
    await fillForm(page, { body: first, name: 'رنا', email: 'rana@example.org' });
    await submitButton(page).click();
    const posted = commentWith(page, first);
    await posted.waitFor();
    expect(await posted.getAttribute('part')).not.toContain('pending');
    await expect(page.locator('[part~="status"]').textContent()).resolves.toContain('تم نشر تعليقك');

    // The honeypot was sent empty, and neither readers nor assistive technology meet it.
    const honeypot = page.locator('input[name="homepage"]');
    await expect(honeypot.inputValue()).resolves.toBe('');
    // Its wrapper is a clipped 1-pixel box, out of the tab order and of the accessibility tree.
    const wrapper = await honeypot.evaluate((el) => {
      const box = el.parentElement as HTMLElement;
      const style = getComputedStyle(box);
      const { width, height } = box.getBoundingClientRect();
      return {
        size: width <= 1 && height <= 1,
        overflow: style.overflow,
        clipPath: style.clipPath,
        ariaHidden: box.getAttribute('aria-hidden'),
        tabIndex: (el as HTMLInputElement).tabIndex,
      };
    });
    expect(wrapper).toEqual({
      size: true,
      overflow: 'hidden',
      clipPath: 'inset(50%)',
      ariaHidden: 'true',
      tabIndex: -1,
    });
    await expect(page.getByRole('textbox', { name: /homepage/i }).count()).resolves.toBe(0);
    expect(await page.locator('form[part="form"]').ariaSnapshot()).not.toMatch(/homepage/i);

    const second = 'تعليق ثانٍ برمز جديد، فالرمز لا يُستعمل مرتين.';
    await fillForm(page, { body: second });
    await submitButton(page).click();
    await commentWith(page, second).waitFor();
    expect(await commentWith(page, second).getAttribute('part')).not.toContain('pending');

    // Each comment carried its own token and an answer to its puzzle; the server took both.
    expect(seen.comments).toHaveLength(2);
    const [a, b] = seen.comments;
    expect(a).toMatchObject({
      homepage: '',
      formToken: expect.any(String),
      proof: expect.stringMatching(/^\d+$/),
    });
    expect(b).toMatchObject({
      homepage: '',
      formToken: expect.any(String),
      proof: expect.stringMatching(/^\d+$/),
    });
    expect(a?.formToken).not.toBe(b?.formToken);
    expect(seen.solverChunks).toBe(1);
    const thread = await client(POW_SITE).threads.get({ url });
    expect(thread.comments.map((c) => c.status)).toEqual(['approved', 'approved']);

    expect((await probe(page)).csp).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('a site with a minimum fill time of 3 s and no puzzle', () => {
  it('holds a comment sent at once, telling its author it awaits moderation', async () => {
    const url = h.host.serve(
      uniquePath('challenge-fill'),
      widgetPage({ hiwar: hiwar().url, site: FILL_SITE }),
    );
    const page = await h.context.newPage();
    const seen = watchRequests(page);
    await page.goto(url);
    await waitReady(page);
    // A bot's way: the fields are set without focusing the form, and the form is sent at
    // once, so its token is asked for only when the button is pressed.
    const body = 'تعليق أُرسل فور فتح الصفحة.';
    await page.evaluate(
      (values) => {
        const root = document.querySelector('[data-hiwar]')?.shadowRoot;
        for (const [id, value] of Object.entries(values)) {
          const field = root?.getElementById(id) as HTMLInputElement;
          field.value = value;
          field.dispatchEvent(new Event('input', { bubbles: true }));
        }
      },
      { 'hiwar-body': body, 'hiwar-name': 'سريع', 'hiwar-email': 'fast@example.org' },
    );
    await submitButton(page).click();

    const held = commentWith(page, body);
    await held.waitFor();
    expect((await held.getAttribute('part'))?.split(' ')).toContain('pending');
    await expect(held.textContent()).resolves.toContain('تعليقك في انتظار المراجعة.');
    // It carried a valid token (the hold is for the time taken), and no puzzle was loaded.
    expect(seen.comments[0]).toMatchObject({ formToken: expect.any(String) });
    expect(seen.comments[0]).not.toHaveProperty('proof');
    expect(seen.solverChunks).toBe(0);
    const thread = await client(FILL_SITE).threads.get({ url });
    expect(thread.comments).toEqual([]);
  });
});
