import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentTypeOf, prepareFile, type StaticFile } from './static-file.js';

/**
 * Where `pnpm build` puts the widget: packages/widget/dist, found from this
 * module's own place (src/static/ and dist/static/ are both three levels below packages/).
 */
export const DEFAULT_WIDGET_DIR = fileURLToPath(new URL('../../../widget/dist/', import.meta.url));

/** The files a page names directly; they keep their names across builds, so they are revalidated. */
export const STABLE_NAMES = ['/embed.js', '/count.js', '/hiwar.js'] as const;

/**
 * Names the bundler gave a content hash (`app-D9AiZ0f5.js`, `app-D9AiZ0f5.js.map`):
 * a new build gives them a new name, so they are cached for a year.
 */
const HASHED = /-[A-Za-z0-9_-]{8}\.[a-z0-9]+(\.map)?$/;

/** Bigger files are left out: nothing a widget reader downloads comes close. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

const COMMON_HEADERS = {
  // Pages on other origins load these files; `import()` of a module needs CORS.
  'Access-Control-Allow-Origin': '*',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * Reads the built widget once: every file of a type Hiwar serves, by URL path
 * (`/embed.js`, `/app-D9AiZ0f5.js`). Dot-folders (Vite's `.vite/manifest.json`),
 * symbolic links and unknown types are left out, so only what the build made can
 * be served. Undefined when the folder has no embed.js (the widget is not built).
 *
 * @example
 * const files = loadWidgetFiles(DEFAULT_WIDGET_DIR)
 * files?.get('/embed.js')?.headers['Cache-Control'] // 'public, max-age=300'
 */
export function loadWidgetFiles(dir: string): Map<string, StaticFile> | undefined {
  if (!existsSync(join(dir, 'embed.js'))) return undefined;
  const files = new Map<string, StaticFile>();
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      const urlPath = `${prefix}/${entry.name}`;
      if (entry.isDirectory()) walk(path, urlPath);
      else if (entry.isFile() && contentTypeOf(entry.name)) {
        const body = readFileSync(path);
        if (body.length > MAX_FILE_BYTES) continue;
        const hashed = HASHED.test(entry.name) && !(STABLE_NAMES as readonly string[]).includes(urlPath);
        files.set(
          urlPath,
          prepareFile(entry.name, body, {
            ...COMMON_HEADERS,
            'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
          }),
        );
      }
    }
  };
  walk(dir, '');
  return files;
}
