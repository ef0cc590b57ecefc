import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../http/api-error.js';
import { ADMIN_CSP } from './admin-files.js';
import { staticRoutes } from './static.routes.js';

const INDEX =
  '<!doctype html><html lang="ar" dir="rtl"><script type="module" src="/admin/assets/index-AbCd1234.js"></script></html>';
const SCRIPT = `export const app = 1;\n${'const x = "لوحة";\n'.repeat(100)}`;

let dir: string;
let widgetDir: string;

function appWith(adminDir: string) {
  const app = new Hono();
  app.route('/', staticRoutes({ widgetDir, adminDir, demo: false, publicUrl: 'http://localhost:8080' }));
  app.notFound((c) => c.json(new ApiError('not_found', 'Nothing here.').toJSON(), 404));
  app.onError((error, c) => {
    if (!(error instanceof ApiError)) throw error;
    return c.json(error.toJSON(), error.status as 503);
  });
  return app;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hiwar-admin-'));
  widgetDir = mkdtempSync(join(tmpdir(), 'hiwar-admin-widget-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(widgetDir, { recursive: true, force: true });
});

describe('GET /admin/ (the dashboard)', () => {
  beforeEach(() => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-AbCd1234.js'), SCRIPT);
    writeFileSync(join(dir, 'assets', 'style-EfGh5678.css'), 'body{margin:0}');
    writeFileSync(join(dir, 'assets', 'notes.exe'), 'MZ');
  });

  it('serves index.html under a strict policy: no inline code, not framable, same-origin only', async () => {
    const res = await appWith(dir).request('/admin/');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(INDEX);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(ADMIN_CSP);
    expect(ADMIN_CSP).toContain("script-src 'self'");
    expect(ADMIN_CSP).toContain("style-src 'self'");
    expect(ADMIN_CSP).toContain("frame-ancestors 'none'");
    expect(ADMIN_CSP).not.toMatch(/unsafe-|\*/);
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    // Not for other origins to read: no CORS header.
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers every other /admin/ path with index.html, for the dashboard’s router', async () => {
    for (const path of ['/admin/users', '/admin/audit/x', '/admin/%D8%A7']) {
      const res = await appWith(dir).request(path);
      expect(res.status, path).toBe(200);
      await expect(res.text()).resolves.toBe(INDEX);
    }
    const bare = await appWith(dir).request('/admin');
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/admin/');
  });

  it('serves hashed assets for a year, compressed, and nothing else from the folder', async () => {
    const res = await appWith(dir).request('/admin/assets/index-AbCd1234.js', {
      headers: { 'Accept-Encoding': 'br' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await appWith(dir).request('/admin/assets/style-EfGh5678.css')).status).toBe(200);
    for (const path of ['/admin/assets/notes.exe', '/admin/assets/missing-12345678.js']) {
      const miss = await appWith(dir).request(path);
      expect(miss.status, path).toBe(404);
    }
  });

  it('answers 503 unavailable, saying how to build it, while the dashboard is not built', async () => {
    const res = await appWith(join(dir, 'nothing-here')).request('/admin/');
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unavailable');
    expect(body.error.message).toContain('pnpm build');
  });
});
