#!/usr/bin/env node
// `pnpm start`: the Hiwar server. Settings come from the environment (docs/configuration.md);
// SIGTERM or SIGINT drains it, a second one stops it at once.
//
// `pnpm build` also bundles the server into `dist/bundle/` (rolldown.config.mjs): the same
// code in a few files instead of some 600 modules, about 10 MiB less resident memory. This
// entry runs the bundle when it is there, and the modules of `dist/` otherwise.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('./bundle/serve.js', import.meta.url);
if (existsSync(fileURLToPath(bundle))) {
  await import(bundle.href);
} else {
  const { runBin } = await import('./cli.js');
  await runBin(['serve']);
}
