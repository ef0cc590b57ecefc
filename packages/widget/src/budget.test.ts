// Size budgets of the built widget (DESIGN.md, "Widget"; issue 3). Reads dist/,
// building it first when it is missing or older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Everything a reader downloads to see and use the thread (read it, post to it):
 * loader, app chunks, CSS and the messages of one language. The widget imports the
 * table of the one language it speaks (`loadMessages`; none until it knows which), so
 * the larger of the two counts. The chunks loaded only for some readers are not in it:
 * {@link LAZY} has their own budgets.
 */
const READER_TARGET = 16 * 1024;
/** count.js, on listing pages. */
const COUNT_BUDGET = 1.5 * 1024;
/**
 * Chunks the app imports only when a reader needs them, each with its budget: the
 * proof-of-work solver (when a challenge carries a puzzle) and editing and deleting
 * one's own comments (when one can still be edited). The solver's SHA-256 is its own
 * (packages/sdk/src/sha256.ts, pure JavaScript, so it needs no crypto.subtle and works
 * on plain http pages): a library's would not fit the solver's 2 KiB (issue 5).
 */
const LAZY: Record<string, number> = { 'src/pow.ts': 2 * 1024, 'src/edit.ts': 1.5 * 1024 };

const pkg = fileURLToPath(new URL('..', import.meta.url));
const dist = join(pkg, 'dist');

/** The newest modification time under the given files and folders. */
function newest(paths: string[]): number {
  let latest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else if (!/\.test\.tsx?$/.test(path)) latest = Math.max(latest, stat.mtimeMs);
  };
  for (const path of paths) visit(path);
  return latest;
}

async function buildIfStale() {
  const inputs = [
    join(pkg, 'src'),
    join(pkg, 'vite.config.ts'),
    join(pkg, 'package.json'),
    join(pkg, '../sdk/src'),
    join(pkg, '../protocol/src/codes.ts'),
  ];
  const built = ['embed.js', 'count.js'].map((f) => join(dist, f));
  if (built.every(existsSync) && Math.min(...built.map((f) => statSync(f).mtimeMs)) > newest(inputs)) return;
  // The package's own build script, in a process of its own (NODE_ENV=production, as in CI).
  execFileSync('pnpm', ['run', 'build'], {
    cwd: pkg,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

interface Size {
  file: string;
  raw: number;
  gzip: number;
  brotli: number;
}

function measure(file: string): Size {
  const body = readFileSync(join(dist, file));
  return {
    file,
    raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

type Manifest = Record<
  string,
  { file: string; imports?: string[]; dynamicImports?: string[]; css?: string[] }
>;

/** The message tables, each a chunk the app imports when it knows its language. */
const LOCALES = ['src/i18n/ar.ts', 'src/i18n/en.ts'];

const readManifest = () => JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Manifest;

/**
 * The app module embed.js loads and every chunk it imports, from Vite's manifest:
 * `app` (the module first, then what it imports at once), `locales`, one file per
 * language, and `lazy`, the chunks of {@link LAZY} by source. Any other lazily imported
 * chunk is counted with the app.
 */
function appFiles(): { app: string[]; locales: string[]; lazy: Record<string, string> } {
  const manifest = readManifest();
  const files = new Set<string>();
  const visit = (key: string) => {
    const entry = manifest[key];
    if (!entry || files.has(entry.file) || LOCALES.includes(key) || key in LAZY) return;
    files.add(entry.file);
    for (const css of entry.css ?? []) files.add(css);
    for (const next of [...(entry.imports ?? []), ...(entry.dynamicImports ?? [])]) visit(next);
  };
  visit('src/index.ts');
  const file = (key: string) => manifest[key]?.file ?? `(no chunk for ${key})`;
  return {
    app: [...files],
    locales: LOCALES.map(file),
    lazy: Object.fromEntries(Object.keys(LAZY).map((key) => [key, file(key)])),
  };
}

/** The files a module imports statically (`import … from "./x.js"`), as written. */
const staticImports = (code: string) =>
  [...code.matchAll(/\bimport\s*[^(]*?from\s*"([^"]+)"/g)].map((m) => m[1]);

const kib = (n: number) => `${(n / 1024).toFixed(2)} KiB`;

describe('the built widget', () => {
  beforeAll(buildIfStale, 120_000);

  it(`costs a reader at most ${kib(READER_TARGET)} brotli to see and use a thread`, () => {
    const { app, locales, lazy } = appFiles();
    // The lazy chunks are not in the reader's total.
    expect(app.filter((file) => Object.values(lazy).includes(file))).toEqual([]);
    expect(readFileSync(join(dist, 'embed.js'), 'utf8')).toContain(app[0]);
    const sizes = ['embed.js', ...app].map(measure);
    const languages = locales.map(measure);
    const largest = languages.reduce((a, b) => (b.brotli > a.brotli ? b : a));
    const total: Size = { file: `total (with ${largest.file.slice(0, 2)})`, raw: 0, gzip: 0, brotli: 0 };
    for (const s of [...sizes, largest]) {
      total.raw += s.raw;
      total.gzip += s.gzip;
      total.brotli += s.brotli;
    }
    for (const s of [...sizes, ...languages, total, measure('count.js')]) {
      console.log(
        `${s.file.padEnd(20)} raw ${kib(s.raw).padStart(10)}  gzip ${kib(s.gzip).padStart(10)}  brotli ${kib(s.brotli).padStart(10)}`,
      );
    }
    expect(total.brotli).toBeLessThanOrEqual(READER_TARGET);
  });

  it(`keeps count.js under ${kib(COUNT_BUDGET)} brotli, with no framework in it`, () => {
    const count = readFileSync(join(dist, 'count.js'), 'utf8');
    expect(measure('count.js').brotli).toBeLessThanOrEqual(COUNT_BUDGET);
    expect(count).not.toMatch(/\bimport\b|preact|createClient/i);
  });

  it('loads the proof-of-work solver and the editing of one’s own comments only when needed, each on a budget', () => {
    const { app, lazy } = appFiles();
    const appCode = readFileSync(join(dist, app[0] ?? ''), 'utf8');
    for (const [key, budget] of Object.entries(LAZY)) {
      const file = lazy[key] ?? '';
      const size = measure(file);
      console.log(`${file.padEnd(20)} brotli ${kib(size.brotli).padStart(10)} (lazy, budget ${kib(budget)})`);
      expect(size.brotli, file).toBeLessThanOrEqual(budget);
      // Imported by import() only: never with the app itself.
      expect(appCode).toContain(`import("./${file}")`);
      expect(staticImports(appCode)).not.toContain(`./${file}`);
    }
    // The solver stands alone; the editing part shares the app's Preact and signals.
    expect(staticImports(readFileSync(join(dist, lazy['src/pow.ts'] ?? ''), 'utf8'))).toEqual([]);
    expect(staticImports(readFileSync(join(dist, lazy['src/edit.ts'] ?? ''), 'utf8'))).toEqual([
      `./${app[0]}`,
    ]);
    expect(staticImports(appCode)).toEqual([]);
  });

  it('publishes the app module under a stable name too, for single-page apps', () => {
    // A re-export, not a copy: a page that imports hiwar.js and loads the editing chunk
    // (which imports app-[hash].js) still has one app.
    const [app] = appFiles().app;
    expect(readFileSync(join(dist, 'hiwar.js'), 'utf8')).toBe(`export{mount}from"./${app}";`);
  });
});
