// Issue 5: a copied share URL, opened in a fresh page, reaches the same state (same trace hash).
import { expect, test } from '@playwright/test';
import { eventCount, inlineRun, nodeMenu, openRun } from './ui-helpers.ts';

const SCENARIO = { name: 'share test', nodes: 5, seed: 11, until: 6000 };

test('a copied link replays the same run: same moment, same trace sha256', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await openRun(page, inlineRun(SCENARIO, '&host=inline&pos=400'));
  await nodeMenu(page, 2, /^(Crash|Restart) S2$/);
  await nodeMenu(page, 4, 'Propose a value through it…');
  await page.getByRole('dialog', { name: 'Propose through S4' }).getByRole('button', { name: 'Propose' }).click();
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('actions=');
  const moment = await eventCount(page);

  // The link opens at the same moment...
  const fresh = await context.newPage();
  await openRun(fresh, link);
  expect(await eventCount(fresh)).toBe(moment);
  await expect(fresh.getByRole('button', { name: /^S2, .*crashed$/ })).toBeVisible();

  // ...and both pages finish with the same trace.
  await page.getByRole('button', { name: 'Run to end' }).click();
  await fresh.getByRole('button', { name: 'Run to end' }).click();
  const shaA = page.getByRole('status').getByLabel('Trace sha256').or(page.getByLabel('Trace sha256'));
  await expect(shaA).toHaveText(/^[0-9a-f]{64}$/, { timeout: 30_000 });
  await expect(fresh.getByLabel('Trace sha256')).toHaveText(await shaA.innerText(), { timeout: 30_000 });
  await context.close();
});
