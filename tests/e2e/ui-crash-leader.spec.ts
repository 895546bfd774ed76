// Issue 5: crash the leader by clicking it; another node becomes leader with a higher term, and the narration
// says why.
import { expect, test } from '@playwright/test';
import { currentLeader, nodeMenu, openRun, pause, play, setSpeed } from './ui-helpers.ts';

test('crashing the leader by clicking it elects another leader in a higher term, narrated', async ({ page }) => {
  await openRun(page, '/?host=inline&seed=1&pos=600');
  const old = await currentLeader(page);
  await nodeMenu(page, old.id, `Crash S${old.id}`);
  await expect(page.getByRole('button', { name: `S${old.id}, leader, term ${old.term}, crashed` })).toBeVisible();

  await setSpeed(page, 0);
  await play(page);
  const newLeader = page.getByRole('button', { name: new RegExp(`^S(?!${old.id},)\\d, leader, term \\d+$`) });
  await expect(newLeader).toHaveCount(1, { timeout: 20_000 });
  await pause(page);
  const now = await currentLeader(page);
  expect(now.id).not.toBe(old.id);
  expect(now.term).toBeGreaterThan(old.term);

  const narration = page.getByRole('list', { name: 'Narration' });
  await expect(narration).toContainText(`S${old.id} crashes`);
  await expect(narration).toContainText(/election timer fired in term \d+ without hearing from a leader/);
  await expect(narration).toContainText(`S${now.id} won the election for term ${now.term}`);
});
