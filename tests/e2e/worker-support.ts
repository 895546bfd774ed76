/**
 * Shared by the worker-*.spec.ts files: the reference run through the CLI (`flotilla sim`), the app URL for a
 * scenario, and the trace the app offers through its "Download trace" control.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { encodeInlineScenario } from '../../src/store/runUrl.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface CliRun {
  readonly traceSha256: string;
  /** The trace's event lines (header excluded), parsed. */
  readonly events: Array<Record<string, unknown> & { t: number; type: string }>;
}

/** Runs `npx flotilla sim FILE --seed N --out TRACE` (the reference the browser must match byte for byte). */
export function cliSim(scenarioFile: string, seed: number): CliRun {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'flotilla-e2e-')), 'trace.jsonl');
  const stdout = execFileSync('node', ['bin/flotilla.mjs', 'sim', scenarioFile, '--seed', String(seed), '--out', out], { cwd: repoRoot, encoding: 'utf8' });
  const summary = JSON.parse(stdout) as { traceSha256: string };
  const text = readFileSync(out, 'utf8');
  expectSha(text, summary.traceSha256);
  return { traceSha256: summary.traceSha256, events: text.trimEnd().split('\n').slice(1).map((line) => JSON.parse(line)) };
}

/** The CLI run of a scenario given as JSON (written to a temporary file). */
export function cliSimJson(scenario: object, seed: number): CliRun {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'flotilla-e2e-')), 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario));
  return cliSim(file, seed);
}

/** The example scenarios shipped with the app, as `examples/NAME.json`. */
export function exampleScenarios(): string[] {
  try {
    return readdirSync(path.join(repoRoot, 'examples')).filter((f) => f.endsWith('.json')).sort().map((f) => `examples/${f}`);
  } catch {
    return [];
  }
}

/** The app URL of a run: an example path, or a scenario object carried inline. */
export function runUrl(scenario: string | object, params: Record<string, string | number>): string {
  const search = new URLSearchParams({ scenario: typeof scenario === 'string' ? scenario : encodeInlineScenario(JSON.stringify(scenario)) });
  for (const [key, value] of Object.entries(params)) search.set(key, String(value));
  return `/?${search}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function expectSha(text: string, sha: string): void {
  if (sha256Hex(text) !== sha) throw new Error(`the CLI's trace file does not hash to the sha256 it printed (${sha})`);
}

/** Clicks "Download trace" and returns the downloaded file's text. */
export async function downloadTrace(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download trace' }).click()]);
  const file = await download.path();
  return readFileSync(file, 'utf8');
}

/** The number of live node workers the page reports (`data-worker-count` on <html>). */
export async function workerCount(page: Page): Promise<number> {
  return Number(await page.locator('html').getAttribute('data-worker-count'));
}
