// Issue 7, clients next to their nodes: a client is drawn by its node with its own link; killing it by clicking
// it, or cutting its link, stops its keepalives, so the leader expires its lease after about the TTL, the key
// attached to it vanishes from the key-value table, and the narration says why.
import { expect, test, type Page } from '@playwright/test';
import { inlineRun, openRun, pause, play, setSpeed } from './ui-helpers.ts';

const TTL_MS = 3000;

const scenario = {
  name: 'a kept-alive lease', nodes: 3, seed: 11, until: 60_000,
  actions: [
    { at: 300, do: 'client', client: 'svc', via: 2 },
    { at: 1500, do: 'grant', client: 'svc', lease: 'L1', ttlMs: TTL_MS },
    { at: 1500, do: 'put', client: 'svc', key: 'svc/a', value: '10.0.0.7:8080', lease: 'L1' },
    { at: 1500, do: 'keepalive', client: 'svc', lease: 'L1' },
  ],
};

/** Virtual seconds of the narration line that contains `text` (its "go to" button reads like "12.345s"). */
async function narratedAt(page: Page, text: string): Promise<number> {
  const line = page.getByRole('list', { name: 'Narration' }).getByRole('listitem').filter({ hasText: text }).first();
  await expect(line).toBeVisible({ timeout: 30000 });
  return Number((await line.getByRole('button').innerText()).replace('s', '')) * 1000;
}

async function runUntilKeyIsHeld(page: Page): Promise<void> {
  await openRun(page, inlineRun(scenario, '&host=inline'));
  await setSpeed(page, 0.3);
  await play(page);
  const table = page.getByRole('table', { name: /^Keys on S\d/ });
  await expect(table.getByRole('row', { name: /svc\/a/ })).toBeVisible({ timeout: 20000 });
  // Let a few keepalives go by: the lease lives on while its client renews it.
  await page.waitForTimeout(1500);
  await pause(page);
}

test('kill a client by clicking it: its lease expires after about the TTL and its key vanishes', async ({ page }) => {
  await runUntilKeyIsHeld(page);
  await page.getByRole('button', { name: /^svc, via S2, link connected/ }).click();
  await page.getByRole('menuitem', { name: 'Kill client svc' }).click();
  const killedAt = await narratedAt(page, 'svc is killed');
  await play(page);
  const expiredAt = await narratedAt(page, 'lease clock ran out for lease L1');
  await pause(page);
  // No keepalive after the kill: the lease runs out one TTL after its last renewal, which was before the kill.
  expect(expiredAt - killedAt).toBeGreaterThan(TTL_MS - TTL_MS / 3 - 50);
  expect(expiredAt - killedAt).toBeLessThan(TTL_MS + 500);
  await expect(page.getByRole('table', { name: /^Keys on S\d/ }).getByRole('row', { name: /svc\/a/ })).toHaveCount(0, { timeout: 10000 });
  await expect(page.getByRole('button', { name: /^svc, via S2, killed/ })).toBeVisible();
  await page.getByRole('tab', { name: 'Leases' }).click();
  await expect(page.getByRole('listitem', { name: /^Lease L1 of svc: expired/ })).toBeVisible();
  await page.screenshot({ path: 'test-results/kv-client-killed.png' });
});

test('cut a client’s own link: its lease expires, and restoring the link does not bring the key back', async ({ page }) => {
  await runUntilKeyIsHeld(page);
  await page.getByRole('button', { name: /^svc, via S2, link connected/ }).click();
  await page.getByRole('menuitem', { name: 'Cut the link of svc' }).click();
  await expect(page.getByRole('button', { name: /^svc, via S2, link cut/ })).toBeVisible();
  await play(page);
  await narratedAt(page, 'lease clock ran out for lease L1');
  await expect(page.getByRole('table', { name: /^Keys on S\d/ }).getByRole('row', { name: /svc\/a/ })).toHaveCount(0, { timeout: 10000 });
  await pause(page);
  await page.getByRole('button', { name: /^svc, via S2, link cut/ }).click();
  await page.getByRole('menuitem', { name: 'Restore the link of svc' }).click();
  await play(page);
  await page.waitForTimeout(1500);
  await pause(page);
  await expect(page.getByRole('table', { name: /^Keys on S\d/ }).getByRole('row', { name: /svc\/a/ })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/kv-client-cut.png' });
});
