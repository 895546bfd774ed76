// Issue 5: step an election event by event and check each step's narration; step back; fork from the past.
import { expect, test } from '@playwright/test';
import { eventCount, nodeMenu, openRun } from './ui-helpers.ts';

test('stepping an election one event at a time, stepping back, and forking from the past', async ({ page }) => {
  test.setTimeout(120_000);
  await openRun(page, '/?host=inline&seed=1');
  const narration = page.getByRole('list', { name: 'Narration' });
  const step = page.getByRole('button', { name: 'Step', exact: true });
  const lines = () => narration.locator('li > span').allInnerTexts();

  const seen: string[] = [];
  let wonAt = 0;
  for (let i = 1; i <= 400 && wonAt === 0; i++) {
    const before = await eventCount(page);
    await step.click();
    await expect.poll(() => eventCount(page)).toBe(before + 1);
    // Each step adds the sentences of exactly that event (none for most), after what was said before.
    const now = await lines();
    expect(now.slice(0, seen.length)).toEqual(seen);
    seen.push(...now.slice(seen.length));
    if (now.some((l) => /won the election for term/.test(l))) wonAt = before + 1;
  }
  expect(wonAt).toBeGreaterThan(0);
  // The story of an election, in order: a timer fires, a campaign starts, votes are granted, someone wins.
  const order = [/election timer fired/, /becomes candidate in term \d+/, /grants its vote to S\d/, /won the election for term \d+/];
  let at = -1;
  for (const pattern of order) {
    const next = seen.findIndex((l, i) => i > at && pattern.test(l));
    expect(next, `narration should then say ${pattern}; it said:\n${seen.join('\n')}`).toBeGreaterThan(at);
    at = next;
  }

  // Step back: the win is undone, and comes back when stepping forward again.
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect.poll(() => eventCount(page)).toBe(wonAt - 1);
  await expect(narration).not.toContainText('won the election');
  await step.click();
  await expect.poll(() => eventCount(page)).toBe(wonAt);
  await expect(narration).toContainText('won the election');

  // Fork from the past: go back a few events, act, and confirm.
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step back' }).click();
  await expect.poll(() => eventCount(page)).toBe(wonAt - 3);
  await expect(page.getByRole('status').filter({ hasText: 'In the past' })).toBeVisible();
  await nodeMenu(page, 3, /^(Crash|Restart) S3$/);
  const dialog = page.getByRole('dialog', { name: 'Fork the run?' });
  await expect(dialog).toContainText('everything after this moment is discarded');
  await dialog.getByRole('button', { name: 'Fork here' }).click();
  await expect(page.getByRole('button', { name: /^S3, .*crashed$/ })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'In the past' })).toHaveCount(0);
  expect(decodeURIComponent(page.url())).toMatch(/actions=\[\{"do":"crash","node":3,"at":\d+\}\]/);
});
