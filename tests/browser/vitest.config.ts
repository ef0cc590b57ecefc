import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The browser specs: `vitest run --config tests/browser/vitest.config.ts` from the repo root,
 * after `pnpm build`. The global setup starts one Hiwar server (the built one, as a child
 * process, on a fresh embedded database) and one headless Chromium (Debian's, /usr/bin/chromium);
 * each spec file serves its own host pages from another origin and opens contexts in that
 * browser. Files run one at a time: they share the server and the two cores.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  // Seeding goes through the SDK's sources, as the other suites do.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'browser',
    include: ['tests/browser/**/*.spec.ts'],
    globalSetup: ['tests/browser/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
