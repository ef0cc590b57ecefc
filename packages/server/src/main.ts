#!/usr/bin/env node
// `pnpm start`: the Hiwar server. Settings come from the environment (docs/configuration.md);
// SIGTERM or SIGINT drains it, a second one stops it at once.
import { runBin } from './cli.js';

await runBin(['serve']);
