// Issue 10, bugs 4 and 5 in the browser: an imported scenario with a key given twice is refused naming its path;
// an action named like an Object.prototype member is refused naming actions[i].do (it used to show "a.required is
// not iterable"); the console refuses --toString=x as an unknown flag. By role and accessible name.
import { expect, test, type Page } from '@playwright/test';
import { openRun } from './ui-helpers.ts';

async function importScenario(page: Page, name: string, text: string): Promise<void> {
  await page.getByLabel('Import scenario or trace file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

test('an imported scenario with a key given twice is refused, naming the key and its path', async ({ page }) => {
  await openRun(page, '/?host=inline');
  await importScenario(page, 'dup.json', '{"nodes": 3, "until": 1000, "config": {"preVote": true, "preVote": false}}');
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText('Could not import dup.json: config.preVote: duplicate key "preVote"');
});

test('an imported scenario whose action is named toString is refused, naming actions[0].do', async ({ page }) => {
  await openRun(page, '/?host=inline');
  await importScenario(page, 'tostring.json', JSON.stringify({ nodes: 3, until: 1000, actions: [{ at: 1, do: 'toString' }] }));
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText('actions[0].do: unknown action "toString"');
  await expect(page.getByRole('status', { name: 'Run status' })).not.toContainText('is not iterable');
});

test('the console refuses --toString=x as an unknown flag', async ({ page }) => {
  await openRun(page, '/?host=inline');
  const open = page.getByRole('button', { name: 'Open key-value views' });
  if (await open.count()) await open.click();
  await page.getByRole('tab', { name: 'Console' }).click();
  const input = page.getByRole('textbox', { name: 'Console command' });
  await input.fill('get k --toString=x');
  await input.press('Enter');
  await expect(page.getByRole('list', { name: 'Console output' })).toContainText('get: unknown flag --toString (known: --prefix, --serializable, --rev, --limit)');
});
