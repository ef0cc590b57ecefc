import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Test layout (`pnpm test` runs scripts/test.mjs, which starts PostgreSQL and runs `vitest run`):
 *
 * - unit      packages/<pkg>/src/**\/*.test.{ts,tsx}, beside the code; no database, Node.
 * - <pkg>     a package that needs more (a DOM, JSX) brings packages/<pkg>/vitest.config.ts,
 *             a project of its own (give it `test.name`); its files then leave `unit`.
 * - pglite    packages/server/test/**\/*.test.ts: the storage/API integration suites, on PGlite.
 * - postgres  the same files again on a real PostgreSQL server (only when HIWAR_TEST_PG_URL is set).
 * - e2e       tests/**\/*.test.ts: across packages, real PostgreSQL, processes, sockets.
 *             (Browser specs will be tests/**\/*.spec.ts with a runner config of their own.)
 *
 * A storage suite learns its database from process.env.HIWAR_TEST_DB: 'pglite' or 'postgres';
 * with 'postgres' it connects to process.env.HIWAR_TEST_PG_URL (a superuser URL: create a
 * database per file with CREATE DATABASE and drop it afterwards).
 */
const storageSuites = ['packages/server/test/**/*.test.ts'];
const postgresUrl = process.env.HIWAR_TEST_PG_URL;
const packagesDir = fileURLToPath(new URL('./packages', import.meta.url));
const withOwnConfig = readdirSync(packagesDir).filter((name) =>
  existsSync(`${packagesDir}/${name}/vitest.config.ts`),
);

export default defineConfig({
  // Workspace packages export `source` → src/*.ts: tests run on the sources, no build needed.
  // Tests run in Vite's ssr environment, which takes its conditions from `ssr.resolve`, not
  // from `resolve` (Vitest also hands them to its Node workers as --conditions).
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    exclude: ['**/node_modules/**', '**/dist/**', '**/.git/**'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.{ts,tsx}'],
          exclude: withOwnConfig.map((name) => `packages/${name}/**`),
        },
      },
      ...withOwnConfig.map((name) => `packages/${name}/vitest.config.ts`),
      {
        extends: true,
        test: {
          name: 'pglite',
          include: storageSuites,
          env: { HIWAR_TEST_DB: 'pglite' },
          globalSetup: ['packages/server/test/pglite-template.ts'],
        },
      },
      ...(postgresUrl
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: storageSuites,
                env: { HIWAR_TEST_DB: 'postgres', HIWAR_TEST_PG_URL: postgresUrl },
              },
            },
          ]
        : []),
      {
        extends: true,
        test: { name: 'e2e', include: ['tests/**/*.test.ts'] },
      },
    ],
  },
});
