#!/usr/bin/env node
// Runs every bench/*.js except this one (or only the names given: `node bench/run.js ports`), one after the other,
// because benchmarks that share 2 cores would measure each other. Exits 1 if any of them failed.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const self = basename(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((name) => name.endsWith('.js') && name !== self)
  .sort();

const wanted = process.argv.slice(2).map((name) => (name.endsWith('.js') ? name : `${name}.js`));
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (have: ${available.join(', ')})`);
  process.exit(2);
}

const failed = [];
for (const name of wanted.length > 0 ? wanted : available) {
  console.log(`\n=== bench/${name}`);
  const run = spawnSync(process.execPath, [join(here, name)], { stdio: 'inherit' });
  if (run.status !== 0) failed.push(`${name} (${run.signal ?? `exit ${run.status}`})`);
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
