// Issue 7's views on the issue-6 examples: the lease TTL reset when a new Raft leader takes over, and the
// key-value table of a cut-off node marked stale with how many revisions behind. By role and accessible name.
import { expect, test } from '@playwright/test';

test('a new leader restarts every lease’s TTL, and the lease panel shows the reset', async ({ page }) => {
  await page.goto('/?scenario=examples/kv-lease-ttl-reset.json&host=inline&run=end');
  await expect(page.getByText('Finished')).toBeVisible({ timeout: 60000 });
  await page.getByRole('combobox', { name: 'Filter narration by kind' }).selectOption('client');
  const takeover = page.getByRole('list', { name: 'Narration' }).getByRole('listitem').filter({ hasText: /S\d leads and takes over the lease clock/ }).nth(1);
  const [, node] = /S(\d) leads and takes over/.exec(await takeover.innerText())!;
  await takeover.getByRole('button').click(); // go to that moment
  await page.getByRole('tab', { name: 'Leases' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Counted by leader' })).toContainText(`Counted by leader S${node}`);
  const lease = page.getByRole('listitem', { name: /^Lease L1 of svc: / });
  await expect(lease).toHaveAccessibleName(/TTL just reset by a new leader/);
  // TTL + an election timeout left: 3 s + 1 s.
  await expect(lease).toHaveAccessibleName(/: 4\.0 s left \(TTL 3\.0 s, extended at the takeover\)/);
  await page.locator('.kv-panel').screenshot({ path: 'test-results/kv-lease-reset.png' });
});

test('the table of a node cut off in the minority is marked stale with how many revisions behind', async ({ page }) => {
  // Up to 6 s of the CP example: the majority wrote v2 at 3.5 s; S1 and S2 were cut off at 3 s.
  await page.goto('/?scenario=examples/kv-cp-partition.json&host=inline');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.getByRole('slider', { name: 'Speed' }).fill('0.5');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('table', { name: /^Keys on S[345]/ }).getByRole('row', { name: /config/ })).toContainText('v2', { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('combobox', { name: 'Node whose replica the table shows' }).selectOption('1');
  const table = page.getByRole('table', { name: /^Keys on S1, stale by 1 revisions/ });
  await expect(table.getByRole('row', { name: /config/ })).toContainText('v1');
  await expect(page.getByRole('status').filter({ hasText: 'Stale' })).toHaveText(/Stale: 1 revision behind/);
  await page.getByRole('combobox', { name: 'Node whose replica the table shows' }).selectOption('4');
  await expect(page.getByRole('status').filter({ hasText: 'Up to date' })).toBeVisible();
  await page.locator('.kv-panel').screenshot({ path: 'test-results/kv-stale.png' });
});
