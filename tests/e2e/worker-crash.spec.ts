/**
 * Crash = the node's worker is terminated; restart = a new worker rebuilt from the persisted state the bus keeps.
 * Counted from the page (`data-worker-count`), checked against the trace `flotilla sim` writes.
 */
import { expect, test } from '@playwright/test';
import { cliSimJson, downloadTrace, runUrl, sha256Hex, workerCount } from './worker-support.ts';

const scenario = {
  name: 'worker e2e: crash and restart',
  nodes: 5,
  seed: 11,
  until: 8000,
  actions: [
    { at: 1500, do: 'propose', node: 'leader', data: 'a=1' },
    { at: 2000, do: 'propose', node: 'leader', data: 'b=2' },
    { at: 3000, do: 'crash', node: 2 },
    { at: 6000, do: 'restart', node: 2 },
  ],
};

type StateEvent = { t: number; type: 'state'; node: number; term: number; commit: number; last: [number, number] };

test('a crashed node loses its worker, and its restarted worker still holds the log and the term', async ({ page }) => {
  const reference = cliSimJson(scenario, scenario.seed);
  const crashAt = reference.events.findIndex((e) => e.type === 'crash');
  const restartAt = reference.events.findIndex((e) => e.type === 'restart');
  expect(crashAt).toBeGreaterThan(0);
  const states = (from: number, to: number) =>
    reference.events.slice(from, to).filter((e): e is StateEvent & typeof e => e.type === 'state' && e.node === 2) as unknown as StateEvent[];
  const beforeCrash = states(0, crashAt).at(-1)!;
  expect(beforeCrash.last[0]).toBeGreaterThanOrEqual(3); // it had replicated both proposals

  // Open the run just after the crash event: four workers left.
  await page.goto(runUrl(scenario, { seed: scenario.seed, host: 'worker', pos: crashAt + 1 }));
  await expect.poll(() => workerCount(page)).toBe(4);
  await expect(page.getByRole('button', { name: /^S2, .*crashed/ })).toBeVisible();

  // Run on: the restart brings a fifth worker back.
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(page.getByText('Finished')).toBeVisible({ timeout: 60_000 });
  expect(await workerCount(page)).toBe(5);
  const restartedNode = page.getByRole('button', { name: `S2, follower, term ${beforeCrash.term}` });
  await expect(restartedNode).toBeVisible();
  // Its inspector shows the election timer, which only the new worker's status (over Comlink) can tell.
  await restartedNode.click();
  await page.getByRole('menuitem', { name: /Inspect/ }).click();
  await expect(page.getByRole('row', { name: /Election timer/ })).toContainText(/\d+% elapsed/);
  await expect(page.getByRole('row', { name: /Last entry/ })).toContainText(`index ${beforeCrash.last[0]}, term ${beforeCrash.last[1]}`);
  await page.keyboard.press('Escape');

  // The page's trace is the CLI's, and in it the restarted node starts from its persisted log, term and commit.
  const trace = await downloadTrace(page);
  expect(sha256Hex(trace)).toBe(reference.traceSha256);
  const events = trace.trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as { type: string; node?: number });
  const restarted = events.slice(restartAt).find((e): e is StateEvent => e.type === 'state' && e.node === 2)!;
  expect(restarted.term).toBe(beforeCrash.term);
  expect(restarted.last).toEqual(beforeCrash.last);
  expect(restarted.commit).toBe(beforeCrash.commit);
});
