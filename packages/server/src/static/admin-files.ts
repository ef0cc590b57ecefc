import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentTypeOf, prepareFile, type StaticFile } from './static-file.js';

/** Where `pnpm build` puts the dashboard: packages/admin/dist, beside this package. */
export const DEFAULT_ADMIN_DIR = fileURLToPath(new URL('../../../admin/dist/', import.meta.url));

/** The dashboard's URL prefix; every path below it that is not an asset is the app. */
export const ADMIN_PREFIX = '/admin/';

/**
 * The dashboard loads only its own script and stylesheet, calls only its own
 * origin's API, shows identicons from it and may not be framed: no inline script
 * or style, no other origin.
 */
export const ADMIN_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Every dashboard answer carries these: it stays on its own origin, unframed, unsniffed. */
const SECURITY_HEADERS = {
  'Content-Security-Policy': ADMIN_CSP,
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
};

export interface AdminFiles {
  /** index.html, the answer to every `/admin/…` path that is not an asset. */
  index: StaticFile;
  /** `/admin/assets/index-[hash].js` and the like, by URL path. */
  assets: Map<string, StaticFile>;
}

/**
 * Reads the built dashboard once: index.html and the hashed files under assets/
 * (cached for a year; a new build names them anew). Undefined when the folder has
 * no index.html (the dashboard is not built).
 *
 * @example
 * const admin = loadAdminFiles(DEFAULT_ADMIN_DIR)
 * admin?.index.headers['Content-Security-Policy'] // ADMIN_CSP
 */
export function loadAdminFiles(dir: string): AdminFiles | undefined {
  const indexPath = join(dir, 'index.html');
  if (!existsSync(indexPath)) return undefined;
  const index = prepareFile('index.html', readFileSync(indexPath), {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-cache',
  });
  const assets = new Map<string, StaticFile>();
  const assetsDir = join(dir, 'assets');
  if (existsSync(assetsDir)) {
    for (const entry of readdirSync(assetsDir, { withFileTypes: true })) {
      if (!entry.isFile() || entry.name.startsWith('.') || !contentTypeOf(entry.name)) continue;
      assets.set(
        `${ADMIN_PREFIX}assets/${entry.name}`,
        prepareFile(entry.name, readFileSync(join(assetsDir, entry.name)), {
          ...SECURITY_HEADERS,
          'Cache-Control': 'public, max-age=31536000, immutable',
        }),
      );
    }
  }
  return { index, assets };
}
