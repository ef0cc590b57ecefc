import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';
import { assertBuilt, freePort, runCli, startHiwar } from './hiwar-process.js';

/** The dashboard's owner account, made with `hiwar admin create` before the server starts. */
export const ADMIN = { username: 'owner', password: 'كلمة مرور طويلة للمالك 2026' } as const;

/**
 * One Hiwar server for every spec, on a fresh embedded database, with the sites the
 * specs use: `demo` (made by the server), `news` (published at once) and `held`
 * (every comment held). The embedded database takes one process at a time, so the
 * sites are added with the CLI before the server starts. And one Chromium, which
 * each spec file connects to.
 */
export default async function setup(project: TestProject) {
  assertBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'hiwar-browser-'));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dataDir, { recursive: true, force: true })];
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    // The specs post many comments a second from one address, faster than a person
    // types: no flood limit and no minimum fill time on their sites (the abuse rules
    // have their own specs). `news` also takes comments the specs post straight to the
    // API without a form token (the XSS corpus, made of links, so no holding for those).
    const quick = ['--flood-seconds', '0', '--min-fill-seconds', '0', '--proof-of-work', 'off'];
    await runCli(dataDir, [
      'site',
      'add',
      'news',
      '--origin',
      'http://127.0.0.1:*',
      '--moderation',
      'none',
      '--hold-links',
      '0',
      '--challenge',
      'off',
      ...quick,
    ]);
    await runCli(dataDir, [
      'site',
      'add',
      'held',
      '--origin',
      'http://127.0.0.1:*',
      '--moderation',
      'all',
      ...quick,
    ]);
    await runCli(dataDir, ['site', 'update', 'demo', ...quick]);
    // The dashboard specs' owner; a CLI without `admin create` fails only those specs.
    const admin = await runCli(dataDir, ['admin', 'create', ADMIN.username], `${ADMIN.password}\n`).then(
      () => ({ ...ADMIN, error: null }),
      (error: Error) => ({ ...ADMIN, error: error.message }),
    );
    project.provide('admin', admin);
    const hiwar = await startHiwar({ dataDir, port: await freePort() });
    cleanups.push(() => hiwar.stop());
    const browser = await chromium.launchServer({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
    });
    cleanups.push(() => browser.close());
    project.provide('hiwar', { url: hiwar.url, apiUrl: hiwar.apiUrl, port: hiwar.port });
    project.provide('wsEndpoint', browser.wsEndpoint());
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

declare module 'vitest' {
  export interface ProvidedContext {
    hiwar: { url: string; apiUrl: string; port: number };
    wsEndpoint: string;
    /** The owner account; `error` says why `hiwar admin create` failed, if it did. */
    admin: { username: string; password: string; error: string | null };
  }
}
