#!/usr/bin/env node
// `pnpm start`: the Hiwar server. Settings come from the environment (docs/configuration.md);
// SIGTERM or SIGINT drains it, a second one stops it at once.
//
// `pnpm build` also bundles the server into `dist/bundle/` (rolldown.config.mjs): the same
// code in a few files instead of some 600 modules, about 7 MiB less resident memory. This
// entry runs the bundle when it is there and not older than the last TypeScript build (a
// bare `tsc -b`, as `pnpm typecheck` runs, leaves it behind), and the modules of `dist/`
// otherwise.
import { statSync } from 'node:fs';

const bundle = new URL('./bundle/serve.js', import.meta.url);

function bundleIsCurrent(): boolean {
  let made: number;
  try {
    made = statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
  try {
    return made >= statSync(new URL('../tsconfig.tsbuildinfo', import.meta.url)).mtimeMs;
  } catch {
    return true; // a deployed dist/ without the build's record
  }
}

if (bundleIsCurrent()) {
  await import(bundle.href);
} else {
  const { runBin } = await import('./cli.js');
  await runBin(['serve']);
}
