/**
 * The invariant checker on hand-made traces: each invariant caught when broken, and not raised when a
 * legitimate trace merely looks similar. Also: the offline reader gives the same verdict as the live run.
 */
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/raft/types.ts';
import { RaftInvariantChecker } from '../../src/sim/raftInvariantChecker.ts';
import { checkTrace, parseTrace, TraceFormatError } from '../../src/sim/traceReader.ts';
import type { TraceEvent } from '../../src/sim/traceEvents.ts';
import { run, scenario } from './helpers.ts';

const st = (t: number, node: number, role: Role, term: number, vote: number, commit: number, last: [number, number], leader = role === 'leader' ? node : 0): TraceEvent =>
  ({ t, type: 'state', node, role, term, vote, leader, commit, last });
const app = (t: number, node: number, from: number, entries: [number, string | null][]): TraceEvent =>
  ({ t, type: 'append', node, from, entries: entries.map(([term, data], k) => ({ index: from + k, term, data })) });
const apply = (t: number, node: number, index: number, term: number, data: string | null): TraceEvent => ({ t, type: 'apply', node, index, term, data });

/** Node 1 wins term 1 with votes from 2 and 3, appends its empty entry, and commits it on all three. */
const elected: TraceEvent[] = [
  st(10, 1, 'candidate', 1, 1, 0, [0, 0]),
  st(20, 2, 'follower', 1, 1, 0, [0, 0]),
  st(20, 3, 'follower', 1, 1, 0, [0, 0]),
  app(30, 1, 1, [[1, null]]),
  st(30, 1, 'leader', 1, 1, 0, [1, 1]),
  app(40, 2, 1, [[1, null]]),
  st(40, 2, 'follower', 1, 1, 0, [1, 1], 1),
  app(40, 3, 1, [[1, null]]),
  st(40, 3, 'follower', 1, 1, 0, [1, 1], 1),
  apply(50, 1, 1, 1, null),
  st(50, 1, 'leader', 1, 1, 1, [1, 1]),
];

function check(events: TraceEvent[]) {
  const checker = new RaftInvariantChecker(3);
  for (const e of events) checker.onEvent(e);
  return checker.violation;
}

describe('RaftInvariantChecker', () => {
  it('passes a legitimate election and commit', () => {
    expect(check(elected)).toBeUndefined();
  });

  it('Election Safety: two leaders in one term', () => {
    const v = check([...elected, st(60, 2, 'leader', 1, 1, 1, [1, 1])]);
    expect(v).toMatchObject({ invariant: 'Election Safety', nodes: [1, 2], t: 60 });
  });

  it('Leader Append-Only: a leader that overwrites its own log and stays leader', () => {
    const v = check([...elected, app(60, 1, 2, [[1, 'a']]), st(60, 1, 'leader', 1, 1, 1, [2, 1]), app(70, 1, 2, []), st(70, 1, 'leader', 1, 1, 1, [1, 1])]);
    expect(v).toMatchObject({ invariant: 'Leader Append-Only', nodes: [1], t: 70 });
  });

  it('Leader Append-Only: not raised when the truncation comes with stepping down to a newer term', () => {
    const events = [
      ...elected, app(60, 1, 2, [[1, 'a']]), st(60, 1, 'leader', 1, 1, 1, [2, 1]),
      // In one step node 1 hears of term 2 from a new leader and takes its entries.
      app(90, 1, 2, [[2, null]]), st(90, 1, 'follower', 2, 0, 1, [2, 2], 3),
    ];
    expect(check(events)).toBeUndefined();
  });

  it('Log Matching: equal index and term over different prefixes', () => {
    const v = check([app(10, 1, 1, [[1, 'a'], [2, 'b']]), app(10, 2, 1, [[1, 'x'], [2, 'b']])]);
    expect(v).toMatchObject({ invariant: 'Log Matching', nodes: [1, 2] });
  });

  it('Leader Completeness: a new leader without an entry committed in an earlier term', () => {
    const events = [
      ...elected,
      // Node 3 is cut off; 1 and 2 commit 'a' at index 2 in term 1.
      app(60, 1, 2, [[1, 'a']]), st(60, 1, 'leader', 1, 1, 1, [2, 1]),
      app(70, 2, 2, [[1, 'a']]), st(70, 2, 'follower', 1, 1, 1, [2, 1], 1),
      st(80, 1, 'leader', 1, 1, 2, [2, 1]),
      // Node 3 becomes leader of term 2 with a log that ends at index 1.
      app(100, 3, 2, [[2, null]]), st(100, 3, 'leader', 2, 3, 1, [2, 2]),
    ];
    expect(check(events)).toMatchObject({ invariant: 'Leader Completeness', nodes: [3], t: 100 });
  });

  it('State Machine Safety: two nodes apply different entries at one index', () => {
    const events = [
      app(10, 1, 1, [[1, 'a']]), apply(10, 1, 1, 1, 'a'),
      app(10, 2, 1, [[2, 'b']]), apply(10, 2, 1, 2, 'b'),
    ];
    expect(check(events)).toMatchObject({ invariant: 'State Machine Safety', nodes: [2] });
  });

  it('State Machine Safety: applying out of order; restarting starts applying again from 1', () => {
    expect(check([app(10, 1, 1, [[1, 'a'], [1, 'b']]), apply(10, 1, 2, 1, 'b')])).toMatchObject({ invariant: 'State Machine Safety' });
    const restarted: TraceEvent[] = [
      ...elected, { t: 60, type: 'crash', node: 2 }, { t: 70, type: 'restart', node: 2 },
      apply(70, 2, 1, 1, null), st(70, 2, 'follower', 1, 1, 1, [1, 1]),
    ];
    expect(check(restarted)).toBeUndefined();
  });

  it('Term Monotonicity and Vote Persistence: across restarts too', () => {
    expect(check([...elected, st(60, 2, 'follower', 0, 0, 0, [1, 1])])).toMatchObject({ invariant: 'Term Monotonicity', nodes: [2] });
    expect(check([...elected, st(60, 2, 'follower', 1, 3, 0, [1, 1])])).toMatchObject({
      invariant: 'Vote Persistence', message: 'node 2 voted twice in term 1: for 1, then for 3',
    });
    const forgot: TraceEvent[] = [...elected, { t: 60, type: 'crash', node: 3 }, { t: 70, type: 'restart', node: 3 }, st(70, 3, 'follower', 1, 0, 0, [1, 1])];
    expect(check(forgot)).toMatchObject({ invariant: 'Vote Persistence', message: 'node 3 forgot its vote for 1 in term 1' });
  });

  it('Commit Bounds: commit beyond the log, or going back without a restart', () => {
    expect(check([...elected, st(60, 2, 'follower', 1, 1, 2, [1, 1], 1)])).toMatchObject({ invariant: 'Commit Bounds' });
    const back = [...elected, st(60, 2, 'follower', 1, 1, 1, [1, 1], 1), st(70, 2, 'follower', 1, 1, 0, [1, 1], 1)];
    expect(check(back)).toMatchObject({ invariant: 'Commit Bounds', message: "node 2's commit went back from 1 to 0" });
  });

  it('Trace Consistency: a state whose last entry disagrees with the appends, or an append leaving a gap', () => {
    expect(check([...elected, st(60, 2, 'follower', 1, 1, 0, [5, 1], 1)])).toMatchObject({ invariant: 'Trace Consistency' });
    expect(check([app(10, 1, 3, [[1, 'a']])])).toMatchObject({ invariant: 'Trace Consistency' });
  });
});

describe('offline checking (flotilla check)', () => {
  it('finds nothing wrong in a safe run and the same violation as the live run in an unsafe one', () => {
    const safe = run(scenario({ nodes: 5, until: 10000, network: { dropRate: 0.1 }, actions: [{ at: 3000, do: 'crash', node: 'leader' }, { at: 5000, do: 'restart', node: 'lastCrashed' }] }));
    expect(checkTrace(safe.lines.join('')).violation).toBeUndefined();
    const unsafe = run(scenario({
      nodes: 3, until: 20000, config: { unsafe: ['forgetVote'], electionTimeoutMs: 200, heartbeatMs: 50 },
      actions: Array.from({ length: 30 }, (_, k) => ({ at: 500 + k * 500, do: k % 2 ? 'restart' : 'crash', node: k % 2 ? 'lastCrashed' : 1 + (k % 3) })),
    }));
    expect(unsafe.summary.violations).toHaveLength(1);
    const offline = checkTrace(unsafe.lines.join('')).violation;
    const { seed: _seed, ...live } = unsafe.summary.violations[0]!;
    expect(offline).toEqual(live);
  });

  it('rejects a malformed trace naming the line and field', () => {
    const good = run(scenario({ nodes: 3, until: 2000 })).lines;
    const bad = [...good.slice(0, 3), '{"t":5,"type":"state","node":7,"role":"follower","term":0,"vote":0,"leader":0,"commit":0,"last":[0,0]}\n'];
    expect(() => parseTrace(bad.join(''))).toThrow(new TraceFormatError('line 4.node', 'unknown node 7 (the header lists 1..3)'));
    expect(() => parseTrace([good[0], '{"t":1,"type":"apply"\n'].join(''))).toThrow(/line 2: malformed JSON/);
    expect(() => parseTrace([good[0], '{"t":9,"type":"crash","node":1}\n', '{"t":3,"type":"crash","node":1}\n'].join(''))).toThrow(/line 3.t: time went back/);
    expect(() => parseTrace('{"type":"nope"}\n')).toThrow(/line 1/);
  });

  it('passes unknown event types through (the contract may add some)', () => {
    const lines = run(scenario({ nodes: 3, until: 2000 })).lines;
    const extended = [lines[0], '{"t":0,"type":"client","client":"c1","id":1,"phase":"invoke","op":{"do":"get","key":"a"}}\n', ...lines.slice(1)];
    expect(checkTrace(extended.join('')).violation).toBeUndefined();
  });
});
