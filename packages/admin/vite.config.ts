/**
 * `vite build`: the dashboard into dist/ — index.html and, under assets/, one
 * hashed script and one hashed stylesheet. The server serves them at /admin/
 * under a policy with no inline script or style, so nothing is inlined: no
 * module-preload polyfill, no CSS in JS, no `style` attributes in components.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/admin/',
  // Workspace packages from their sources; always the production builds of dependencies.
  resolve: { conditions: ['source', 'module', 'browser', 'production'] },
  define: { 'process.env.NODE_ENV': '"production"' },
  // JSX as Preact's classic h() calls, as the widget builds (tsc uses the automatic runtime).
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
  logLevel: 'warn',
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: ['chrome111', 'edge111', 'firefox114', 'safari16.4'],
    minify: 'terser',
    terserOptions: {
      ecma: 2020,
      module: true,
      compress: { passes: 3, toplevel: true, module: true, pure_getters: true },
      mangle: { toplevel: true },
      format: { comments: false },
    },
    modulePreload: false,
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    reportCompressedSize: false,
    license: false,
  },
});
