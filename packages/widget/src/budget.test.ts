// Size budgets of the built widget (DESIGN.md, "Widget"; issue 3). Reads dist/,
// building it first when it is missing or older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Everything a reader downloads to see and use the thread: loader, app chunks, CSS and
 * the messages of one language. The widget imports the table of the one language it
 * speaks (`loadMessages`; none until it knows which), so the larger of the two counts.
 */
const READER_TARGET = 16 * 1024;
/** count.js, on listing pages. */
const COUNT_BUDGET = 1.5 * 1024;

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

/**
 * The app module embed.js loads and every chunk it imports, from Vite's manifest:
 * `app` (the module first, then what it imports at once) and `locales`, one file per
 * language. Any other lazily imported chunk would be counted with the app.
 */
function appFiles(): { app: string[]; locales: string[] } {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Manifest;
  const files = new Set<string>();
  const visit = (key: string) => {
    const entry = manifest[key];
    if (!entry || files.has(entry.file) || LOCALES.includes(key)) return;
    files.add(entry.file);
    for (const css of entry.css ?? []) files.add(css);
    for (const next of [...(entry.imports ?? []), ...(entry.dynamicImports ?? [])]) visit(next);
  };
  visit('src/index.ts');
  return { app: [...files], locales: LOCALES.map((key) => manifest[key]?.file ?? `(no chunk for ${key})`) };
}

const kib = (n: number) => `${(n / 1024).toFixed(2)} KiB`;

describe('the built widget', () => {
  beforeAll(buildIfStale, 120_000);

  it(`costs a reader at most ${kib(READER_TARGET)} brotli to see and use a thread`, () => {
    const { app, locales } = appFiles();
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

  it('publishes the app module under a stable name too, for single-page apps', () => {
    const [app] = appFiles().app;
    expect(readFileSync(join(dist, 'hiwar.js'), 'utf8')).toBe(readFileSync(join(dist, app ?? ''), 'utf8'));
  });
});
