/**
 * The recipe checks (src/etcd/recipes/checks.ts) on hand-built traces: each check finds what it must, and
 * only that.
 */
import { describe, expect, it } from 'vitest';
import { encodeCommand, type KvRequest } from '../../src/kv/index.ts';
import { checkFencedRuns, checkRecipes, findCronDoubleRuns, findLeadershipOverlaps } from '../../src/etcd/recipes/checks.ts';

const recipe = (t: number, client: string, event: string, name = '/e', kind = 'election', detail: Record<string, unknown> = {}) =>
  ({ t, type: 'recipe', client, recipe: kind, name, event, detail });

describe('findLeadershipOverlaps', () => {
  it('measures each window in which two or more clients believe they lead, with every client involved', () => {
    const events = [
      recipe(100, 'c1', 'elected'),
      recipe(500, 'c2', 'elected'),
      recipe(600, 'c3', 'elected'),
      recipe(700, 'c2', 'lost'),
      recipe(800, 'c1', 'lost'),
      recipe(900, 'c1', 'elected', '/other'),
    ];
    expect(findLeadershipOverlaps(events)).toEqual([
      { recipe: 'election', name: '/e', startMs: 500, endMs: 800, durationMs: 300, clients: ['c1', 'c2', 'c3'], open: false },
    ]);
  });

  it('ends a belief at the client\'s death, keeps elections, mutexes and cron jobs apart, and reports open windows', () => {
    const events = [
      recipe(100, 'c1', 'elected'),
      recipe(150, 'c1', 'locked', '/e', 'mutex'),
      recipe(200, 'c2', 'elected'),
      { t: 300, type: 'action', action: { at: 300, do: 'killClient', client: 'c1' } },
      recipe(400, 'c3', 'elected', 'job', 'cron'),
      recipe(450, 'c4', 'elected', 'job', 'cron'),
      { t: 1000, type: 'state' },
    ];
    expect(findLeadershipOverlaps(events)).toEqual([
      { recipe: 'election', name: '/e', startMs: 200, endMs: 300, durationMs: 100, clients: ['c1', 'c2'], open: false },
      { recipe: 'cron', name: 'job', startMs: 450, endMs: 1000, durationMs: 550, clients: ['c3', 'c4'], open: true },
    ]);
  });

  it('reports nothing for a clean handover, even within one millisecond', () => {
    expect(findLeadershipOverlaps([recipe(100, 'c1', 'elected'), recipe(900, 'c1', 'resigned'), recipe(900, 'c2', 'elected')])).toEqual([]);
  });
});

describe('findCronDoubleRuns', () => {
  it('finds a period run by two clients, and not two different periods or two jobs', () => {
    const run = (t: number, client: string, period: number, job = 'backup') => recipe(t, client, 'run', job, 'cron', { period });
    expect(findCronDoubleRuns([run(0, 'c1', 0), run(1000, 'c1', 1), run(1000, 'c2', 1, 'other')])).toEqual([]);
    expect(findCronDoubleRuns([run(0, 'c1', 0), run(1000, 'c1', 1), run(1100, 'c2', 1)])).toEqual([
      { job: 'backup', period: 1, runs: [{ client: 'c1', t: 1000 }, { client: 'c2', t: 1100 }] },
    ]);
  });
});

describe('checkFencedRuns', () => {
  /** A trace whose log: grants lease 1, puts the leader key under it (rev 2), then `rest`. */
  const log = (rest: KvRequest[]) => {
    const requests: KvRequest[] = [
      { do: 'grant', id: '1', ttlMs: 1000 },
      { do: 'put', key: '/cron/j/1', value: 'c1', lease: '1' },
      ...rest,
    ];
    return requests.map((request, i) => ({
      t: i, type: 'apply', node: 1, index: i + 1, term: 1, data: encodeCommand({ clientId: 'x', requestId: i + 1, request }),
    }));
  };
  const record = { do: 'put', key: 'cron/j/runs/0', value: 'c1@2' } as const;
  const run = (revision: number) => recipe(10, 'c1', 'run', 'j', 'cron', {
    period: 0, key: 'cron/j/runs/0', leaderKey: '/cron/j/1', createRevision: 2, revision,
  });

  it('accepts a run recorded while the leader key stood', () => {
    const events = [...log([record]), run(3)];
    expect(checkFencedRuns(events)).toEqual({ violations: [], verified: 1 });
    expect(checkRecipes(events).ok).toBe(true);
  });

  it('flags a run recorded after the leader key was deleted (the lease revoked)', () => {
    const events = [...log([{ do: 'revoke', id: '1' }, record]), run(4)];
    const { violations } = checkFencedRuns(events);
    expect(violations).toHaveLength(1);
    expect(violations[0]!.problem).toMatch(/already deleted/);
    expect(checkRecipes(events).ok).toBe(false);
  });

  it('flags a run whose revision wrote no record, and leaves runs beyond the replayed log unverified', () => {
    expect(checkFencedRuns([...log([{ do: 'put', key: 'other', value: '' }]), run(3)]).violations[0]!.problem).toMatch(/no record/);
    expect(checkFencedRuns([...log([]), run(7)])).toEqual({ violations: [], verified: 0 });
  });

  it('replays each index once, whichever node applies it, and skips compactions', () => {
    const entries = log([{ do: 'compact', revision: 2 }, record]);
    const otherNode = entries.map((e) => ({ ...e, node: 2 }));
    const interleaved = entries.flatMap((e, i) => [e, otherNode[i]!]);
    expect(checkFencedRuns([...interleaved, run(3)])).toEqual({ violations: [], verified: 1 });
  });
});
