/**
 * Issue 10, "An imported trace is trusted blindly": the page shows an imported trace by replaying the scenario it
 * carries, so it first compares the file with that replay and refuses a file that differs, naming the first
 * differing line and what differs there.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './worker-support.ts';

const scenario = { name: 'web e2e: imported trace', nodes: 3, seed: 6, until: 4000, actions: [{ at: 2000, do: 'propose', node: 'leader', data: 'x=1' }] };

/** The CLI's trace of `scenario`, as lines (header first). */
function cliTraceLines(): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-e2e-'));
  writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify(scenario));
  execFileSync('node', ['bin/flotilla.mjs', 'sim', path.join(dir, 'scenario.json'), '--out', path.join(dir, 'trace.jsonl')], { cwd: repoRoot });
  return readFileSync(path.join(dir, 'trace.jsonl'), 'utf8').trimEnd().split('\n');
}

async function importTrace(page: Page, name: string, lines: string[]): Promise<void> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'flotilla-e2e-')), name);
  writeFileSync(file, lines.join('\n') + '\n');
  await page.goto('/?scenario=examples/leader-crash.json&host=inline');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await page.getByLabel('Import scenario or trace file').setInputFiles(file);
}

const status = (page: Page) => page.getByRole('status', { name: 'Run status' });

test('the trace flotilla sim wrote imports and replays', async ({ page }) => {
  await importTrace(page, 'good.trace.jsonl', cliTraceLines());
  await expect(status(page)).toContainText('Imported good.trace.jsonl');
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('inline');
});

test('a tampered state line is refused, naming its line and field', async ({ page }) => {
  const lines = cliTraceLines();
  const at = lines.findIndex((l) => l.includes('"type":"state"') && l.includes('"term":1'));
  expect(at).toBeGreaterThan(0);
  lines[at] = lines[at]!.replace('"term":1', '"term":7');
  await importTrace(page, 'tampered.trace.jsonl', lines);
  await expect(status(page)).toContainText(`Not imported: tampered.trace.jsonl is not what its scenario produces. Line ${at + 1} differs from its replay: term is 7 in the file, 1 in its replay`);
  await expect(status(page)).not.toContainText('Imported tampered');
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('examples/leader-crash.json');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: 'test-results/screens/import-tampered.png' });
});

test('events of nodes 42, 77, 88 in a 3-node run are refused', async ({ page }) => {
  const lines = cliTraceLines();
  const forged = [...lines.slice(0, 12), ...[42, 77, 88].map((node) => `{"t":1,"type":"crash","node":${node}}`), ...lines.slice(12)];
  await importTrace(page, 'forged.trace.jsonl', forged);
  await expect(status(page)).toContainText('Not imported: forged.trace.jsonl is not what its scenario produces. Line 13 differs from its replay');
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('examples/leader-crash.json');
});
