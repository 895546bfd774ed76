#!/usr/bin/env node
// `npm run bench [-- --json] [-- --only NAME]`: runs every bench/*.bench.ts in Node (through tsx) and, unless
// --no-browser, the browser benchmarks (bench/browser/run.mjs). Each bench module's default export is
// `async (log) => ({ figureName: number, ... })`. Human-readable lines go to stderr; with --json, stdout gets
// one JSON object with every named figure.
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? args[onlyIdx + 1] : undefined;
const browser = !args.includes('--no-browser');

const dir = path.resolve('bench');
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort();
const figures = {};
const log = (line) => process.stderr.write(line + '\n');
for (const f of files) {
  log(`# ${f}`);
  const mod = await import(pathToFileURL(path.join(dir, f)).href);
  const out = await mod.default(log);
  for (const [k, v] of Object.entries(out)) {
    figures[k] = v;
    log(`  ${k} = ${typeof v === 'number' ? Math.round(v * 100) / 100 : v}`);
  }
}
const browserRunner = path.join(dir, 'browser', 'run.mjs');
if (browser && !only && existsSync(browserRunner)) {
  log('# browser');
  const mod = await import(pathToFileURL(browserRunner).href);
  Object.assign(figures, await mod.default(log));
}
if (json) process.stdout.write(JSON.stringify(figures) + '\n');
