import { Hono } from 'hono';
import { ApiError } from '../http/api-error.js';
import { ADMIN_PREFIX, type AdminFiles, DEFAULT_ADMIN_DIR, loadAdminFiles } from './admin-files.js';
import { DEFAULT_DEMO_DIR, loadDemoPages } from './demo-pages.js';
import { type StaticFile, serveFile } from './static-file.js';
import { DEFAULT_WIDGET_DIR, loadWidgetFiles, STABLE_NAMES } from './widget-files.js';

export interface StaticRoutesOptions {
  /** The built widget; defaults to packages/widget/dist beside this package. */
  widgetDir?: string;
  /** The built dashboard; defaults to packages/admin/dist beside this package. */
  adminDir?: string;
  /** Serve the demo newspaper at `/`, `/news/…` and `/listing` (the embedded default). */
  demo: boolean;
  /** The demo's folder; defaults to examples/arabic-news in the repository. */
  demoDir?: string;
  /** Where readers reach Hiwar: the demo pages' canonical URLs start with it. */
  publicUrl: string;
  logger?: { warn(object: object, message: string): void };
}

/** While the widget is not built, its folder is looked at again at most this often. */
const RECHECK_MS = 2000;

/** The widget folder, read once per folder and process (tests build many apps). */
const loaded = new Map<string, { files: Map<string, StaticFile> | undefined; at: number }>();

function widgetFiles(dir: string): Map<string, StaticFile> | undefined {
  const cached = loaded.get(dir);
  if (cached && (cached.files || Date.now() - cached.at < RECHECK_MS)) return cached.files;
  const files = loadWidgetFiles(dir);
  loaded.set(dir, { files, at: Date.now() });
  return files;
}

/** The dashboard's folder, read as the widget's is. */
const loadedAdmin = new Map<string, { files: AdminFiles | undefined; at: number }>();

function adminFiles(dir: string): AdminFiles | undefined {
  const cached = loadedAdmin.get(dir);
  if (cached && (cached.files || Date.now() - cached.at < RECHECK_MS)) return cached.files;
  const files = loadAdminFiles(dir);
  loadedAdmin.set(dir, { files, at: Date.now() });
  return files;
}

/**
 * The widget's files (`/embed.js`, `/count.js`, `/hiwar.js` and its hashed
 * chunks) and, with `demo`, the demo pages. Every file is read and compressed
 * when the routes are made; only names found then are served, so no request
 * can reach another file. Until the widget is built, `/embed.js` and the other
 * stable names answer 503 `unavailable`, and the folder is looked at again (so
 * a `pnpm build` next to a running server is picked up).
 *
 * The dashboard is served at `/admin/` (`/admin` redirects there): its hashed
 * assets under `/admin/assets/`, and index.html for every other `/admin/…` path,
 * which the dashboard's router reads. Until it is built, those answer 503.
 *
 * @example
 * app.route('/', staticRoutes({ demo: !config.databaseUrl, publicUrl: config.publicUrl }))
 */
export function staticRoutes(options: StaticRoutesOptions): Hono {
  const widgetDir = options.widgetDir ?? DEFAULT_WIDGET_DIR;
  let files = widgetFiles(widgetDir);
  if (!files) {
    options.logger?.warn(
      { widgetDir },
      'the widget is not built, so /embed.js answers 503: run `pnpm build` (or `pnpm start`, which builds first)',
    );
  }
  let pages: Map<string, StaticFile> | undefined;
  if (options.demo) {
    const demoDir = options.demoDir ?? DEFAULT_DEMO_DIR;
    pages = loadDemoPages(demoDir, options.publicUrl);
    if (!pages)
      options.logger?.warn({ demoDir }, 'the demo pages are missing, so / and /listing are not served');
  }

  const adminDir = options.adminDir ?? DEFAULT_ADMIN_DIR;
  let admin = adminFiles(adminDir);

  const app = new Hono();
  app.get('/admin', (c) => c.redirect(ADMIN_PREFIX, 301));
  app.get(`${ADMIN_PREFIX}*`, (c) => {
    admin ??= adminFiles(adminDir);
    if (!admin) {
      throw new ApiError(
        'unavailable',
        'The Hiwar dashboard is not built yet. Run `pnpm build` in the Hiwar folder (it builds packages/admin), or start the server with `pnpm start`, which builds first.',
      );
    }
    const path = c.req.path;
    if (path.startsWith(`${ADMIN_PREFIX}assets/`)) {
      const asset = admin.assets.get(path);
      if (!asset) throw new ApiError('not_found', 'There is nothing at this address.');
      return serveFile(c, asset);
    }
    return serveFile(c, admin.index);
  });
  app.get('*', async (c, next) => {
    const path = c.req.path;
    const page = pages?.get(path);
    if (page) return serveFile(c, page);
    files ??= widgetFiles(widgetDir);
    const file = files?.get(path);
    if (file) return serveFile(c, file);
    if (!files && (STABLE_NAMES as readonly string[]).includes(path)) {
      throw new ApiError(
        'unavailable',
        'The Hiwar widget is not built yet. Run `pnpm build` in the Hiwar folder (it builds packages/widget), or start the server with `pnpm start`, which builds first.',
      );
    }
    await next();
  });
  return app;
}
