/**
 * The etcd recipe examples (examples/etcd-*.json) run on the in-process cluster and show what their
 * descriptions promise. (tests/sim/examples.test.ts also runs every example for Raft safety.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTraceHistory } from '../../src/check/index.ts';
import { checkRecipes } from '../../src/etcd/recipes/checks.ts';
import type { RecipeTraceEvent } from '../../src/etcd/recipes/recipeTrace.ts';
import { run, type Run } from '../sim/helpers.ts';

const dir = path.resolve(import.meta.dirname, '../../examples');
const load = (name: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8'));
const EXAMPLES = ['etcd-leader-election', 'etcd-service-discovery', 'etcd-distributed-cron'];

function runExample(name: string): Run {
  const r = run(load(name));
  expect(r.summary.violations).toEqual([]);
  expect(checkTraceHistory(r.events).linearizable).toBe(true);
  const report = checkRecipes(r.events);
  expect(report.ok).toBe(true);
  return r;
}

const recipeEvents = (r: Run, event?: string): RecipeTraceEvent[] =>
  r.events.filter((e): e is RecipeTraceEvent => e.type === 'recipe' && (event === undefined || e.event === event));
const instanceLists = (r: Run, recipe: string) => recipeEvents(r, 'discovered')
  .filter((e) => e.recipe === recipe)
  .map((e) => ({ t: e.t, names: (e.detail.instances as { instance: string }[]).map((i) => i.instance) }));

describe('examples/etcd-*', () => {
  it.each(EXAMPLES)('%s has a name and a description', (name) => {
    const scenario = load(name);
    expect(typeof scenario.name === 'string' && scenario.name.length > 0).toBe(true);
    expect(typeof scenario.description === 'string' && (scenario.description as string).length > 200).toBe(true);
  });

  it('leader election: c1, then c2 about a TTL after c1 is killed, then c3 after c2\'s node is isolated', () => {
    const r = runExample('etcd-leader-election');
    const elected = recipeEvents(r, 'elected');
    expect(elected.map((e) => e.client)).toEqual(['c1', 'c2', 'c3']);
    expect(elected[1]!.t).toBeGreaterThan(5000 + 2000);
    expect(elected[1]!.t).toBeLessThan(5000 + 3000 + 1000);
    expect(elected[2]!.t).toBeGreaterThan(11_000 + 2000);
    const lost = recipeEvents(r, 'lost');
    expect(lost.map((e) => e.client)).toEqual(['c2']);
    expect(lost[0]!.t).toBeLessThan(elected[2]!.t);
    expect(recipeEvents(r, 'observed').map((e) => e.detail.value)).toEqual(['c1', 'c2', 'c3']);
    expect(checkRecipes(r.events).leadershipOverlaps).toEqual([]);
  });

  it('service discovery: the watch follows deaths and re-registration; heartbeats go stale and their keys stay', () => {
    const r = runExample('etcd-service-discovery');
    const leased = instanceLists(r, 'registry');
    expect(leased.map((l) => l.names)).toEqual([[], ['web-1'], ['web-1', 'web-2'], ['web-2'], [], ['web-1']]);
    // web-1 goes a TTL (give or take a keepalive period) after the cut; it is back only after registering again.
    expect(leased[3]!.t).toBeGreaterThan(6000 + 2000);
    expect(leased[3]!.t).toBeLessThan(6000 + 3000 + 500);
    expect(leased[5]!.t).toBeGreaterThan(14_000);
    const beats = instanceLists(r, 'heartbeat');
    const webOneStale = beats.find((l) => l.t > 6000 && !l.names.includes('web-1'))!;
    expect(webOneStale.t).toBeGreaterThan(6000 + 1000);
    expect(webOneStale.t).toBeLessThan(6000 + 1500 + 500 + 200);
    // Heartbeats resume on their own after the heal.
    expect(beats.at(-1)!.names).toEqual(['web-1']);
    expect(beats.at(-1)!.t).toBeGreaterThan(12_000);
    expect(beats.at(-1)!.t).toBeLessThan(14_000);
  });

  it('distributed cron: one run per period, across a leader crash and a partition; the deposed leaders are refused', () => {
    const r = runExample('etcd-distributed-cron');
    const runs = recipeEvents(r, 'run');
    const periods = runs.map((e) => e.detail.period as number);
    expect(new Set(periods).size).toBe(periods.length);
    expect([...new Set(runs.map((e) => e.client))]).toEqual(['cron1', 'cron3', 'cron2']);
    const refused = recipeEvents(r, 'refused');
    // Both deposed leaders (cron1 after the crash, cron3 after the partition) try to record and are refused.
    expect([...new Set(refused.map((e) => e.client))]).toEqual(['cron1', 'cron3']);
    // Each refused record was sent by a leader whose session then ran out: it arrives after its `lost`.
    const lost = recipeEvents(r, 'lost');
    for (const e of refused) expect(lost.some((l) => l.client === e.client && l.t < e.t)).toBe(true);
    // A refused period is never also run by the refused client.
    for (const e of refused) expect(runs.some((x) => x.client === e.client && x.detail.period === e.detail.period)).toBe(false);
    expect(checkRecipes(r.events).fencedRunsVerified).toBe(runs.length);
  });
});
