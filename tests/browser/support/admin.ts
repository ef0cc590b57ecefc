/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { inject } from 'vitest';
import { hiwar, newContext } from './browser.js';

export type Lang = 'ar' | 'en';
export type Theme = 'light' | 'dark';

/** The owner account the global setup made; throws with the CLI's output if it could not. */
export function adminAccount(): { username: string; password: string } {
  const admin = inject('admin');
  if (admin.error) throw new Error(`\`hiwar admin create\` failed in the global setup:\n${admin.error}`);
  return admin;
}

/** The dashboard's address, `http://localhost:PORT/admin/…` (the server's public URL). */
export function dashboardUrl(path = ''): string {
  return `${hiwar().url}/admin/${path}`;
}

export interface DashboardOptions extends BrowserContextOptions {
  lang?: Lang;
  theme?: Theme;
  /** Whether the keyboard shortcuts are on (they are by default). */
  shortcuts?: boolean;
}

/**
 * A browser context whose dashboard speaks `lang` in `theme` (as the switches
 * would have stored them), optionally signed in already (`storageState`).
 */
export async function dashboardContext(
  browser: Browser,
  options: DashboardOptions = {},
): Promise<BrowserContext> {
  const { lang = 'ar', theme = 'light', shortcuts = true, ...contextOptions } = options;
  const context = await newContext(browser, contextOptions);
  await context.addInitScript(
    ([l, t, s]) => {
      if (sessionStorage.getItem('hiwar-test-prefs')) return;
      sessionStorage.setItem('hiwar-test-prefs', '1');
      localStorage.setItem('hiwar:admin:v1:lang', l);
      localStorage.setItem('hiwar:admin:v1:theme', t);
      localStorage.setItem('hiwar:admin:v1:shortcuts', s);
    },
    [lang, theme, shortcuts ? 'on' : 'off'] as const,
  );
  return context;
}

const LOGIN = {
  ar: { username: 'اسم المستخدم', password: 'كلمة المرور', submit: 'دخول' },
  en: { username: 'Username', password: 'Password', submit: 'Log in' },
};

/** Fills and sends the login form (the page shows it). */
export async function submitLogin(page: Page, username: string, password: string, lang: Lang = 'ar') {
  await page.getByLabel(LOGIN[lang].username, { exact: true }).fill(username);
  await page.getByLabel(LOGIN[lang].password, { exact: true }).fill(password);
  await page.getByRole('button', { name: LOGIN[lang].submit, exact: true }).click();
}

/** Opens the dashboard in `context` and logs in as the owner; resolves once the queue shows. */
export async function logIn(context: BrowserContext, lang: Lang = 'ar', path = ''): Promise<Page> {
  const page = await context.newPage();
  await page.goto(dashboardUrl(path));
  const { username, password } = adminAccount();
  await submitLogin(page, username, password, lang);
  await page.locator('.topbar').waitFor();
  return page;
}

/** The session of a logged-in owner, to start other contexts signed in. */
export async function ownerSession(browser: Browser): Promise<BrowserContextOptions['storageState']> {
  const context = await dashboardContext(browser);
  try {
    await logIn(context);
    return await context.storageState();
  } finally {
    await context.close();
  }
}

/** The queue row of the comment whose text contains `text`. */
export function row(page: Page, text: string): Locator {
  return page.locator('.row', { has: page.locator('.body', { hasText: text }) });
}

/** Waits until the queue has loaded (rows or the empty message). */
export async function queueLoaded(page: Page): Promise<void> {
  await page.locator('.rows:not(.stale)').waitFor();
  await page.locator('.row, .empty').first().waitFor();
}

/** Clicks a status tab by its visible name. */
export async function openTab(page: Page, name: string | RegExp): Promise<void> {
  await page.locator('.tabs').getByRole('button', { name }).click();
  await queueLoaded(page);
}
