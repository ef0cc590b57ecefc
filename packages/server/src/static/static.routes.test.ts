import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../http/api-error.js';
import { DEFAULT_DEMO_DIR, parseArticle } from './demo-pages.js';
import { type StaticRoutesOptions, staticRoutes } from './static.routes.js';
import { acceptedCodings } from './static-file.js';

const EMBED = `/* loader */ ${'(function(){var s=document.currentScript;})();'.repeat(20)}`;
const APP = `export function mount(){}\n${'const x = "تعليق";\n'.repeat(200)}`;

let dir: string;

/** Mounted as app.ts mounts it: errors and unknown paths handled by the parent app. */
function appWith(options: Partial<StaticRoutesOptions> = {}) {
  const app = new Hono();
  app.route(
    '/',
    staticRoutes({ widgetDir: dir, demo: false, publicUrl: 'http://localhost:8080', ...options }),
  );
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.notFound((c) => c.json(new ApiError('not_found', 'Nothing here.').toJSON(), 404));
  app.onError((error, c) => {
    if (!(error instanceof ApiError)) throw error;
    return c.json(error.toJSON(), error.status as 503);
  });
  return app;
}

function build(folder: string) {
  mkdirSync(join(folder, '.vite'), { recursive: true });
  writeFileSync(join(folder, 'embed.js'), EMBED);
  writeFileSync(join(folder, 'count.js'), '/* count */');
  writeFileSync(join(folder, 'hiwar.js'), APP);
  writeFileSync(join(folder, 'app-D9AiZ0f5.js'), APP);
  writeFileSync(join(folder, 'app-D9AiZ0f5.js.map'), '{"version":3}');
  writeFileSync(join(folder, '.vite', 'manifest.json'), '{}');
  writeFileSync(join(folder, 'notes.exe'), 'MZ');
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hiwar-static-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /embed.js and the widget files', () => {
  beforeEach(() => build(dir));

  it('serves embed.js for other origins with a short cache and a strong ETag', async () => {
    const res = await appWith().request('/embed.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('etag')).toMatch(/^"[\w-]{32}"$/);
    expect(await res.text()).toBe(EMBED);
  });

  it('answers 304 without a body when If-None-Match names the current content', async () => {
    const app = appWith();
    const first = await app.request('/embed.js', { headers: { 'accept-encoding': 'br' } });
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/-br"$/);
    for (const tag of [etag, etag.replace('-br', ''), `W/${etag}`, `"other", ${etag}`]) {
      const again = await app.request('/embed.js', { headers: { 'if-none-match': tag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('cache-control')).toBe('public, max-age=300');
    }
    const stale = await app.request('/embed.js', { headers: { 'if-none-match': '"something-else"' } });
    expect(stale.status).toBe(200);
  });

  it('sends brotli, else gzip, else the plain file, as Accept-Encoding allows', async () => {
    const app = appWith();
    const br = await app.request('/hiwar.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(APP);

    const gzip = await app.request('/hiwar.js', { headers: { 'accept-encoding': 'gzip;q=0.8, br;q=0' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe(APP);

    const plain = await app.request('/hiwar.js', { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(APP);
  });

  it('caches hashed chunks for a year and the stable module entry briefly', async () => {
    const app = appWith();
    const chunk = await app.request('/app-D9AiZ0f5.js');
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(chunk.headers.get('access-control-allow-origin')).toBe('*');
    expect((await app.request('/app-D9AiZ0f5.js.map')).headers.get('content-type')).toBe(
      'application/json; charset=utf-8',
    );
    expect((await app.request('/hiwar.js')).headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await appWith().request('/embed.js', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(EMBED)));
    expect(await res.text()).toBe('');
  });

  it('serves nothing but the files the build made: no dot-folders, links, unknown types or other paths', async () => {
    symlinkSync('/etc/passwd', join(dir, 'passwd.js'));
    const app = appWith();
    for (const path of [
      '/.vite/manifest.json',
      '/passwd.js',
      '/notes.exe',
      '/../package.json',
      '/%2e%2e/package.json',
      '/embed.js/',
      '/EMBED.JS',
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
    }
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('keeps serving what it read at start when the folder changes under it', async () => {
    const app = appWith();
    writeFileSync(join(dir, 'embed.js'), 'changed');
    expect(await (await app.request('/embed.js')).text()).toBe(EMBED);
  });
});

describe('before the widget is built', () => {
  it('answers 503 unavailable on /embed.js and count.js, telling the owner to run pnpm build', async () => {
    const app = appWith();
    for (const path of ['/embed.js', '/count.js', '/hiwar.js']) {
      const res = await app.request(path);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('unavailable');
      expect(body.error.message).toContain('pnpm build');
    }
    expect((await app.request('/app-D9AiZ0f5.js')).status).toBe(404);
  });

  it('serves the widget once it has been built, without a restart', async () => {
    const app = appWith();
    expect((await app.request('/embed.js')).status).toBe(503);
    const later = mkdtempSync(join(tmpdir(), 'hiwar-static-later-'));
    try {
      const fresh = new Hono();
      fresh.route('/', staticRoutes({ widgetDir: later, demo: false, publicUrl: 'http://localhost:8080' }));
      build(later);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect((await fresh.request('/embed.js')).status).toBe(200);
    } finally {
      rmSync(later, { recursive: true, force: true });
    }
  });
});

describe('the demo pages (embedded default)', () => {
  const seed = readFileSync(join(DEFAULT_DEMO_DIR, 'article.txt'), 'utf8');
  const title = seed.split('\n')[0] ?? '';

  it('serves the seed article as an Arabic right-to-left page with the widget and a strict policy', async () => {
    build(dir);
    const res = await appWith({ demo: true, publicUrl: 'http://localhost:9999' }).request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain(`<h1>${title}</h1>`);
    expect(html).toContain('<link rel="canonical" href="http://localhost:9999/">');
    expect(html).toContain('<div data-hiwar></div>');
    expect(html).toContain('<script src="/embed.js" data-site="demo" async></script>');
    expect(html).toContain('<h2>شی جين بينغ يهاتف رئيسي: الصين ستواصل تطوير العلاقات الودية مع إيران</h2>');
    // The WordPress form's words are the widget's to show, not the article's.
    expect(html).not.toContain('اترك تعليقاً');
    expect(html).not.toMatch(/<style|style=/);
  });

  it('serves /listing with a count placeholder per article and count.js', async () => {
    const res = await appWith({ demo: true, publicUrl: 'http://localhost:9999' }).request('/listing');
    expect(res.status).toBe(200);
    const html = await res.text();
    const counts = [...html.matchAll(/data-hiwar-count="([^"]+)"/g)].map((m) => m[1]);
    expect(counts).toEqual([
      'http://localhost:9999/',
      'http://localhost:9999/news/library',
      'http://localhost:9999/news/heatwave',
    ]);
    expect(html).toContain('<script src="/count.js" data-site="demo" async></script>');
    expect(html).toContain(`<a href="/">${title}</a>`);
    expect((await appWith({ demo: true }).request('/news/library')).status).toBe(200);
    const css = await appWith({ demo: true }).request('/demo.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('serves no page without the embedded default', async () => {
    for (const path of ['/', '/listing', '/demo.css']) {
      expect((await appWith({ demo: false }).request(path)).status).toBe(404);
    }
  });
});

describe('parseArticle', () => {
  it('takes the first line as the title, short unpunctuated blocks as subheadings, and stops at the old form', () => {
    const article = parseArticle(
      'العنوان\n\nفقرة أولى.\n\nعنوان فرعي\n\nفقرة ثانية.\n\nاترك تعليقاً\n\nلن يتم نشر…',
    );
    expect(article).toEqual({
      title: 'العنوان',
      blocks: [
        { kind: 'p', text: 'فقرة أولى.' },
        { kind: 'h2', text: 'عنوان فرعي' },
        { kind: 'p', text: 'فقرة ثانية.' },
      ],
    });
  });
});

describe('acceptedCodings', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['br', ['br']],
    ['gzip, deflate, br, zstd', ['br', 'gzip']],
    ['*', ['br', 'gzip']],
    ['*;q=0.5, br;q=0', ['gzip']],
    ['GZIP;Q=1', ['gzip']],
    ['identity', []],
  ] as const)('%s → %j', (header, codings) => {
    expect(acceptedCodings(header)).toEqual(codings);
  });
});
