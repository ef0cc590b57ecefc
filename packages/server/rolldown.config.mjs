// The server bundle that `dist/main.js` runs (see src/main.ts): `src/serve.ts` and everything
// it imports in one file, plus the chunks loaded on demand (the markdown renderer on the
// first write) and the PGlite initializer, which open-database.ts forks by its path next to
// it. It sits at the same depth as `dist/static/`, so the paths made from import.meta.url
// (the widget, dashboard and demo folders) resolve alike from both.
//
// PGlite stays outside: it reads its WebAssembly and data files next to its own module.
export default {
  input: { serve: 'src/serve.ts', 'pglite-init': 'src/db/pglite-init.ts' },
  platform: 'node',
  external: [/^@electric-sql\/pglite/, 'pg-native', /^node:/],
  output: {
    dir: 'dist/bundle',
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    sourcemap: true,
    cleanDir: true,
  },
};
