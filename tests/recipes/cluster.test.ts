/**
 * The recipes on the in-process cluster (real Raft nodes, the KV layer, clients on the bus): election handover
 * after killClient, no herd, mutex exclusion, registry deaths and re-registration, cron once per period, and a
 * trace that is the same every run. Recipe events, their own client operations and the checks of checks.ts.
 */
import { describe, expect, it } from 'vitest';
import { checkTraceHistory } from '../../src/check/index.ts';
import { checkRecipes, findLeadershipOverlaps } from '../../src/etcd/recipes/checks.ts';
import type { RecipeTraceEvent } from '../../src/etcd/recipes/recipeTrace.ts';
import { run, type Run } from '../sim/helpers.ts';

const ET = 1000;
const TTL = 3000;

function recipeEvents(r: Run, event?: string): RecipeTraceEvent[] {
  return r.events.filter((e): e is RecipeTraceEvent => e.type === 'recipe' && (event === undefined || e.event === event));
}

/** Client operations invoked by `client` doing `what`. */
function invokes(r: Run, client: string, what: string): Record<string, unknown>[] {
  return r.events
    .filter((e) => e.type === 'client' && e.client === client && e.phase === 'invoke' && (e.op as { do?: unknown }).do === what)
    .map((e) => (e as { op: Record<string, unknown> }).op);
}

/** Runs a scenario, which must break no Raft invariant, keep a linearizable history and pass the recipe checks. */
function runChecked(scenario: Record<string, unknown>): Run {
  const r = run(scenario);
  expect(r.summary.violations).toEqual([]);
  const history = checkTraceHistory(r.events);
  expect(history.linearizable).toBe(true);
  const recipes = checkRecipes(r.events);
  expect(recipes.cronDoubleRuns).toEqual([]);
  expect(recipes.fenceViolations).toEqual([]);
  return r;
}

const clients = (...names: string[]) => names.map((client, i) => ({ at: 200, do: 'client', client, via: (i % 3) + 1 }));

describe('recipes on the in-process cluster', () => {
  it('election: the next candidate is elected about a TTL after the leader\'s client is killed', () => {
    const r = runChecked({
      nodes: 3, seed: 3, until: 12_000,
      actions: [
        ...clients('c1', 'c2', 'c3'),
        { at: 1500, do: 'campaign', client: 'c1', election: '/e', value: 'c1', ttlMs: TTL },
        { at: 1600, do: 'campaign', client: 'c2', election: '/e', value: 'c2', ttlMs: TTL },
        { at: 1700, do: 'campaign', client: 'c3', election: '/e', value: 'c3', ttlMs: TTL },
        { at: 4000, do: 'killClient', client: 'c1' },
      ],
    });
    const elected = recipeEvents(r, 'elected');
    expect(elected.map((e) => e.client)).toEqual(['c1', 'c2']);
    // c1's last keepalive left at most TTL/3 before its death; the lease then lives a TTL (the Raft leader did not change).
    expect(elected[1]!.t).toBeGreaterThan(4000 + (2 * TTL) / 3);
    expect(elected[1]!.t).toBeLessThan(4000 + TTL + ET);
    expect(findLeadershipOverlaps(r.events)).toEqual([]);
  });

  it('election: each waiter watches only its immediate predecessor, and a resign wakes one waiter (no herd)', () => {
    const names = ['c1', 'c2', 'c3', 'c4', 'c5'];
    const r = runChecked({
      nodes: 3, seed: 4, until: 6000,
      actions: [
        ...clients(...names),
        ...names.map((client, i) => ({ at: 1500 + 150 * i, do: 'campaign', client, election: '/e', value: client, ttlMs: TTL })),
        { at: 4000, do: 'resign', client: 'c1', election: '/e' },
      ],
    });
    const keyOf = new Map(names.map((c) => [c, (invokes(r, c, 'txn')[0]!.success as { put: { key: string } }[])[0]!.put.key]));
    expect(invokes(r, 'c1', 'watch')).toEqual([]);
    for (let i = 1; i < names.length; i++) {
      const watched = invokes(r, names[i]!, 'watch').map((op) => op.key);
      expect(watched).toEqual([keyOf.get(names[i - 1]!)]);
    }
    // The resign's DELETE reaches c2's watch alone.
    const deliveries = r.events.filter((e) => e.type === 'watch' && e.t >= 4000);
    expect(deliveries.map((e) => (e as { client: string }).client)).toEqual(['c2']);
    expect(recipeEvents(r, 'elected').map((e) => e.client)).toEqual(['c1', 'c2']);
  });

  it('mutex: three clients hold the lock one after another, never together', () => {
    const r = runChecked({
      nodes: 3, seed: 5, until: 8000,
      actions: [
        ...clients('a', 'b', 'c'),
        ...['a', 'b', 'c'].flatMap((client, i) => [
          { at: 1500 + 20 * i, do: 'lock', client, mutex: '/lock/db', ttlMs: TTL },
          { at: 2000 + 20 * i, do: 'unlock', client, mutex: '/lock/db' },
        ]),
      ],
    });
    const events = recipeEvents(r).filter((e) => e.recipe === 'mutex');
    expect(events).toHaveLength(6);
    // Alternating locked/unlocked: at most one holder at any time.
    events.forEach((e, i) => expect(e.event).toBe(i % 2 === 0 ? 'locked' : 'unlocked'));
    for (let i = 0; i < events.length; i += 2) expect(events[i + 1]!.client).toBe(events[i]!.client);
    expect(findLeadershipOverlaps(r.events)).toEqual([]);
  });

  it('registry: a cut-off instance vanishes after its TTL and returns only when it registers again', () => {
    const r = runChecked({
      nodes: 3, seed: 6, until: 16_000,
      actions: [
        { at: 200, do: 'client', client: 'web1', via: 1 },
        { at: 200, do: 'client', client: 'web2', via: 2 },
        { at: 200, do: 'client', client: 'front', via: 3 },
        { at: 1500, do: 'discover', client: 'front', service: '/svc/' },
        { at: 1600, do: 'register', client: 'web1', service: '/svc/', instance: 'w1', addr: 'a:1', ttlMs: TTL },
        { at: 1700, do: 'register', client: 'web2', service: '/svc/', instance: 'w2', addr: 'b:1', ttlMs: TTL },
        { at: 4000, do: 'partition', groups: [[1, 2, 3, 'web2', 'front'], ['web1']] },
        { at: 9000, do: 'heal' },
        { at: 12_000, do: 'register', client: 'web1', service: '/svc/', instance: 'w1', addr: 'a:1', ttlMs: TTL },
      ],
    });
    const lists = recipeEvents(r, 'discovered').map((e) => ({ t: e.t, names: (e.detail.instances as { instance: string }[]).map((i) => i.instance) }));
    expect(lists.map((l) => l.names)).toEqual([[], ['w1'], ['w1', 'w2'], ['w2'], ['w1', 'w2']]);
    expect(lists[3]!.t).toBeGreaterThan(4000 + (2 * TTL) / 3);
    expect(lists[3]!.t).toBeLessThan(4000 + TTL + ET);
    expect(lists[4]!.t).toBeGreaterThan(12_000);
    expect(recipeEvents(r, 'lost').map((e) => e.client)).toEqual(['web1']);
  });

  it('leaves no double-belief window when the holder sits with a stale leader (no CheckQuorum): keepalives need a quorum', () => {
    // Node 1 leads and stays leader in its own eyes once partitioned (CheckQuorum off). etcd's LeaseRenew
    // confirms leadership first (ensureLeadership, a ReadIndex round), so node 1 cannot renew c1's lease: c1
    // hears no renewal, counts its session lost a TTL after the last one, and only later does the majority's
    // leader expire the lease and let c2 lock.
    const r = runChecked({
      nodes: 3, seed: 3, until: 16_000, config: { checkQuorum: false },
      actions: [
        { at: 200, do: 'client', client: 'c1', via: 1 },
        { at: 200, do: 'client', client: 'c2', via: 2 },
        { at: 1500, do: 'lock', client: 'c1', mutex: '/lock/db', ttlMs: TTL },
        { at: 1600, do: 'lock', client: 'c2', mutex: '/lock/db', ttlMs: TTL },
        { at: 3000, do: 'partition', groups: [[1, 'c1'], [2, 3, 'c2']] },
        { at: 13_000, do: 'heal' },
      ],
    });
    expect(r.summary.leaders[0]!.node).toBe(1);
    const c1Locked = recipeEvents(r, 'locked').find((e) => e.client === 'c1')!;
    const c2Locked = recipeEvents(r, 'locked').find((e) => e.client === 'c2')!;
    const c1Lost = recipeEvents(r, 'lost').find((e) => e.client === 'c1')!;
    expect(c1Locked.t).toBeLessThan(3000);
    // No renewal by the cut-off node 1 after the partition.
    const renewedByStale = r.events.filter((e) => e.type === 'lease' && e.event === 'renewed' && e.node === 1 && e.t > 3000 + ET);
    expect(renewedByStale).toEqual([]);
    expect(c1Lost.t).toBeLessThan(3000 + TTL + ET);
    expect(c1Lost.t).toBeLessThan(c2Locked.t);
    expect(findLeadershipOverlaps(r.events)).toEqual([]);
  });

  it('is deterministic: the same scenario gives the same trace', () => {
    const scenario = {
      nodes: 3, seed: 9, until: 9000,
      actions: [
        ...clients('c1', 'c2', 'c3'),
        ...['c1', 'c2', 'c3'].map((client) => ({ at: 1000, do: 'cron', client, job: 'j', everyMs: 700, ttlMs: 2000 })),
        { at: 3000, do: 'crash', node: 'leader' },
        { at: 6000, do: 'restart', node: 'lastCrashed' },
      ],
    };
    const first = run(scenario);
    const second = run(scenario);
    expect(second.summary.traceSha256).toBe(first.summary.traceSha256);
    expect(recipeEvents(first, 'run').length).toBeGreaterThan(4);
  });
});
