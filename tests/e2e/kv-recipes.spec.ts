// Issue 7's recipe stories in the browser, by role and accessible name: an election handover after the leader's
// client is killed by clicking it; an instance vanishing from discovery after its node is cut off, back only
// when its client registers again; cron across a Raft leader crash, once per period, a deposed leader's
// record refused. The scenarios are the bundled examples (examples/etcd-*.json).
import { expect, test, type Page } from '@playwright/test';
import { inlineRun, openRun, pause, play, setSpeed } from './ui-helpers.ts';
import election from '../../examples/etcd-leader-election.json' with { type: 'json' };
import discovery from '../../examples/etcd-service-discovery.json' with { type: 'json' };

/** Virtual ms of the first narration line containing `text` (its go-to button reads "12.345s"). */
async function narratedAt(page: Page, text: string, timeout = 30000): Promise<number> {
  const line = page.getByRole('list', { name: 'Narration' }).getByRole('listitem').filter({ hasText: text }).first();
  await expect(line).toBeVisible({ timeout });
  return Math.round(Number((await line.getByRole('button').innerText()).replace('s', '')) * 1000);
}

/** The example without the actions from `fromMs` on (the test does those itself, through the UI). */
function upTo(example: { actions: { at: number }[] }, fromMs: number) {
  return { ...example, actions: example.actions.filter((a) => a.at < fromMs) };
}

test('election: kill the elected client by clicking it, the next candidate is elected about a TTL later, and the narration says why', async ({ page }) => {
  const ttlMs = 3000;
  await openRun(page, inlineRun(upTo(election, 5000), '&host=inline'));
  await setSpeed(page, 0.3);
  await play(page);
  await narratedAt(page, 'c1 is elected leader of /election/web');
  await page.getByRole('tab', { name: 'Recipes' }).click();
  const card = page.getByRole('region', { name: 'election /election/web' });
  await expect(card.getByRole('status')).toContainText('Leader: c1');
  await pause(page);

  await page.getByRole('button', { name: /^c1, via S1, link connected/ }).click();
  await page.getByRole('menuitem', { name: 'Kill client c1' }).click();
  const killedAt = await narratedAt(page, 'c1 is killed');
  await play(page);
  const electedAt = await narratedAt(page, 'c2 is elected leader of /election/web');
  await pause(page);
  // c1's last keepalive was at most a third of the TTL before the kill; the lease runs out a TTL after it.
  expect(electedAt - killedAt).toBeGreaterThan(ttlMs - ttlMs / 3);
  expect(electedAt - killedAt).toBeLessThan(ttlMs + 1000);
  const why = page.getByRole('list', { name: 'Narration' }).getByRole('listitem').filter({ hasText: 'c2 is elected leader of /election/web' });
  await expect(why).toContainText("because c1's session lease expired");
  await expect(card.getByRole('status')).toContainText('Leader: c2');
  await expect(page.getByRole('button', { name: /^c1, via S1, killed/ })).toBeVisible();
  await page.screenshot({ path: 'test-results/kv-election-handover.png' });
});

test('discovery: a registered instance’s node cut off vanishes after the TTL; after healing it is back only when its client registers again', async ({ page }) => {
  await openRun(page, inlineRun(upTo(discovery, 6000), '&host=inline'));
  await setSpeed(page, 0.3);
  await play(page);
  await narratedAt(page, 'frontend discovers /services/web/: web-1, web-2');
  await pause(page);
  await page.getByRole('tab', { name: 'Recipes' }).click();
  const frontend = page.getByRole('region', { name: 'service /services/web/' }).getByRole('listitem', { name: /^frontend discovers/ });
  await expect(frontend).toHaveAccessibleName('frontend discovers 2 instances');

  // web1 talks to S1: cut S1 off from the other nodes, both ways.
  for (const other of [2, 3]) {
    await page.getByRole('button', { name: new RegExp(`^link S1 to S${other}, connected`) }).click();
    await page.getByRole('menuitem', { name: 'Cut both ways' }).click();
  }
  const cutAt = await narratedAt(page, 'S1 → S3 is cut');
  await play(page);
  const goneAt = await narratedAt(page, 'frontend discovers /services/web/: web-2.');
  await pause(page);
  expect(goneAt - cutAt).toBeGreaterThan(3000 - 1000);
  expect(goneAt - cutAt).toBeLessThan(3000 + 2500);
  await expect(frontend).toHaveAccessibleName('frontend discovers 1 instances');

  await page.getByRole('button', { name: 'Heal all' }).click();
  await play(page);
  await page.waitForTimeout(2500);
  await pause(page);
  // Nothing comes back on its own: the session was lost, the key went with its lease.
  await expect(frontend).toHaveAccessibleName('frontend discovers 1 instances');

  await page.getByRole('tab', { name: 'Console' }).click();
  const input = page.getByRole('textbox', { name: 'Console command' });
  await input.fill('client web1');
  await input.press('Enter');
  await input.fill('register /services/web/ web-1 10.0.0.1:8080 --ttl=3');
  await input.press('Enter');
  await play(page);
  await narratedAt(page, 'frontend discovers /services/web/: web-1, web-2', 15000).catch(() => undefined);
  await page.getByRole('tab', { name: 'Recipes' }).click();
  await expect(frontend).toHaveAccessibleName('frontend discovers 2 instances', { timeout: 15000 });
  await pause(page);
  await page.screenshot({ path: 'test-results/kv-discovery.png' });
});

test('cron across a leader crash: one run per period, the deposed leader’s refused run shown', async ({ page }) => {
  await page.goto('/?scenario=examples/etcd-distributed-cron.json&host=inline&run=end');
  await expect(page.getByText('Finished')).toBeVisible({ timeout: 60000 });
  const lane = page.getByRole('img', { name: /^Cron lane: / });
  await expect(lane).toBeVisible();
  const [, runs, refused] = /Cron lane: (\d+) runs, (\d+) refused/.exec((await lane.getAttribute('aria-label'))!)!;
  expect(Number(runs)).toBeGreaterThan(5);
  expect(Number(refused)).toBeGreaterThanOrEqual(1);
  await expect(lane).not.toHaveAccessibleName(/run twice/);
  await expect(page.getByRole('alert').filter({ hasText: 'Period run twice' })).toHaveCount(0);
  // The safety panel says the same, with fencing at work.
  await expect(page.getByRole('status', { name: /^Recipes: no cron period run twice \(\d+ fenced runs? refused\)/ })).toBeVisible();
  // One run per period: no period is listed twice among the runs.
  const items = await page.getByRole('list', { name: 'Cron runs' }).getByRole('listitem').allInnerTexts();
  const periods = items.filter((t) => / run by /.test(t)).map((t) => /period (\d+)/.exec(t)![1]);
  expect(new Set(periods).size).toBe(periods.length);
  await page.getByRole('combobox', { name: 'Filter narration by kind' }).selectOption('client');
  const refusedLine = page.getByRole('list', { name: 'Narration' }).getByRole('listitem').filter({ hasText: /run of backup for period \d+ is refused/ }).first();
  await expect(refusedLine).toContainText('it was deposed');
  await page.screenshot({ path: 'test-results/kv-cron.png' });
});
