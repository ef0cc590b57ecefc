/**
 * Three builds into dist/ (`pnpm build` runs them in this order):
 *
 *   vite build               the app: app-[hash].js (Preact, signals, the SDK, the CSS as
 *                            a string), the chunks it imports when needed: ar-[hash].js and
 *                            en-[hash].js (the message tables, one of which the app imports),
 *                            edit-[hash].js (editing and deleting one's own comments) and
 *                            pow-[hash].js (the proof-of-work solver); and hiwar.js, the app
 *                            module under a stable name for single-page apps
 *   vite build --mode embed  embed.js, the classic loader; it imports app-[hash].js,
 *                            whose name it reads from the app build's manifest
 *   vite build --mode count  count.js, classic, plain DOM
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';
import { defineConfig, type Plugin, type TerserOptions, type UserConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const shared: UserConfig = {
  // Workspace packages are built from their sources (their `source` export condition);
  // always the production builds of dependencies, whatever NODE_ENV says.
  resolve: { conditions: ['source', 'module', 'browser', 'production'] },
  define: { 'process.env.NODE_ENV': '"production"' },
  // JSX as Preact's classic h(type, props, ...children) calls, shorter than the automatic
  // runtime's jsx(type, { ...props, children: [...] }) (about 0.1 KiB brotli over the
  // widget). Only the build does this; tsc and the tests use tsconfig.json's automatic
  // runtime, and the components import neither.
  oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' } },
  plugins: [
    {
      name: 'hiwar-jsx-classic',
      enforce: 'pre',
      transform(code, id) {
        if (id.endsWith('.tsx')) return `import { h, Fragment } from 'preact';${code}`;
      },
    },
  ],
  publicDir: false,
  // widget.css does its light/dark switch itself: lightningcss's fallback for
  // light-dark() (Features.LightDark), set beside every color-scheme, would be dead weight.
  css: { lightningcss: { exclude: 1 << 20 } },
  logLevel: 'warn',
  build: {
    outDir: here('dist'),
    target: ['chrome111', 'edge111', 'firefox114', 'safari16.4'],
    minify: 'terser',
    terserOptions: terser(false),
    modulePreload: false,
    reportCompressedSize: false,
    license: false,
  },
};

/**
 * Terser, three passes, for modern browsers (ECMAScript 2020 output). Top-level names
 * are only renamed and inlined in the app, an ES module (`module`): embed.js and
 * count.js are classic scripts, whose top level is the host page's global scope.
 */
function terser(module: boolean): TerserOptions {
  return {
    ecma: 2020,
    safari10: false,
    module,
    compress: {
      passes: 3,
      unsafe_arrows: true,
      unsafe_methods: true,
      pure_getters: true,
      toplevel: module,
      module,
    },
    mangle: { toplevel: module },
    format: { comments: false },
  };
}

/**
 * Terser on each chunk of the app, with exactly {@link terser}'s options, once the
 * chunks are final: in a library's ES output Vite's own step keeps every `@__PURE__`
 * annotation, which the browser does not need. (The hashes in the names stay those
 * of the code before this step: still one per content.)
 */
function minifyChunks(): Plugin {
  return {
    name: 'hiwar-terser',
    async generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk') chunk.code = (await minify(chunk.code, terser(true))).code ?? chunk.code;
      }
    },
  };
}

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

/** Chunks the app imports lazily, which import nothing: the message tables and the solver. */
const STANDALONE = ['ar', 'en', 'pow'];
/** Chunks the app imports lazily that use the app's own modules (Preact, signals), imported from it. */
const ON_APP = ['edit'];

/**
 * hiwar.js: the app module under a stable name, for single-page apps that import it.
 * It re-exports app-[hash].js, which embed.js loads under its hashed, cacheable-forever
 * name, so that a page has one app whichever name it imported: the lazily loaded
 * `edit` chunk imports Preact and the rest from app-[hash].js, by relative URL. The
 * message tables and the solver import nothing.
 */
function stableCopy(): Plugin {
  return {
    name: 'hiwar-stable-copy',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((file) => file.type === 'chunk');
      const app = chunks.find((chunk) => chunk.isEntry && chunk.name === 'app');
      const others = chunks.filter((chunk) => chunk !== app);
      const expected = [...STANDALONE, ...ON_APP].sort().join();
      const wrong =
        !app ||
        app.imports.length > 0 ||
        others
          .map((chunk) => chunk.name)
          .sort()
          .join() !== expected ||
        others.some((chunk) =>
          ON_APP.includes(chunk.name) ? chunk.imports.join() !== app.fileName : chunk.imports.length > 0,
        );
      if (!app || wrong) {
        this.error(
          `The app must build into one chunk and the lazy chunks ${expected}, the tables and the solver importing nothing (got ${chunks.map((c) => `${c.fileName} → [${c.imports}]`).join(', ')}).`,
        );
      }
      this.emitFile({ type: 'asset', fileName: 'hiwar.js', source: `export{mount}from"./${app.fileName}";` });
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
      // Library mode: Vite adds no preload helper to the dynamic imports of the message
      // tables (there is nothing to preload with them).
      minify: false,
      cssMinify: true,
      lib: { entry: { app: here('src/index.ts') }, formats: ['es'] },
      rolldownOptions: {
        preserveEntrySignatures: 'allow-extension',
        // Terser's three passes take seconds; rolldown need not say so at every build.
        checks: { pluginTimings: false },
        output: { entryFileNames: '[name]-[hash].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
    plugins: [...(shared.plugins ?? []), minifyChunks(), stableCopy()],
  };
});
