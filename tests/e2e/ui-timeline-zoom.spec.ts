// Issue 5: the timeline's time axis zooms with the wheel and the zoom buttons and pans with a drag; a drag is not
// a click (it does not move the run), a click on an empty place does; Follow now comes back to the present.
import { expect, test, type Page } from '@playwright/test';
import { eventCount, openRun } from './ui-helpers.ts';

/** The axis tick values, in seconds, left to right. */
async function ticks(page: Page): Promise<number[]> {
  const texts = await page.locator('.timeline-panel g.tick text').allTextContents();
  return texts.map((t) => Number.parseFloat(t)).sort((a, b) => a - b);
}

const tickStep = (values: number[]): number => values[1]! - values[0]!;

test('timeline: wheel and buttons zoom, drag pans without seeking, click seeks, Follow now returns', async ({ page }) => {
  await openRun(page, '/?host=inline&seed=2&pos=3000');
  const svg = page.getByRole('group', { name: /^Timeline/ });
  const follow = page.getByRole('button', { name: 'Follow now' });
  await expect(follow).toHaveAttribute('aria-pressed', 'true');
  const box = (await svg.boundingBox())!;
  const y = box.y + box.height / 2;
  const before = await ticks(page);

  // Wheel up over the middle: zoom in (finer ticks); the view stops following.
  await page.mouse.move(box.x + box.width / 2, y);
  await page.mouse.wheel(0, -600);
  await expect.poll(async () => tickStep(await ticks(page))).toBeLessThan(tickStep(before));
  await expect(follow).toHaveAttribute('aria-pressed', 'false');
  const zoomed = await ticks(page);

  // Zoom out with the button: coarser than the wheel's zoom.
  await page.getByRole('button', { name: 'Zoom timeline out' }).click();
  await page.getByRole('button', { name: 'Zoom timeline out' }).click();
  await expect.poll(async () => tickStep(await ticks(page))).toBeGreaterThan(tickStep(zoomed));
  const unzoomed = await ticks(page);

  // Drag right to left: later times come into view, and the run stays where it was.
  const events = await eventCount(page);
  await page.mouse.move(box.x + box.width * 0.7, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.3, y, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await ticks(page))[0]).toBeGreaterThan(unzoomed[0]!);
  // A seek would show within a few frames (this run re-simulates 3,000 events in a few ms): give it the time.
  await page.waitForTimeout(500);
  expect(await eventCount(page)).toBe(events);

  // A click on an empty place moves the run to that time.
  await page.mouse.click(box.x + box.width * 0.15, y);
  await expect.poll(() => eventCount(page)).not.toBe(events);

  await follow.click();
  await expect(follow).toHaveAttribute('aria-pressed', 'true');
});
