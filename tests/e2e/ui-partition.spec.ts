// Issue 5: cut the links around the leader; the minority stops committing, the majority elects a leader and
// commits; heal, and the old leader's uncommitted entries are replaced.
import { expect, test } from '@playwright/test';
import { currentLeader, inspect, nodeMenu, openRun, pause, play, setSpeed } from './ui-helpers.ts';

async function propose(page: import('@playwright/test').Page, id: number, value: string) {
  await nodeMenu(page, id, 'Propose a value through it…');
  const dialog = page.getByRole('dialog', { name: `Propose through S${id}` });
  await dialog.getByRole('textbox', { name: 'Value to propose' }).fill(value);
  await dialog.getByRole('button', { name: 'Propose' }).click();
}

test('isolating the leader: the majority moves on, the old leader’s uncommitted entry is replaced on heal', async ({ page }) => {
  test.setTimeout(120_000);
  await openRun(page, '/?host=inline&seed=1&pos=600');
  const old = await currentLeader(page);
  await page.getByRole('button', { name: 'Isolate leader' }).click();
  await expect(page.getByRole('button', { name: new RegExp(`^link S\\d to S\\d, cut both ways$`) })).toHaveCount(4);
  await propose(page, old.id, 'lost=1');

  await setSpeed(page, 0);
  await play(page);
  const narration = page.getByRole('list', { name: 'Narration' });
  await expect(narration).toContainText(new RegExp(`S(?!${old.id} )\\d won the election for term \\d+`), { timeout: 30_000 });
  await pause(page);
  const leaders = await page.getByRole('button', { name: /^S\d, leader, term \d+$/ }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')!));
  const fresh = leaders.map((l) => /^S(\d), leader, term (\d+)$/.exec(l)!).map((m) => ({ id: Number(m[1]), term: Number(m[2]) })).find((l) => l.id !== old.id)!;
  expect(fresh.term).toBeGreaterThan(old.term);

  await propose(page, fresh.id, 'kept=1');
  await play(page);
  await expect(narration).toContainText(new RegExp(`S${fresh.id} commits up to index \\d+ because`), { timeout: 20_000 });
  await pause(page);
  // The minority (the old leader alone) holds its entry but never committed it.
  const minority = await inspect(page, old.id);
  expect(minority).toMatch(/· #\d+ term \d+ "lost=1"/);
  const majority = await inspect(page, fresh.id);
  expect(majority).toMatch(/✓ #\d+ term \d+ "kept=1"/);

  await page.getByRole('button', { name: 'Heal all' }).click();
  await play(page);
  await expect(narration).toContainText(new RegExp(`S${old.id} discards \\d+ conflicting entr`), { timeout: 30_000 });
  await pause(page);
  const healed = await inspect(page, old.id);
  expect(healed).not.toContain('"lost=1"');
  expect(healed).toContain('"kept=1"');
});
