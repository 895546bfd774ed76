#!/usr/bin/env node
// `npm test`: every check the project has, in one run: lint (layering and core purity), type check,
// Vitest (unit, property, scenario and fuzz tests) and Playwright (browser tests in Debian's Chromium).
// Ends with one plain line `N passed, N failed`, summed over every runner.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureChromium } from './chromium.mjs';

mkdirSync('test-results', { recursive: true });
const results = [];

function run(name, cmd, args, env = {}) {
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

// Lint and type check count as one test each.
for (const [name, args] of [['lint', ['eslint', '.']], ['typecheck', ['tsc', '--noEmit', '-p', '.']]]) {
  const status = run(name, 'npx', args);
  results.push({ name, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1 });
}

function countVitest(file, status) {
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  const j = JSON.parse(readFileSync(file, 'utf8'));
  const failed = j.numFailedTests + (status !== 0 && j.numFailedTests === 0 ? 1 : 0);
  return { passed: j.numPassedTests, failed };
}
{
  const out = 'test-results/vitest.json';
  const status = run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  results.push({ name: 'vitest', ...countVitest(out, status) });
}

function countPlaywright(file, status) {
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  const j = JSON.parse(readFileSync(file, 'utf8'));
  const s = j.stats ?? {};
  const failed = (s.unexpected ?? 0) + (s.flaky ?? 0) + (status !== 0 && !(s.unexpected > 0) ? 1 : 0);
  return { passed: s.expected ?? 0, failed };
}
{
  const chromium = ensureChromium();
  if (!chromium) {
    console.error('No Chromium found and it could not be installed: browser tests count as failed.');
    results.push({ name: 'playwright', passed: 0, failed: 1 });
  } else {
    const out = path.resolve('test-results/playwright.json');
    const status = run('playwright', 'npx', ['playwright', 'test', '-c', 'tests/e2e/playwright.config.ts', '--reporter=list,json'],
      { PLAYWRIGHT_JSON_OUTPUT_NAME: out, FLOTILLA_CHROMIUM: chromium });
    results.push({ name: 'playwright', ...countPlaywright(out, status) });
  }
}

let passed = 0;
let failed = 0;
console.log('\n=== summary');
for (const r of results) {
  console.log(`${r.name}: ${r.passed} passed, ${r.failed} failed`);
  passed += r.passed;
  failed += r.failed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
