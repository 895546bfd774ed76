/**
 * Checks an imported trace file against its replay. An imported trace is shown by replaying the scenario it
 * carries (traceToScenario.ts), so the page must not call the file "imported" when the file says something else
 * (a tampered `state` line, events of nodes the cluster does not have): the replay is re-simulated in-process,
 * line by line, and the first line where the file and the replay differ is reported with what differs. A file
 * that stops early (a trace downloaded mid-run) is a prefix of its replay, and matches.
 *
 * The replay runs in slices of a few milliseconds with a yield to the page between them, reporting progress,
 * and stops when `isCancelled` says so (Escape, or another run loaded).
 */
import { SyncRunner } from '../sim/index.ts';
import { resolveScenario } from '../sim/index.ts';
import { eventJson, headerJson } from '../sim/index.ts';
import { World } from '../sim/index.ts';
import { namesClient } from '../sim/index.ts';
import { isTraceEvent } from '../sim/index.ts';
import type { ScenarioJson } from './scenarioSource.ts';

/** Where an imported trace and its replay first differ (1-based line of the file) and how. */
export interface TraceDifference {
  readonly line: number;
  readonly message: string;
}

export interface CompareOptions {
  /** Called between slices with the file lines checked so far and their total. */
  readonly onProgress?: (checked: number, total: number) => void;
  /** Checked between slices: true stops the comparison (it then resolves to `cancelled`). */
  readonly isCancelled?: () => boolean;
}

const SLICE_MS = 30;

/** Compares `text` (a trace file) with the replay of `scenario` (the scenario read from that same file). */
export async function compareTraceWithReplay(text: string, scenario: ScenarioJson, options: CompareOptions = {}): Promise<TraceDifference | null | 'cancelled'> {
  const fileLines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (fileLines[fileLines.length - 1] === '') fileLines.pop();
  const resolved = resolveScenario(scenario);
  const clientLayer = resolved.actions.some(namesClient) ? (await import('../etcd/kvClients.ts')).kvClients : undefined;
  const world = new World({ scenario: resolved, clientLayer });
  const { InlineHost } = await import('../sim/inlineHost.ts');
  const runner = new SyncRunner(new InlineHost());

  let checked = 0;
  let difference: TraceDifference | null = null;
  const compare = (replayLine: string): void => {
    if (difference || checked >= fileLines.length) return;
    const fileLine = fileLines[checked]!;
    checked++;
    if (fileLine !== replayLine) difference = { line: checked, message: describeDifference(fileLine, replayLine) };
  };
  compare(headerJson(world.header()));
  world.subscribe((ev) => {
    if (isTraceEvent(ev)) compare(eventJson(ev));
  });
  // Stops at the first difference or once every file line was compared (a call or two past it changes nothing:
  // compare() ignores what follows), and at the end of each slice.
  const settled = (): boolean => difference !== null || checked >= fileLines.length;
  for (;;) {
    const sliceEnd = performance.now() + SLICE_MS;
    if (runner.runUntil(world, resolved.until, () => settled() || performance.now() > sliceEnd) || settled()) break;
    options.onProgress?.(checked, fileLines.length);
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (options.isCancelled?.()) return 'cancelled';
  }
  if (difference) return difference;
  if (checked < fileLines.length) {
    return { line: checked + 1, message: `the file goes on (${fileLines.length - checked} more lines) where its replay ends: ${clip(fileLines[checked]!)}` };
  }
  return null;
}

/** "node is 42 in the file, 2 in the replay (a "state" event at t = 10 ms)", or the two lines when not JSON. */
function describeDifference(fileLine: string, replayLine: string): string {
  let file: unknown;
  try {
    file = JSON.parse(fileLine);
  } catch {
    return `not valid JSON: ${clip(fileLine)}`;
  }
  const replay = JSON.parse(replayLine) as Record<string, unknown>;
  const path = firstDifference(file, replay, '');
  const where = typeof replay.t === 'number' ? ` (the replay has a "${String(replay.type)}" event at t = ${replay.t} ms there)` : ` (the replay's ${String(replay.type)} line)`;
  if (path === null) return `same values, different bytes (key order or spacing): ${clip(fileLine)}${where}`;
  return `${path.path || 'the line'} is ${clip(show(path.file))} in the file, ${clip(show(path.replay))} in its replay${where}`;
}

function firstDifference(a: unknown, b: unknown, path: string): { path: string; file: unknown; replay: unknown } | null {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(rb), ...Object.keys(ra)])];
    for (const key of keys) {
      const sub = Array.isArray(a) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!Object.hasOwn(ra, key)) return { path: sub, file: undefined, replay: rb[key] };
      if (!Object.hasOwn(rb, key)) return { path: sub, file: ra[key], replay: undefined };
      const d = firstDifference(ra[key], rb[key], sub);
      if (d) return d;
    }
    return null;
  }
  return Object.is(a, b) ? null : { path, file: a, replay: b };
}

function show(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

function clip(text: string): string {
  return text.length > 120 ? text.slice(0, 117) + '…' : text;
}
