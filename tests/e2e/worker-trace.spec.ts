/**
 * Same scenario, same seed, same trace bytes: the app running every node in its own Web Worker (host=worker),
 * and in-process (host=inline), against `npx flotilla sim`.
 */
import { expect, test } from '@playwright/test';
import { cliSim, cliSimJson, downloadTrace, exampleScenarios, repoRoot, runUrl, sha256Hex, workerCount } from './worker-support.ts';
import path from 'node:path';

/** Busy enough to exercise the lookahead windows: losses, duplicates, a crash, a restart, a partition. */
const busy = {
  name: 'worker e2e: busy',
  nodes: 5,
  seed: 21,
  until: 12000,
  network: { latencyMs: [10, 30], dropRate: 0.03, duplicateRate: 0.03 },
  actions: [
    { at: 2000, do: 'propose', node: 'leader', data: 'x=1' },
    { at: 3000, do: 'crash', node: 'leader' },
    { at: 4000, do: 'propose', node: 'leader', data: 'y=2' },
    { at: 5000, do: 'restart', node: 'lastCrashed' },
    { at: 6000, do: 'partition', groups: [[1, 2], [3, 4, 5]] },
    { at: 8000, do: 'heal' },
    { at: 9000, do: 'propose', node: 'leader', data: 'z=3' },
  ],
};

for (const host of ['worker', 'inline'] as const) {
  test(`host=${host}: an example scenario run to the end downloads the trace flotilla sim writes`, async ({ page }) => {
    const examples = exampleScenarios();
    expect(examples.length).toBeGreaterThan(0);
    const example = examples.find((e) => e.endsWith('leader-crash.json')) ?? examples[0]!;
    const seed = 42;
    const reference = cliSim(path.join(repoRoot, example), seed);
    await page.goto(runUrl(example, { seed, host, run: 'end' }));
    await expect(page.getByText('Finished')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByLabel('Trace sha256')).toHaveText(reference.traceSha256);
    expect(sha256Hex(await downloadTrace(page))).toBe(reference.traceSha256);
    expect(await page.locator('html').getAttribute('data-host')).toBe(host);
  });

  test(`host=${host}: a busy scenario (loss, duplicates, crash, partition) matches flotilla sim byte for byte`, async ({ page }) => {
    const reference = cliSimJson(busy, busy.seed);
    await page.goto(runUrl(busy, { seed: busy.seed, host, run: 'end' }));
    await expect(page.getByText('Finished')).toBeVisible({ timeout: 60_000 });
    const trace = await downloadTrace(page);
    expect(sha256Hex(trace)).toBe(reference.traceSha256);
    await expect(page.getByLabel('Trace sha256')).toHaveText(reference.traceSha256);
    // Worker mode keeps one live worker per running node (all five are up at the end); inline has none.
    if (host === 'worker') expect(await workerCount(page)).toBe(5);
    else expect(await page.locator('html').getAttribute('data-worker-count')).toBeNull();
  });
}

test('the app runs the nodes in workers unless told otherwise', async ({ page }) => {
  await page.goto(runUrl(busy, { seed: busy.seed, run: 'end' }));
  await expect(page.getByText('Finished')).toBeVisible({ timeout: 60_000 });
  expect(await page.locator('html').getAttribute('data-host')).toBe('worker');
  expect(await workerCount(page)).toBe(busy.nodes);
});
