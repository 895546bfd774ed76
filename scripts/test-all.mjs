#!/usr/bin/env node
// `npm test`: every check the project has, in one run: lint (layering and core purity), type check,
// Vitest (unit, property, scenario and fuzz tests) and Playwright (browser tests in Debian's Chromium).
// Ends with one plain line `N passed, N failed, N skipped`, summed over every runner, after one such line per
// runner and the list of skipped tests with the reason each gives. A skip that gives no reason counts as failed:
// no test is skipped silently (a Vitest suite gives its reason in its title, see tests/skipReason.ts; a
// Playwright test in its skip annotation).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureChromium } from './chromium.mjs';
import { ensureEtcd } from './etcd.mjs';

mkdirSync('test-results', { recursive: true });
const results = [];
/** Every skipped test: runner, file, reason (undefined when it gives none). */
const skips = [];

function run(name, cmd, args, env = {}) {
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

// Lint and type check count as one test each.
for (const [name, args] of [['lint', ['eslint', '.']], ['typecheck', ['tsc', '--noEmit', '-p', '.']]]) {
  const status = run(name, 'npx', args);
  results.push({ name, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, skipped: 0 });
}

const SKIP_REASON = /\[skipped: (.*)\]/;

function countVitest(file, status) {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const j = JSON.parse(readFileSync(file, 'utf8'));
  const failed = j.numFailedTests + (status !== 0 && j.numFailedTests === 0 ? 1 : 0);
  let skipped = 0;
  for (const testFile of j.testResults) {
    for (const t of testFile.assertionResults) {
      if (t.status === 'passed' || t.status === 'failed') continue;
      skipped++;
      skips.push({ runner: 'vitest', file: path.relative(process.cwd(), testFile.name), reason: SKIP_REASON.exec(t.fullName)?.[1] ?? t.fullName });
      if (!SKIP_REASON.test(t.fullName)) skips.at(-1).unexplained = true;
    }
  }
  return { passed: j.numPassedTests, failed, skipped };
}
{
  const etcd = ensureEtcd();
  const out = 'test-results/vitest.json';
  const status = run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    etcd ? { ETCD_BIN: etcd } : {});
  results.push({ name: 'vitest', ...countVitest(out, status) });
}

/** Every test of a Playwright JSON report, with the titles of the suites around it. */
function* playwrightTests(suite, titles = []) {
  const here = suite.title ? [...titles, suite.title] : titles;
  for (const spec of suite.specs ?? []) for (const test of spec.tests ?? []) yield { file: spec.file, title: [...here, spec.title].join(' > '), test };
  for (const child of suite.suites ?? []) yield* playwrightTests(child, here);
}

function countPlaywright(file, status) {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const j = JSON.parse(readFileSync(file, 'utf8'));
  const s = j.stats ?? {};
  const failed = (s.unexpected ?? 0) + (s.flaky ?? 0) + (status !== 0 && !(s.unexpected > 0) ? 1 : 0);
  for (const suite of j.suites ?? []) {
    for (const { file, title, test } of playwrightTests(suite)) {
      if (test.status !== 'skipped') continue;
      // A declared skip annotates the test; one decided in the test body (test.skip(cond, why)) its result.
      const annotations = [...(test.annotations ?? []), ...(test.results ?? []).flatMap((r) => r.annotations ?? [])];
      const reason = annotations.find((a) => (a.type === 'skip' || a.type === 'fixme') && a.description)?.description;
      skips.push({ runner: 'playwright', file: `tests/e2e/${file}`, reason: reason ?? title, ...(reason ? {} : { unexplained: true }) });
    }
  }
  return { passed: s.expected ?? 0, failed, skipped: s.skipped ?? 0 };
}
{
  const chromium = ensureChromium();
  if (!chromium) {
    console.error('No Chromium found and it could not be installed: browser tests count as failed.');
    results.push({ name: 'playwright', passed: 0, failed: 1, skipped: 0 });
  } else {
    const out = path.resolve('test-results/playwright.json');
    const status = run('playwright', 'npx', ['playwright', 'test', '-c', 'tests/e2e/playwright.config.ts', '--reporter=list,json'],
      { PLAYWRIGHT_JSON_OUTPUT_NAME: out, FLOTILLA_CHROMIUM: chromium });
    results.push({ name: 'playwright', ...countPlaywright(out, status) });
  }
}

console.log('\n=== summary');
// Skips grouped by runner, file and reason (a skipped suite skips each of its tests for one reason).
const groups = new Map();
for (const s of skips) {
  const label = s.unexplained ? `NO REASON GIVEN (counted as failed): ${s.reason}` : s.reason;
  const key = `${s.runner}: ${s.file}: ${label}`;
  groups.set(key, (groups.get(key) ?? 0) + 1);
}
if (groups.size > 0) {
  console.log('skipped:');
  for (const [key, count] of groups) console.log(`  ${count} × ${key}`);
}
const unexplained = skips.filter((s) => s.unexplained).length;
if (unexplained > 0) results.push({ name: 'skips without a reason', passed: 0, failed: unexplained, skipped: 0 });
let passed = 0;
let failed = 0;
let skipped = 0;
for (const r of results) {
  console.log(`${r.name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed === 0 ? 0 : 1;
