#!/usr/bin/env node
// Browser benchmarks: `npm run bench:browser [-- --json]`, also run by `npm run bench` (scripts/bench.mjs imports
// this module's default export). Launches headless Chromium once and runs every measurement module listed in
// MODULES; each exports `async ({ browser, log }) => ({ figureName: number, ... })` and serves its own page
// (with COOP/COEP, for 5 µs timers). Human-readable lines go to stderr; with --json, stdout gets one JSON object.
// `--only ui.mjs` (or `--only ui`) runs one module.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { ensureChromium } from '../../scripts/chromium.mjs';

/** The measurement modules, in the order they run (paths relative to this directory). */
export const MODULES = ['./worker.mjs', './ui.mjs'];

/** Runs every module (or those in `modules`) in one browser; returns all their figures. */
export default async function runBrowserBenchmarks(log = (line) => process.stderr.write(line + '\n'), modules = MODULES) {
  const executablePath = ensureChromium();
  if (!executablePath) throw new Error('bench:browser: no Chromium found (set FLOTILLA_CHROMIUM or install Debian\'s chromium)');
  const browser = await chromium.launch({
    executablePath, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const figures = {};
  try {
    for (const module of modules) {
      log(`# browser: ${module}`);
      const measure = (await import(new URL(module, import.meta.url).href)).default;
      const out = await measure({ browser, log });
      for (const [name, value] of Object.entries(out)) {
        figures[name] = value;
        log(`  ${name} = ${Math.round(value * 100) / 100}`);
      }
    }
  } finally {
    await browser.close();
  }
  return figures;
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const only = process.argv.indexOf('--only');
  const name = only >= 0 ? process.argv[only + 1] ?? '' : '';
  const modules = only >= 0 ? MODULES.filter((m) => m === `./${name}` || m === `./${name}.mjs`) : MODULES;
  if (modules.length === 0) throw new Error(`--only: no module ${name} (known: ${MODULES.join(', ')})`);
  const figures = await runBrowserBenchmarks(undefined, modules);
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(figures) + '\n');
}
