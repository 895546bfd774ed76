// Issue 7, the console: its put and get agree with the key-value table; a get through a node with no leader
// fails at once with "no leader" for a client that requires one. By role and accessible name.
import { expect, test, type Page } from '@playwright/test';
import { inlineRun, openRun, pause, play, setSpeed } from './ui-helpers.ts';

async function typeLine(page: Page, line: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'Console command' });
  await input.fill(line);
  await input.press('Enter');
}

async function openConsole(page: Page): Promise<void> {
  const open = page.getByRole('button', { name: 'Open key-value views' });
  if (await open.count()) await open.click();
  await page.getByRole('tab', { name: 'Console' }).click();
}

test('the console’s put and get agree with the key-value table', async ({ page }) => {
  await openRun(page, inlineRun({ name: 'console', nodes: 3, seed: 7, until: 120000, actions: [] }, '&host=inline'));
  await setSpeed(page, 0);
  await play(page);
  await expect(page.getByRole('button', { name: /^S\d, leader, term \d+$/ })).toHaveCount(1, { timeout: 20000 });
  await openConsole(page);
  await typeLine(page, 'put greeting hello');
  const output = page.getByRole('list', { name: 'Console output' });
  await expect(output).toContainText('you: put greeting=hello → OK', { timeout: 15000 });
  await typeLine(page, 'get greeting');
  await expect(output).toContainText('you: get greeting → greeting = hello', { timeout: 15000 });
  await pause(page);

  const got = (await output.innerText()).match(/get greeting → greeting = (\S+) \(rev (\d+)\)/)!;
  await page.getByRole('tab', { name: 'Keys' }).click();
  const table = page.getByRole('table', { name: /^Keys on S\d/ });
  const row = table.getByRole('row', { name: /greeting/ });
  await expect(row).toContainText(got[1]);
  await expect(row.getByRole('cell').nth(2)).toHaveText(got[2]); // modRevision = the get's revision
  await page.screenshot({ path: 'test-results/kv-console-table.png' });
});

test('a get through a cut-off node fails with “no leader” for a client that requires a leader', async ({ page }) => {
  // S1 is cut off from the others at 500 ms: once its election timer fires it knows no leader.
  await openRun(page, inlineRun({ name: 'minority', nodes: 5, seed: 3, until: 120000, actions: [{ at: 500, do: 'isolate', node: 1 }] }, '&host=inline'));
  await setSpeed(page, 0);
  await play(page);
  await expect(page.getByRole('button', { name: /^S[2-5], leader, term \d+$/ })).toHaveCount(1, { timeout: 20000 });
  await openConsole(page);
  await typeLine(page, 'client c9 --via=1 --require-leader');
  await typeLine(page, 'get a');
  const output = page.getByRole('list', { name: 'Console output' });
  await expect(output).toContainText('c9: get a → Error: etcdserver: no leader', { timeout: 15000 });
  await pause(page);
  await expect(page.getByRole('list', { name: 'Narration' })).toContainText('c9’s get a through S1 failed: no leader');
  await page.screenshot({ path: 'test-results/kv-console-no-leader.png' });
});
