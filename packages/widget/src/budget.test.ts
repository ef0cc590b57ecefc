// Size budgets of the built widget (DESIGN.md, "Widget"; issue 3). Reads dist/,
// building it first when it is missing or older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Everything a reader downloads to see and use the thread: loader, app chunks, CSS, both locales.
 * Issue 3's target is 16 KiB; the widget is at 19.2 KiB and the issue stays open until it is met.
 * Until then this ceiling keeps the size from growing unnoticed; lower it with every saving.
 */
const READER_TARGET = 16 * 1024;
const READER_BUDGET = 19.5 * 1024;
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

/** The app module embed.js loads, and every chunk that module imports, from Vite's manifest. */
function appFiles(): string[] {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    { file: string; imports?: string[]; dynamicImports?: string[]; css?: string[] }
  >;
  const files = new Set<string>();
  const visit = (key: string) => {
    const entry = manifest[key];
    if (!entry || files.has(entry.file)) return;
    files.add(entry.file);
    for (const css of entry.css ?? []) files.add(css);
    for (const next of [...(entry.imports ?? []), ...(entry.dynamicImports ?? [])]) visit(next);
  };
  visit('src/index.ts');
  return [...files];
}

const kib = (n: number) => `${(n / 1024).toFixed(2)} KiB`;

describe('the built widget', () => {
  beforeAll(buildIfStale, 120_000);

  it(`costs a reader at most ${kib(READER_BUDGET)} brotli to see and use a thread`, () => {
    const app = appFiles();
    expect(readFileSync(join(dist, 'embed.js'), 'utf8')).toContain(app[0]);
    const sizes = ['embed.js', ...app].map(measure);
    const total: Size = { file: 'total', raw: 0, gzip: 0, brotli: 0 };
    for (const s of sizes) {
      total.raw += s.raw;
      total.gzip += s.gzip;
      total.brotli += s.brotli;
    }
    for (const s of [...sizes, total, measure('count.js')]) {
      console.log(
        `${s.file.padEnd(20)} raw ${kib(s.raw).padStart(10)}  gzip ${kib(s.gzip).padStart(10)}  brotli ${kib(s.brotli).padStart(10)}`,
      );
    }
    if (total.brotli > READER_TARGET) {
      console.log(`over issue 3's target of ${kib(READER_TARGET)} by ${kib(total.brotli - READER_TARGET)}`);
    }
    expect(total.brotli).toBeLessThanOrEqual(READER_BUDGET);
  });

  it(`keeps count.js under ${kib(COUNT_BUDGET)} brotli, with no framework in it`, () => {
    const count = readFileSync(join(dist, 'count.js'), 'utf8');
    expect(measure('count.js').brotli).toBeLessThanOrEqual(COUNT_BUDGET);
    expect(count).not.toMatch(/\bimport\b|preact|createClient/i);
  });

  it('publishes the app module under a stable name too, for single-page apps', () => {
    const [app] = appFiles();
    expect(readFileSync(join(dist, 'hiwar.js'), 'utf8')).toBe(readFileSync(join(dist, app ?? ''), 'utf8'));
  });
});
