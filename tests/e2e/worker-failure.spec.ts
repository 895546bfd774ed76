/**
 * A worker that throws (test-only fault injection `failNode=NODE@INPUT`, src/worker/faultPlan.ts) is reported as
 * a failed node with its error, and the rest of the cluster goes on.
 */
import { expect, test } from '@playwright/test';
import { downloadTrace, runUrl, workerCount } from './worker-support.ts';

const scenario = {
  name: 'worker e2e: a failing worker',
  nodes: 5,
  seed: 5,
  until: 5000,
  actions: [{ at: 4000, do: 'propose', node: 'leader', data: 'after-failure' }],
};

test('a worker that throws is shown as a failed node with its error; the others elect, commit and apply', async ({ page }) => {
  await page.goto(runUrl(scenario, { seed: scenario.seed, host: 'worker', failNode: '3@150', run: 'end' }));
  await expect(page.getByText('Finished')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('button', { name: /^S3, .*failed$/ })).toBeVisible();
  await expect(page.getByText(/node 3 failed: injected fault \(test-only failNode\): node 3 throws on its input #150/).first()).toBeVisible();
  expect(await workerCount(page)).toBe(4);
  for (const node of [1, 2, 4, 5]) await expect(page.getByRole('button', { name: new RegExp(`^S${node}, `) })).not.toHaveAccessibleName(/failed|crashed/);

  // The rest went on: the proposal made after the failure is applied by every other node.
  const events = (await downloadTrace(page)).trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as { type: string; node?: number; data?: unknown });
  const applied = new Set(events.filter((e) => e.type === 'apply' && e.data === 'after-failure').map((e) => e.node));
  expect([...applied].sort()).toEqual([1, 2, 4, 5]);
});
