// Issue 4 (the app): `?scenario=examples/NAME.json&seed=N&host=...&run=end` runs the scenario to the end at full
// speed, says it finished, shows the trace's sha256, and "Download trace" saves the trace byte-identical to
// `npx flotilla sim` for that scenario and seed. With host=worker and host=inline.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const SCENARIO = 'examples/leader-crash.json';
const SEED = 7;

function cliTrace(): { sha: string; bytes: Buffer } {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'flotilla-app-')), 'trace.jsonl');
  const summary = JSON.parse(execFileSync('node', ['bin/flotilla.mjs', 'sim', SCENARIO, '--seed', String(SEED), '--out', out], { cwd: path.resolve(import.meta.dirname, '../..'), encoding: 'utf8' })) as { traceSha256: string };
  return { sha: summary.traceSha256, bytes: readFileSync(out) };
}

for (const host of ['worker', 'inline'] as const) {
  test(`URL run to the end (host=${host}): finished, sha256 and downloaded trace equal the CLI's`, async ({ page }) => {
    const cli = cliTrace();
    expect(createHash('sha256').update(cli.bytes).digest('hex')).toBe(cli.sha);
    await page.goto(`/?scenario=${SCENARIO}&seed=${SEED}&host=${host}&run=end`);
    await expect(page.locator('html')).toHaveAttribute('data-host', host);
    await expect(page.getByRole('status').filter({ hasText: 'Finished' })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByLabel('Trace sha256')).toHaveText(cli.sha);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download trace' }).click()]);
    const saved = readFileSync((await download.path())!);
    expect(saved.equals(cli.bytes)).toBe(true);
  });
}

test('a bad URL parameter is reported by name, and nothing runs', async ({ page }) => {
  await page.goto('/?scenario=examples/leader-crash.json&seed=-3&host=inline');
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText('seed: expected a non-negative integer, got "-3"');
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled();
});
