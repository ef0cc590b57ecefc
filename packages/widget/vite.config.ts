/**
 * Three builds into dist/ (`pnpm build` runs them in this order):
 *
 *   vite build               the app: app-[hash].js (everything: Preact, signals, the SDK,
 *                            both locales, the CSS as a string) and hiwar.js, the same
 *                            module under a stable name for single-page apps
 *   vite build --mode embed  embed.js, the classic loader; it imports app-[hash].js,
 *                            whose name it reads from the app build's manifest
 *   vite build --mode count  count.js, classic, plain DOM
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const shared: UserConfig = {
  // Workspace packages are built from their sources (their `source` export condition);
  // always the production builds of dependencies, whatever NODE_ENV says.
  resolve: { conditions: ['source', 'module', 'browser', 'production'] },
  define: { 'process.env.NODE_ENV': '"production"' },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: here('dist'),
    target: 'es2022',
    minify: true,
    modulePreload: false,
    reportCompressedSize: false,
    license: false,
  },
};

/** The app module's hashed file name, from the manifest the app build wrote. */
function appFile(): string {
  const manifest = JSON.parse(readFileSync(here('dist/.vite/manifest.json'), 'utf8')) as Record<
    string,
    { file: string }
  >;
  const entry = manifest['src/index.ts'];
  if (!entry)
    throw new Error('Build the app first: `vite build` (dist/.vite/manifest.json has no src/index.ts).');
  return entry.file;
}

/**
 * hiwar.js: the app module under a stable name, for single-page apps that import
 * it. A byte-for-byte copy of app-[hash].js (one chunk, nothing to rewrite), which
 * embed.js loads under its hashed, cacheable-forever name.
 */
function stableCopy(): Plugin {
  return {
    name: 'hiwar-stable-copy',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((file) => file.type === 'chunk');
      const app = chunks.find((chunk) => chunk.isEntry && chunk.name === 'app');
      if (!app || chunks.length !== 1) {
        this.error(
          `The app must build into one chunk to be copied as hiwar.js (got ${chunks.map((c) => c.fileName).join(', ')}).`,
        );
      }
      this.emitFile({ type: 'asset', fileName: 'hiwar.js', source: app.code });
    },
  };
}

function classic(entry: string, fileName: string, define: Record<string, string> = {}): UserConfig {
  return {
    ...shared,
    define: { ...shared.define, ...define },
    build: {
      ...shared.build,
      emptyOutDir: false,
      lib: { entry: here(entry), formats: ['iife'], name: 'Hiwar', fileName: () => fileName },
    },
  };
}

export default defineConfig(({ mode }) => {
  if (mode === 'embed')
    return classic('src/embed/embed.ts', 'embed.js', { __HIWAR_APP__: JSON.stringify(appFile()) });
  if (mode === 'count') return classic('src/count/count.ts', 'count.js');
  return {
    ...shared,
    build: {
      ...shared.build,
      emptyOutDir: true,
      manifest: true,
      rolldownOptions: {
        input: { app: here('src/index.ts') },
        preserveEntrySignatures: 'strict',
        output: { format: 'es', entryFileNames: '[name]-[hash].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
    plugins: [stableCopy()],
  };
});
