// Issue 5: keyboard only: start, pause, step, crash a node, without the mouse.
import { expect, test } from '@playwright/test';
import { eventCount, openRun } from './ui-helpers.ts';

test('keyboard only: play, pause, step, select and crash a node, shortcut sheet', async ({ page }) => {
  await openRun(page, '/?host=inline&seed=2&pos=300');
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  const running = await eventCount(page);
  await expect.poll(() => eventCount(page), { timeout: 15_000 }).toBeGreaterThan(running);
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();

  const before = await eventCount(page);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => eventCount(page)).toBe(before + 1);
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => eventCount(page)).toBe(before);
  // Back to the present (acting one event in the past would ask to fork).
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => eventCount(page)).toBe(before + 1);

  await page.keyboard.press('4');
  await expect(page.getByRole('button', { name: /^S4, / })).toBeFocused();
  await page.keyboard.press('c');
  await expect(page.getByRole('button', { name: /^S4, .*crashed$/ })).toBeVisible();

  // Enter on the focused node opens its menu; arrows and Enter pick "Restart S4".
  await page.getByRole('button', { name: /^S4, / }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Restart S4' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: /^S4, (follower|candidate|pre-candidate|leader), term \d+$/ })).toBeVisible();

  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toContainText('Play or pause');
  await expect(sheet).toContainText('Crash or restart the selected node');
  await page.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);
});
