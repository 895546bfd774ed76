/**
 * Cron recipe (cron.ts) against the in-memory etcd: one run per period across a leader change, and the
 * deposed leader's fenced record refused.
 */
import { describe, expect, it } from 'vitest';
import { checkRecipes } from '../../src/etcd/recipes/checks.ts';
import { FakeEtcd } from './fakeEtcd.ts';

type Traced = Record<string, unknown> & { t: number; client: string; event: string; detail: Record<string, unknown> };

function cronScenario(): FakeEtcd {
  const etcd = new FakeEtcd();
  for (const client of ['c1', 'c2', 'c3']) {
    etcd.action({ at: 0, do: 'cron', client, job: 'backup', everyMs: 1000, election: '/cron/backup', ttlMs: 2000 });
  }
  // c1 (the leader) is cut off from 3500 to 8000: its period-4 record is sent into the cut link at 4000 and
  // held there (as a leaderless node holds it) until the link comes back, after c1 lost its lease.
  etcd.cut('c1', 3500, 8000);
  etcd.runUntil(12_000);
  return etcd;
}

describe('cron', () => {
  it('runs each period at most once, on the leader; a new leader takes over; the deposed leader is refused', () => {
    const etcd = cronScenario();
    const runs = etcd.recipeEvents('run') as Traced[];
    const refused = etcd.recipeEvents('refused') as Traced[];
    const periods = runs.map((r) => r.detail.period as number);
    expect(new Set(periods).size).toBe(periods.length);
    // c1 runs 0..3, then c2 (next in the queue) takes over once c1's lease expired.
    expect(runs.filter((r) => r.client === 'c1').map((r) => r.detail.period)).toEqual([0, 1, 2, 3]);
    const c2 = runs.filter((r) => r.client === 'c2').map((r) => r.detail.period as number);
    expect(c2[0]).toBeGreaterThanOrEqual(5);
    expect(c2.at(-1)).toBe(11);
    expect(runs.every((r) => r.client !== 'c3')).toBe(true);
    // The records of periods 4 and 5 were sent by c1 while it believed it led (its session ran out only at
    // about 3400 + TTL), held in the cut link, and applied after its key was gone: both refused.
    expect(refused.map((r) => [r.client, r.detail.period])).toEqual([['c1', 4], ['c1', 5]]);
    const c1Lost = etcd.recipeEvents('lost')[0]!;
    expect(c1Lost.t).toBeGreaterThan(5000);
    expect(refused[0]!.t).toBeGreaterThan(8000);
    // Every run is checked against the replayed log; none twice, none by a deposed leader.
    const report = checkRecipes(etcd.events);
    expect(report.cronDoubleRuns).toEqual([]);
    expect(report.fenceViolations).toEqual([]);
    expect(report.fencedRunsVerified).toBe(runs.length);
    expect(report.ok).toBe(true);
  });

  it('the deposed leader campaigns again and waits behind the new leader', () => {
    const etcd = cronScenario();
    const elected = (etcd.recipeEvents('elected') as Traced[]).map((e) => e.client);
    expect(elected).toEqual(['c1', 'c2']);
    const lost = etcd.recipeEvents('lost') as Traced[];
    expect(lost.map((e) => e.client)).toEqual(['c1']);
    // After the link came back, c1 holds a new key, queued after c3's.
    const keys = etcd.machine.get({ key: '/cron/backup/', prefix: true });
    expect(keys.ok && keys.result.kvs.map((kv) => kv.value).sort()).toEqual(['c1', 'c2', 'c3']);
  });
});
