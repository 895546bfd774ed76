/**
 * Issue 10, "Jobs that cannot be stopped": a far seek or a run to the end of a long run works in slices, shows its
 * progress, and stops on Pause, on Escape and when another run is loaded; an absurd `pos` or `until` is refused,
 * naming it (caps: docs/ui.md, "Long jobs").
 */
import { expect, test, type Page } from '@playwright/test';
import { eventCount, inlineRun } from './ui-helpers.ts';

/** A day of virtual time (the longest the app plays): run to the end is a long job. */
const day = { name: 'web e2e: a day', nodes: 5, seed: 2, until: 86_400_000 };

const status = (page: Page) => page.getByRole('status', { name: 'Run status' });
const progress = (page: Page) => page.getByRole('progressbar', { name: 'Job progress' });

async function screenshot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `test-results/screens/${name}.png` });
}

test('pos=1000000000000 is refused naming pos, and the page stays usable', async ({ page }) => {
  // The playground runs an hour: before the cap, this seek never ended and never yielded (the tab locked).
  await page.goto('/?scenario=playground&host=inline&pos=1000000000000');
  await expect(status(page)).toContainText('Error: pos: expected an integer from 0 to 10000000 (events into the run), got "1000000000000"');
  await screenshot(page, 'pos-refused');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('examples/leader-crash.json');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
});

test('a far seek shows its progress and Escape stops it where it got', async ({ page }) => {
  await page.goto(inlineRun(day, '&host=inline&pos=5000000'));
  await expect(progress(page)).toContainText(/^Seeking: [\d,]+ of 5,000,000 events \(\d+%\)/);
  await screenshot(page, 'seek-progress');
  await page.keyboard.press('Escape');
  await expect(progress(page)).toHaveCount(0);
  const reached = await eventCount(page);
  expect(reached).toBeGreaterThan(0);
  expect(reached).toBeLessThan(5_000_000);
  // It stays stopped, and the run plays on from there.
  await page.waitForTimeout(300);
  expect(await eventCount(page)).toBe(reached);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => eventCount(page)).toBeGreaterThan(reached);
});

test('run=end on a day-long run: Pause stops it, and another scenario from the menu loads', async ({ page }) => {
  await page.goto(inlineRun(day, '&host=inline&run=end'));
  await expect(progress(page)).toContainText(/^Running to the end: [\d.]+ of 86,400 s/);
  await screenshot(page, 'run-to-end-progress');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(progress(page)).toHaveCount(0);
  const reached = await eventCount(page);
  await page.waitForTimeout(300);
  expect(await eventCount(page)).toBe(reached);
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();

  // Again, then a new load while it runs: the new run opens (no "Loading…" forever).
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(progress(page)).toBeVisible();
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('examples/leader-crash.json');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled({ timeout: 10_000 });
  await expect(progress(page)).toHaveCount(0);
  await expect(status(page)).not.toContainText('Loading');
  expect(await eventCount(page)).toBe(0);
});

test('until = 2^53-1 is refused naming the scenario field and the cap', async ({ page }) => {
  await page.goto(inlineRun({ ...day, until: Number.MAX_SAFE_INTEGER }, '&host=inline&run=end'));
  await expect(status(page)).toContainText('Error: scenario: until must be at most 86400000 ms (24 h of virtual time) in the app, got 9007199254740991');
  await screenshot(page, 'until-refused');
});
