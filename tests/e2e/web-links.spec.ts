/**
 * Issue 10, "Links break past a size": the run travels in the URL's #fragment (never sent to the server),
 * deflate-compressed when long, so a 20 KB imported scenario still makes a link that reloads to the same run;
 * past LINK_MAX_CHARS the page says to use Export scenario instead.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliSimJson } from './worker-support.ts';

/** A scenario of about `kb` KB: many proposals (what ~125 console commands add up to). */
function bigScenario(kb: number, data: (i: number) => string) {
  const actions: object[] = [];
  const scenario = { name: 'web e2e: a big imported scenario', nodes: 3, seed: 8, until: 6000, actions };
  for (let i = 0; JSON.stringify(scenario).length < kb * 1024; i++) actions.push({ at: 1000 + i * 4, do: 'propose', node: 'leader', data: data(i) });
  return scenario;
}

function writeTemp(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'flotilla-e2e-')), name);
  writeFileSync(file, text);
  return file;
}

async function importFile(page: Page, file: string): Promise<void> {
  await page.getByLabel('Import scenario or trace file').setInputFiles(file);
}

async function runToEndSha(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(page.getByText('Finished')).toBeVisible({ timeout: 60_000 });
  return page.getByLabel('Trace sha256').innerText();
}

test('a 20 KB imported scenario makes a link that reloads to the same run (same sha256 as flotilla sim)', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const scenario = bigScenario(20, (i) => `key${i % 50}=value-${i}`);
  const reference = cliSimJson(scenario, scenario.seed);
  await page.goto('/?scenario=examples/leader-crash.json&host=inline');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await importFile(page, writeTemp('big.json', JSON.stringify(scenario)));
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('inline');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText('Link copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(new URL(link).search).toBe('');
  expect(new URL(link).hash).toMatch(/^#z=[A-Za-z0-9_-]+$/);
  expect(link.length).toBeLessThan(32 * 1024);

  // The copied link, in a fresh page, and a reload of it: the same run.
  const fresh = await context.newPage();
  await fresh.goto(link);
  await expect(fresh.getByRole('button', { name: 'Play' })).toBeEnabled();
  await fresh.reload();
  await expect(fresh.getByRole('combobox', { name: 'Scenario' })).toHaveValue('inline');
  expect(await runToEndSha(fresh)).toBe(reference.traceSha256);
  expect(await runToEndSha(page)).toBe(reference.traceSha256);
  // The address bar carries it too: a reload of the importing page replays it.
  await page.reload();
  expect(await runToEndSha(page)).toBe(reference.traceSha256);
  await context.close();
});

test('a run too large for a link says so and points to Export scenario', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  // Random data does not compress: about 80 KB of it stays far above the 32 KB link bound.
  const random = (i: number) => Array.from({ length: 24 }, (_, k) => 'abcdefghijklmnopqrstuvwxyz0123456789'[(i * 7919 + k * 104729 + ((i * k) ^ 0x5bd1e995)) % 36]).join('') + Math.sin(i).toString(36);
  await page.goto('/?scenario=examples/leader-crash.json&host=inline');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await importFile(page, writeTemp('huge.json', JSON.stringify(bigScenario(120, random))));
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('inline');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await page.evaluate(() => navigator.clipboard.writeText('(nothing copied)'));
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText(/This run is too large to share as a link \(\d+ KB, over 32 KB\): use Export scenario and send the file\./);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('(nothing copied)');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: 'test-results/screens/link-too-large.png' });
  await context.close();
});

test('old query-string links still open', async ({ page }) => {
  await page.goto('/?scenario=examples/leader-crash.json&seed=9&host=inline&run=end');
  await expect(page.getByText('Finished')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('spinbutton', { name: 'Seed' })).toHaveValue('9');
});
