// Issue 10: pause the leader from its menu. It is drawn paused (not crashed: its state is still shown), the others
// elect a leader of a newer term while it still believes it leads, and once resumed it steps down.
import { expect, test } from '@playwright/test';
import path from 'node:path';
import { currentLeader, inlineRun, nodeMenu, openRun, pause, play, setSpeed } from './ui-helpers.ts';
import { cliSim, downloadTrace, repoRoot, runUrl, sha256Hex } from './worker-support.ts';

for (const host of ['inline', 'worker']) test(`pausing the leader from its menu draws it frozen; resumed, it learns the newer term and steps down (${host} host)`, async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openRun(page, `/?host=${host}&seed=1&pos=600`);
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
  await page.screenshot({ path: `test-results/pause-node-${host}.png` });

  await nodeMenu(page, old.id, `Resume S${old.id}`);
  await expect(narration).toContainText(`S${old.id} resumes with the beliefs it had`);
  await play(page);
  await expect(page.getByRole('button', { name: new RegExp(`^S${old.id}, follower, term \\d+$`) })).toBeVisible({ timeout: 20_000 });
  await pause(page);
  const now = await currentLeader(page);
  expect(now.id).not.toBe(old.id);
  expect(now.term).toBeGreaterThan(old.term);
});

test('pausing a client from its menu: its keepalives stop, so its lease expires; resumed, it carries on', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const scenario = {
    name: 'a paused client', nodes: 3, seed: 11, until: 60_000,
    actions: [
      { at: 300, do: 'client', client: 'svc', via: 2 },
      { at: 1500, do: 'grant', client: 'svc', lease: 'L1', ttlMs: 3000 },
      { at: 1500, do: 'keepalive', client: 'svc', lease: 'L1' },
    ],
  };
  await openRun(page, inlineRun(scenario, '&host=inline&pos=2500'));
  await page.getByRole('button', { name: /^svc, via S2, link connected/ }).click();
  await page.getByRole('menuitem', { name: 'Pause client svc' }).click();
  await expect(page.getByRole('button', { name: /^svc, via S2, link connected, paused$/ })).toBeVisible();
  await expect(page.getByText('paused (timers frozen) · idle')).toBeVisible();
  const narration = page.getByRole('list', { name: 'Narration' });
  await expect(narration).toContainText('Client svc is paused: it sends nothing, its timers frozen; answers to it wait.');
  await setSpeed(page, 0.5);
  await play(page);
  await expect(narration).toContainText('lease clock ran out for lease L1', { timeout: 30_000 });
  await pause(page);
  await page.screenshot({ path: 'test-results/pause-client.png' });
  await page.getByRole('button', { name: /^svc, via S2, link connected, paused$/ }).click();
  await page.getByRole('menuitem', { name: 'Resume client svc' }).click();
  await expect(page.getByRole('button', { name: /^svc, via S2, link connected$/ })).toBeVisible();
  await expect(narration).toContainText('Client svc resumes as if no time had passed');
});

test('examples/pause-leader.json on Web Workers writes the trace flotilla sim writes', async ({ page }) => {
  const example = 'examples/pause-leader.json';
  const reference = cliSim(path.join(repoRoot, example), 7);
  await page.goto(runUrl(example, { seed: 7, host: 'worker', run: 'end' }));
  await expect(page.getByText('Finished')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByLabel('Trace sha256')).toHaveText(reference.traceSha256);
  const trace = await downloadTrace(page);
  expect(sha256Hex(trace)).toBe(reference.traceSha256);
  expect(trace).toContain('"type":"pause","node":');
});
