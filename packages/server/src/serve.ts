// What `dist/main.js` runs when the build made the server bundle (`dist/bundle/serve.js`):
// the same `serve` command, from one bundled file instead of some 600 modules, which
// saves about 10 MiB of resident memory (issue 2's memory targets; see rolldown.config.mjs).
import { runBin } from './cli.js';

await runBin(['serve']);
