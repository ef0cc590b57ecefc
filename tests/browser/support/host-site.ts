import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A publisher's page: its HTML and the headers it is served with (a CSP, say). */
export interface HostPage {
  html: string;
  headers?: Record<string, string>;
}

export interface HostSite {
  /** `http://127.0.0.1:PORT`: never the Hiwar server's origin, which is `http://localhost:…`. */
  origin: string;
  /** Serves `page` at `path` (no query, no fragment) and returns its full URL. */
  serve(path: string, page: HostPage | string): string;
  close(): Promise<void>;
}

/**
 * A publisher's web site on its own origin, serving the pages a spec registers,
 * as a news site embedding Hiwar does.
 *
 * @example
 * const host = await startHostSite()
 * const url = host.serve('/a/1', widgetPage({ hiwar, site: 'news' }))
 */
export async function startHostSite(): Promise<HostSite> {
  const pages = new Map<string, HostPage>();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://host').pathname;
    const page = pages.get(path);
    if (path === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    if (!page) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    response
      .writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        ...page.headers,
      })
      .end(page.html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    serve(path, page) {
      pages.set(path, typeof page === 'string' ? { html: page } : page);
      return `${origin}${path}`;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface WidgetPageOptions {
  /** The Hiwar server's URL, as readers reach it. */
  hiwar: string;
  site: string;
  /** The host page's own language (`<html lang>`); default `ar`. */
  pageLang?: 'ar' | 'en';
  /** More `data-*` attributes for the embed's script tag, without the `data-` prefix. */
  data?: Record<string, string>;
  title?: string;
  /** Extra markup for the head (styles, a canonical link) and around the widget. */
  head?: string;
  before?: string;
  after?: string;
  /** Leave the `<div data-hiwar>` out: the embed then mounts right after its script. */
  noMount?: boolean;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"]/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char,
  );

/**
 * A plain article page with the embed, pasted as a publisher would:
 * `<div data-hiwar>` and `<script src=".../embed.js" data-site=… async>`.
 */
export function widgetPage(options: WidgetPageOptions): string {
  const lang = options.pageLang ?? 'ar';
  const title = options.title ?? (lang === 'ar' ? 'مقال تجريبي' : 'A test article');
  const data = Object.entries({ site: options.site, ...options.data })
    .map(([name, value]) => ` data-${name}="${escapeHtml(value)}"`)
    .join('');
  return `<!doctype html>
<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${options.head ?? ''}
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${options.before ?? `<p>${lang === 'ar' ? 'نص المقال.' : 'The article.'}</p>`}
${options.noMount ? '' : '<div data-hiwar></div>'}
<script src="${options.hiwar}/embed.js"${data} async></script>
${options.after ?? ''}
</main>
</body>
</html>`;
}
