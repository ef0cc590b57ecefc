/**
 * Pathological inputs for the comment renderer: nested quotes, `*` and `_`
 * runs, `[` runs, backtick runs, unclosed links and emphasis pairs, at 1 000,
 * 8 000 and 64 000 characters. Reports microseconds per input character at each
 * size; a renderer that stays linear keeps that figure roughly flat, so the
 * ratio of µs/char at 64k to 8k (≈1 linear, ≈8 quadratic) is the number to watch.
 *
 * It times `renderMarkdown` of the built server (markdown-it, then the
 * sanitizer) in this process. Run by run.mjs, which gives it a time limit;
 * alone: `node bench/markdown.mjs` (prints JSON).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const SIZES = [1_000, 8_000, 64_000];

const fill = (unit, size) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

/** Each input is `size` characters long. */
export const INPUTS = {
  'nested quotes >>>>': (size) => `${fill('>', size - 2)} x`,
  'quote lines > > >': (size) => fill('> > > > > > > > x\n', size),
  '* run': (size) => fill('*', size),
  '*a pairs': (size) => fill('*a', size),
  '_ run with words': (size) => fill('_a ', size),
  '[ run': (size) => fill('[', size),
  '[a]( unclosed links': (size) => fill('[a](', size),
  'backtick run': (size) => fill('`', size),
  'backtick ladder': (size) => fill('`a``b```c', size),
  'nested list items': (size) => fill('- ', size),
  'angle brackets <': (size) => fill('<a', size),
};

/**
 * Renders each input at each size until ~300 ms or 200 runs have passed (at
 * least once), and keeps the median time.
 */
export async function benchMarkdown() {
  // The built server's renderer, by path: it is not part of the package's public entry.
  const modulePath = fileURLToPath(
    new URL('../packages/server/dist/content/render-markdown.js', import.meta.url),
  );
  if (!existsSync(modulePath))
    throw new Error(`${modulePath} is missing: build the server first (pnpm build)`);
  const { renderMarkdown } = await import(pathToFileURL(modulePath).href);
  for (let i = 0; i < 200; i++)
    renderMarkdown('warm **up** [the](https://example.com/jit) > renderer\n\n`code`');

  const results = [];
  for (const [name, make] of Object.entries(INPUTS)) {
    const row = { input: name, sizes: {} };
    for (const size of SIZES) {
      const source = make(size);
      const times = [];
      const budget = performance.now() + 300;
      let outputLength = 0;
      do {
        const started = performance.now();
        outputLength = renderMarkdown(source).length;
        times.push(performance.now() - started);
      } while (performance.now() < budget && times.length < 200);
      times.sort((a, b) => a - b);
      const ms = times[Math.floor(times.length / 2)];
      row.sizes[size] = {
        ms: Number(ms.toFixed(3)),
        usPerChar: Number(((ms * 1000) / size).toFixed(3)),
        outputLength,
        runs: times.length,
      };
    }
    // µs per char from 8k to 64k: flat (≈1) when linear, ≈8 when quadratic. At 1k the
    // fixed cost of a call weighs more, so that step says less.
    const per = (size) => Math.max(row.sizes[size].usPerChar, 0.01);
    row.growth8kTo64k = Number((per(64_000) / per(8_000)).toFixed(2));
    row.growth1kTo64k = Number((per(64_000) / per(1_000)).toFixed(2));
    results.push(row);
  }
  return results;
}

/**
 * Runs this file in a child process with a time limit, so that a renderer gone
 * quadratic cannot hold the bench: resolves with `{ rows }` or `{ error }`.
 */
export function benchMarkdownInChild(timeoutMs = 180_000) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ rows: JSON.parse(out) });
      else if (signal === 'SIGKILL')
        resolve({ error: `killed after ${timeoutMs / 1000} s: the renderer is not linear` });
      else resolve({ error: `exit ${code}: ${err.trim().slice(-500)}` });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${JSON.stringify(await benchMarkdown())}\n`);
}
