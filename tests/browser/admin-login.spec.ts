/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminAccount,
  dashboardContext,
  dashboardUrl,
  logIn,
  queueLoaded,
  submitLogin,
} from './support/admin.js';
import { collectErrors, connectBrowser, hiwar, probe } from './support/browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await connectBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the dashboard at /admin/', () => {
  it('is served with a strict policy: no inline code, not framable, same-origin referrers and opener', async () => {
    const res = await fetch(`${hiwar().apiUrl}/admin/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    // Any path below /admin/ is the app (its router reads it); a missing asset is a 404.
    const deep = await fetch(`${hiwar().apiUrl}/admin/users`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toBe(await res.text());
    expect((await fetch(`${hiwar().apiUrl}/admin/assets/nope-12345678.js`)).status).toBe(404);
  });

  it('refuses a wrong password in Arabic, logs in, and logs out back to the login form', async () => {
    const context = await dashboardContext(browser);
    try {
      const page = await context.newPage();
      const errors = collectErrors(page);
      await page.goto(dashboardUrl());
      await expect(page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ar');
      const { username, password } = adminAccount();
      await submitLogin(page, username, 'not the password at all');
      await expect(page.getByRole('alert').textContent()).resolves.toBe(
        'اسم المستخدم أو كلمة المرور غير صحيحة.',
      );

      await submitLogin(page, username, password);
      await page.getByRole('heading', { name: 'التعليقات', level: 1 }).waitFor();
      await queueLoaded(page);
      await expect(
        page.getByRole('navigation', { name: 'القائمة الرئيسية' }).textContent(),
      ).resolves.toContain('سجل التدقيق');

      await page.getByRole('button', { name: 'تسجيل الخروج' }).click();
      await page.getByRole('heading', { name: 'تسجيل الدخول' }).waitFor();
      // The session is over on the server too: a reload shows the login form again.
      await page.reload();
      await page.getByRole('heading', { name: 'تسجيل الدخول' }).waitFor();
      expect((await probe(page)).csp).toEqual([]);
      // Only the expected answers failed (the wrong password, `me` while logged out),
      // which Chromium also logs to the console.
      const expected =
        /\/api\/v1\/admin\/(login|me)$|^console: Failed to load resource: .* 401 \(Unauthorized\)$/;
      expect(errors.filter((e) => !expected.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('goes back to login, saying why, when the session ends while the dashboard is open', async () => {
    const context = await dashboardContext(browser);
    try {
      const page = await logIn(context);
      await queueLoaded(page);
      await context.clearCookies();
      await page.locator('.tabs').getByRole('button', { name: /مزعج/ }).click();
      await page.getByRole('heading', { name: 'تسجيل الدخول' }).waitFor();
      await expect(page.getByRole('alert').textContent()).resolves.toBe('انتهت جلستك. سجّل الدخول مجدداً.');
    } finally {
      await context.close();
    }
  });

  it('speaks English left to right when switched, and remembers it', async () => {
    const context = await dashboardContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(dashboardUrl());
      await page.getByRole('button', { name: 'Switch to English' }).click();
      await expect(page.locator('html').getAttribute('dir')).resolves.toBe('ltr');
      await submitLogin(page, adminAccount().username, 'wrong password here', 'en');
      await expect(page.getByRole('alert').textContent()).resolves.toBe('Wrong username or password.');
      await page.reload();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    } finally {
      await context.close();
    }
  });
});
