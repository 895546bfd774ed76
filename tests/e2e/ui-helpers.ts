// Shared steps of the UI specs: open a run, read the clock, find nodes by their accessible names.
import { expect, type Page } from '@playwright/test';
import { encodeInlineScenario } from '../../src/store/runUrl.ts';

/** A run URL for a scenario given as an object (carried inline, as an imported scenario would be). */
export function inlineRun(scenario: object, extra = ''): string {
  return `/?scenario=${encodeInlineScenario(JSON.stringify(scenario))}${extra}`;
}

/** Opens a run and waits until it is ready to play (or finished). */
export async function openRun(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator('html[data-host]')).toHaveCount(1);
  await expect(page.getByRole('button', { name: /^(Play|Pause)$/ }).or(page.getByText('Finished'))).toBeVisible();
  // The run is open only once it has loaded and reached the link's moment: a key pressed while a `pos=` seek is
  // still a job would stop that job (Space stops a long job, docs/ui.md), not start playing.
  const status = page.getByRole('status', { name: 'Run status' });
  await expect(status.getByText('Loading…')).toHaveCount(0);
  await expect(status.getByRole('progressbar')).toHaveCount(0);
}

/** How many trace events the UI has revealed ("#123" next to the virtual time). */
export async function eventCount(page: Page): Promise<number> {
  const text = await page.getByLabel('Virtual time', { exact: true }).innerText();
  return Number(/#(\d+)/.exec(text)![1]);
}

/** The node that leads now: its id and term, from its accessible name "S3, leader, term 4". */
export async function currentLeader(page: Page): Promise<{ id: number; term: number }> {
  const leader = page.getByRole('button', { name: /^S\d, leader, term \d+$/ });
  await expect(leader).toHaveCount(1);
  const [, id, term] = /^S(\d), leader, term (\d+)$/.exec((await leader.getAttribute('aria-label'))!)!;
  return { id: Number(id), term: Number(term) };
}

/** Sets the speed slider to 10^log10 × (keyboard only: Home = slowest, each → adds 0.1). */
export async function setSpeed(page: Page, log10: number): Promise<void> {
  const slider = page.getByRole('slider', { name: 'Speed' });
  await slider.focus();
  await slider.press('Home');
  for (let v = -3; v < log10 - 1e-9; v += 0.1) await slider.press('ArrowRight');
  await slider.blur();
}

export async function play(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Play' }).click();
}

export async function pause(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'Pause', exact: true });
  if (await button.count()) await button.click();
}

/** Opens the node's menu by clicking the node, and picks an item. */
export async function nodeMenu(page: Page, id: number, item: string | RegExp): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^S${id}, `) }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

/** The text of the inspector for a node (opened from its menu), closed again afterwards. */
export async function inspect(page: Page, id: number): Promise<string> {
  await nodeMenu(page, id, 'Inspect its state…');
  const dialog = page.getByRole('dialog', { name: new RegExp(`^Inspect S${id}, `) });
  await expect(dialog).toBeVisible();
  const text = await dialog.innerText();
  await dialog.getByRole('button', { name: 'Close' }).click();
  return text;
}
