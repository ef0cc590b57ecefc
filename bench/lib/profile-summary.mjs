#!/usr/bin/env node
/**
 * Where a V8 CPU profile (`--cpu-prof`) spent its time, as text: self time by package
 * (or Node module), then by function. `node bench/lib/profile-summary.mjs file.cpuprofile`
 */
import { readFileSync } from 'node:fs';

const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const byId = new Map(p.nodes.map((n) => [n.id, n]));
const dt = p.timeDeltas;
let total = 0;
const counts = new Map();
for (let i = 0; i < p.samples.length; i++) {
  counts.set(p.samples[i], (counts.get(p.samples[i]) ?? 0) + (dt[i] ?? 0));
  total += dt[i] ?? 0;
}
const byFn = new Map(),
  byFile = new Map();
for (const [id, t] of counts) {
  const n = byId.get(id);
  const cf = n.callFrame;
  const file = cf.url.replace(/.*node_modules\/\.pnpm\/([^/]+)\/.*/, '$1').replace(/.*\/packages\//, 'pk:');
  const k = `${cf.functionName || '(anon)'} ${file}:${cf.lineNumber}`;
  byFn.set(k, (byFn.get(k) ?? 0) + t);
  byFile.set(file, (byFile.get(file) ?? 0) + t);
}
const top = (m, n) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}% ${k}`)
    .join('\n');
console.log('total ms', (total / 1000).toFixed(0));
console.log(top(byFile, 25));
console.log('---');
console.log(top(byFn, 40));
