// Issue 10: pause the leader from its menu. It is drawn paused (not crashed: its state is still shown), the others
// elect a leader of a newer term while it still believes it leads, and once resumed it steps down.
import { expect, test } from '@playwright/test';
import { currentLeader, nodeMenu, openRun, pause, play, setSpeed } from './ui-helpers.ts';

test('pausing the leader from its menu draws it frozen; resumed, it learns the newer term and steps down', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openRun(page, '/?host=inline&seed=1&pos=600');
  const old = await currentLeader(page);
  await nodeMenu(page, old.id, `Pause S${old.id}`);
  const paused = page.getByRole('button', { name: `S${old.id}, leader, term ${old.term}, paused` });
  await expect(paused).toBeVisible();
  await expect(paused).toContainText('leader · paused');
  await expect(paused).toContainText('❄');
  const narration = page.getByRole('list', { name: 'Narration' });
  await expect(narration).toContainText(`S${old.id} is paused: it does nothing, its timers frozen; messages to it wait.`);

  // The others elect a new leader; the paused one is still drawn as the leader of its old term.
  await setSpeed(page, 0);
  await play(page);
  const newLeader = page.getByRole('button', { name: new RegExp(`^S(?!${old.id},)\\d, leader, term \\d+$`) });
  await expect(newLeader).toHaveCount(1, { timeout: 20_000 });
  await pause(page);
  await expect(paused).toBeVisible();
  // The header names the leader of the newest term, not the paused one that still believes it leads.
  const [, newId, newTerm] = /^S(\d), leader, term (\d+)$/.exec((await newLeader.getAttribute('aria-label'))!)!;
  await expect(page.getByText(`Leader S${newId} · term ${newTerm}`)).toBeVisible();
  await expect(page.getByRole('button', { name: new RegExp(`^S${old.id} is paused at \\d+ ms$`) })).toBeVisible();
  await page.screenshot({ path: 'test-results/pause-node.png' });

  await nodeMenu(page, old.id, `Resume S${old.id}`);
  await expect(narration).toContainText(`S${old.id} resumes with the beliefs it had`);
  await play(page);
  await expect(page.getByRole('button', { name: new RegExp(`^S${old.id}, follower, term \\d+$`) })).toBeVisible({ timeout: 20_000 });
  await pause(page);
  const now = await currentLeader(page);
  expect(now.id).not.toBe(old.id);
  expect(now.term).toBeGreaterThan(old.term);
});
