/**
 * Recipe histories in the fuzzer (src/sim/fuzz/recipeWorkload.ts): seeds that draw recipe clients run
 * elections, locks, registrations and cron jobs under the nemesis, and their traces pass the recipe checks, the
 * linearizability check and the watch-stream check; a run replays exactly from the scenario it leaves behind.
 */
import { describe, expect, it } from 'vitest';
import { runFuzzSeed } from '../../src/sim/fuzz/fuzz.ts';
import { checkRecipes } from '../../src/etcd/recipes/checks.ts';
import { replayScenario } from '../../src/sim/replay.ts';
import { runScenario } from '../../src/sim/run.ts';
import { resolveScenario } from '../../src/sim/scenario.ts';
import { isTraceEvent, type TraceEvent } from '../../src/sim/traceEvents.ts';

describe('fuzzing with recipes', () => {
  // Seeds from the range the plain sweep (tests/sim/fuzz.test.ts) covers, so a failure here is the recipes'.
  it('passes 60 seeds x 20000 events: no cron period run twice, no fenced record accepted for a deposed leader', () => {
    let seedsWithRecipes = 0;
    let runs = 0;
    let refused = 0;
    const roles = new Set<string>();
    for (let seed = 1; seed <= 60; seed++) {
      const r = runFuzzSeed(seed, { events: 20_000 });
      expect(r.ok, `seed ${seed}: ${r.violation?.message ?? r.livenessFailure ?? r.error ?? r.clientFailure}`).toBe(true);
      if (!r.recipes) continue;
      seedsWithRecipes++;
      runs += r.recipeRuns!;
      refused += r.recipeRefused!;
      for (const role of r.recipes.roles) roles.add(role);
    }
    expect(seedsWithRecipes).toBeGreaterThan(20);
    expect(roles).toEqual(new Set(['election', 'mutex', 'registry', 'cron']));
    expect(runs).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(0);
  });

  it('replays a recipe run from its scenario to the same events, and the checks see the same verdict', () => {
    let seed = 1;
    while (!runFuzzSeed(seed, { events: 3000, recipes: true, safetyOnly: true }).recipes) seed++;
    const events: TraceEvent[] = [];
    const r = runFuzzSeed(seed, { events: 20_000, recipes: true, listener: (e) => isTraceEvent(e) && events.push(e) });
    expect(r.ok).toBe(true);
    expect(events.some((e) => e.type === 'recipe')).toBe(true);
    const replayed: TraceEvent[] = [];
    runScenario(resolveScenario(replayScenario(r)), { listener: (e) => isTraceEvent(e) && replayed.push(e) });
    expect(replayed).toEqual(events);
    expect(checkRecipes(replayed)).toEqual(checkRecipes(events));
  });

  it('draws recipes for about half the seeds by default, and for none with recipes: false', () => {
    const drawn = [1, 2, 3, 4, 5, 6, 7, 8].filter((seed) => runFuzzSeed(seed, { events: 1000, safetyOnly: true }).recipes !== undefined);
    expect(drawn.length).toBeGreaterThan(1);
    expect(drawn.length).toBeLessThan(8);
    const off = runFuzzSeed(drawn[0]!, { events: 3000, recipes: false });
    expect(off.recipes).toBeUndefined();
    expect(off.actions.some((a) => typeof a.client === 'string' && /^r\d+$/.test(a.client))).toBe(false);
  });
});
