/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { inject } from 'vitest';

/** What the page-side probe (installed before any page script) records. */
export interface Probe {
  events: { type: string; detail: unknown }[];
  csp: { directive: string; blocked: string; source: string; line: number; sample: string }[];
}

declare global {
  interface Window {
    __probe: Probe;
    __xss?: unknown;
  }
}

/** The shared Chromium, started by the global setup. */
export function connectBrowser(): Promise<Browser> {
  return chromium.connect(inject('wsEndpoint'));
}

export const hiwar = () => inject('hiwar');

/**
 * A fresh context (its own storage, as another reader's browser) whose pages
 * record Hiwar's events and any Content-Security-Policy violation from the start.
 */
export async function newContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  // Failures show sooner than Playwright's 30 s default; nothing here takes more than a few seconds.
  context.setDefaultTimeout(10_000);
  await context.addInitScript(() => {
    const probe: Probe = { events: [], csp: [] };
    window.__probe = probe;
    for (const type of ['hiwar:ready', 'hiwar:posted']) {
      document.addEventListener(
        type,
        (event) => probe.events.push({ type, detail: (event as CustomEvent).detail }),
        true,
      );
    }
    document.addEventListener(
      'securitypolicyviolation',
      (event) =>
        probe.csp.push({
          directive: event.violatedDirective,
          blocked: event.blockedURI,
          source: event.sourceFile,
          line: event.lineNumber,
          sample: event.sample,
        }),
      true,
    );
  });
  return context;
}

/**
 * Polls `predicate` in the page until it returns a truthy value. (Through
 * `page.evaluate`, which a page's Content-Security-Policy does not govern, unlike
 * an in-page polling loop.)
 */
export async function waitInPage<A>(
  page: Page,
  predicate: (arg: A) => unknown,
  arg: A,
  { timeout = 15_000, what = 'a condition' } = {},
): Promise<void> {
  const until = Date.now() + timeout;
  for (;;) {
    // (Playwright's own types cannot follow a generic argument through serialization.)
    if (await page.evaluate(predicate as (arg: unknown) => unknown, arg as unknown)) return;
    if (Date.now() > until) throw new Error(`Timed out after ${timeout} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until `count` widgets on the page have fired `hiwar:ready`. */
export function waitReady(page: Page, count = 1, timeout = 15_000): Promise<void> {
  return waitInPage(
    page,
    (n) => (window.__probe?.events ?? []).filter((event) => event.type === 'hiwar:ready').length >= n,
    count,
    { what: `${count} hiwar:ready event(s)`, timeout },
  );
}

export function probe(page: Page): Promise<Probe> {
  return page.evaluate(() => window.__probe);
}

/** Errors thrown in the page, console errors and failed responses, as they happen. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`http ${response.status()}: ${response.url()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string; html: string }[];
}

/**
 * Runs axe-core in the page, shadow roots included (axe walks open shadow roots
 * by itself). axe is evaluated through the DevTools protocol rather than added
 * as a <script>, so it runs on pages whose policy forbids inline scripts too.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is the global the evaluated source defined
    const axe = (window as any).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((violation: AxeViolation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map(({ target, failureSummary, html }) => ({ target, failureSummary, html })),
    }));
  });
}

/** Violations in words, for an assertion message. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes
          .slice(0, 5)
          .map(
            (node) =>
              `    ${JSON.stringify(node.target)} ${node.html.slice(0, 160)}\n      ${node.failureSummary ?? ''}`,
          )
          .join('\n')}`,
    )
    .join('\n');
}
