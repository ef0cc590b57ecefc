import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { connectBrowser, newContext } from './browser.js';
import { type HostSite, startHostSite } from './host-site.js';

export interface Harness {
  browser: Browser;
  /** This spec file's publisher site, on its own origin. */
  host: HostSite;
  /** A fresh context for each test: a reader with empty storage. */
  context: BrowserContext;
}

/**
 * Hooks for a spec file: connects to the shared Chromium and starts a host site
 * once, and gives each test a fresh browser context.
 */
export function useHarness(contextOptions: BrowserContextOptions = {}): Harness {
  const harness = {} as Harness;
  beforeAll(async () => {
    harness.browser = await connectBrowser();
    harness.host = await startHostSite();
  });
  afterAll(async () => {
    await harness.host?.close();
    await harness.browser?.close();
  });
  beforeEach(async () => {
    harness.context = await newContext(harness.browser, contextOptions);
  });
  afterEach(async () => {
    await harness.context?.close();
  });
  return harness;
}

let pages = 0;

/** A path no other test uses, so each test has a thread of its own. */
export function uniquePath(name: string): string {
  pages += 1;
  return `/articles/${name}-${process.pid}-${pages}`;
}
