/**
 * Issue 10: the test-only `failNode` parameter is in test builds only (FLOTILLA_TEST_HOOKS=1, the build the other
 * specs run against). A production build, served by `vite preview`, ignores it: a shared link cannot show nodes
 * "failed".
 */
import { expect, test } from '@playwright/test';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot, runUrl, workerCount } from './worker-support.ts';

const scenario = { name: 'web e2e: prod build', nodes: 5, seed: 5, until: 5000 };
const port = Number(process.env.FLOTILLA_E2E_PROD_PORT ?? 4319);

let outDir = '';
let preview: ChildProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  outDir = mkdtempSync(path.join(tmpdir(), 'flotilla-prod-'));
  const env = { ...process.env };
  delete env.FLOTILLA_TEST_HOOKS;
  execFileSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir'], { cwd: repoRoot, env, stdio: 'ignore' });
  preview = spawn('npx', ['vite', 'preview', '--outDir', outDir, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: repoRoot, env, stdio: 'ignore', detached: true });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`vite preview did not start on port ${port}`);
});

test.afterAll(() => {
  // Its own process group (detached): npx and the vite it started.
  if (preview?.pid) process.kill(-preview.pid, 'SIGTERM');
});

test('the production bundle has no code reading failNode (only the worker keeps its error text)', () => {
  const assets = path.join(outDir, 'assets');
  const readers = readdirSync(assets).filter((f) => f.endsWith('.js') && !/worker/i.test(f) && readFileSync(path.join(assets, f), 'utf8').includes('failNode'));
  expect(readers).toEqual([]);
});

test('a production build ignores ?failNode=: no node fails', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${port}` + runUrl(scenario, { seed: scenario.seed, host: 'worker', failNode: '3@150', run: 'end' }));
  await expect(page.getByText('Finished')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('button', { name: /failed$/ })).toHaveCount(0);
  expect(await workerCount(page)).toBe(5);
});
