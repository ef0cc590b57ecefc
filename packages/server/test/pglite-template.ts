// Vitest globalSetup of the `pglite` project: one migrated PGlite folder per run, which each
// test file copies (~1 s) instead of running initdb in-process (~5–25 s on a busy machine).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { deriveKeys } from '../src/crypto/keys.js';
import { openDatabase } from '../src/db/open-database.js';
import { prepareDatabase } from '../src/db/prepare.js';
import { TEST_SECRET } from './test-secret.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'hiwar-pglite-template-'));
  const handle = await openDatabase({ dataDir: dir, lock: false });
  await prepareDatabase(handle.db, deriveKeys(TEST_SECRET), 'pglite');
  await handle.close();
  project.provide('pgliteTemplate', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
