/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitReady } from './support/browser.js';
import { uniquePath, useHarness } from './support/harness.js';
import { freePort, type HiwarProcess, runCli, startHiwar } from './support/hiwar-process.js';
import { widgetPage } from './support/host-site.js';
import { commentWith, field, fillForm, submitButton } from './support/widget.js';

const h = useHarness();

// A server of this file's own, since it is stopped on purpose: the `demo` site of a new
// embedded database takes pages from http://127.0.0.1:* (the host site).
let dataDir: string;
let port: number;
let server: HiwarProcess | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hiwar-browser-down-'));
  port = await freePort();
  // The comment is retried as soon as the server is back, which can be sooner than the
  // 3 s a new site's form must stay open: without this it would be held, not shown.
  await runCli(dataDir, ['site', 'update', 'demo', '--min-fill-seconds', '0', '--flood-seconds', '0']);
  server = await startHiwar({ dataDir, port });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the Hiwar server stopping mid-session', () => {
  it('says so in Arabic with a retry, keeps the typed comment, and the retry posts it once the server is back', async () => {
    const url = h.host.serve(
      uniquePath('server-down'),
      widgetPage({ hiwar: `http://localhost:${port}`, site: 'demo' }),
    );
    const page = await h.context.newPage();
    await page.goto(url);
    await waitReady(page);
    const body = 'تعليق كُتب قبل أن يتوقف الخادم.';
    await fillForm(page, { body, name: 'منى', email: 'mona@example.org' });

    // The server dies (no drain: as a crash or a pulled cable would do it).
    await server?.stop('SIGKILL');
    await submitButton(page).click();
    const alert = page.locator('[part~="error"][role="alert"]');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/تعذّر الاتصال بخادم التعليقات/);
    const retry = alert.getByRole('button', { name: 'إعادة المحاولة', exact: true });
    await expect(retry.isVisible()).resolves.toBe(true);
    // Nothing typed was lost.
    await expect(field(page, 'body').inputValue()).resolves.toBe(body);
    await expect(field(page, 'name').inputValue()).resolves.toBe('منى');
    await expect(field(page, 'email').inputValue()).resolves.toBe('mona@example.org');

    // Back on the same port and data folder.
    server = await startHiwar({ dataDir, port });
    await retry.click();
    await commentWith(page, body).waitFor();
    await expect(alert.count()).resolves.toBe(0);
    await expect(field(page, 'body').inputValue()).resolves.toBe('');
    // Posted once, whatever the retries did.
    await expect(commentWith(page, body).count()).resolves.toBe(1);
    const res = await fetch(`${server.apiUrl}/api/v1/threads?site=demo&url=${encodeURIComponent(url)}`);
    const thread = (await res.json()) as { comments: { html: string }[] };
    expect(thread.comments.filter((c) => c.html.includes(body))).toHaveLength(1);
  });
});
