/**
 * Raft end to end, in the spirit of MIT 6.5840's Raft tests and etcd's (testing.md §1, §6.A): each test is a
 * scenario run in virtual time, with its time bounds in election timeouts (ET) asserted on the trace. The
 * invariant checker runs on every event of every test, so each one also asserts that nothing unsafe happened.
 */
import { describe, expect, it } from 'vitest';
import type { NodeId } from '../../src/raft/types.ts';
import { Prng } from '../../src/sim/prng.ts';
import { applied, appliedData, converged, currentLeader, finalStates, firstLeaderBetween, leadersAt, run, scenario, states, type Run } from './helpers.ts';

/** The leader (highest term) at time `at` of a scenario: runs it up to `at` (later actions cannot change the past). */
function leaderAt(fields: Record<string, unknown>, at: number): NodeId {
  const leader = currentLeader(run(scenario({ ...fields, until: at })), at);
  expect(leader).not.toBe(0);
  return leader;
}

const others = (n: number, ...not: NodeId[]): NodeId[] => Array.from({ length: n }, (_, i) => i + 1).filter((x) => !not.includes(x));

function expectSafe(r: Run): void {
  expect(r.summary.violations).toEqual([]);
}

describe('elections (Raft §5.2)', () => {
  it('InitialElection: one leader within 5 ET, all agree on its term, and the term stays put for 2 ET', () => {
    const r = run(scenario({ nodes: 3, until: 10000 }));
    expectSafe(r);
    const first = firstLeaderBetween(r, 0, 5 * r.et);
    expect(first).toBeDefined();
    const stableUntil = first!.t + 2 * r.et;
    expect(states(r).some((s) => s.t > first!.t && s.t <= stableUntil && s.term !== first!.term)).toBe(false);
    expect([...finalStates(r).values()].map((s) => [s.term, s.leader])).toEqual([1, 2, 3].map(() => [first!.term, first!.node]));
  });

  it('ReElection: a new leader within 5 ET of the leader crashing; the old one rejoins as follower; no leader without a quorum', () => {
    const base = { nodes: 3 };
    const l1 = leaderAt(base, 3000);
    const survivors = others(3, l1);
    const r = run(scenario({
      ...base, until: 22000, actions: [
        { at: 3000, do: 'crash', node: l1 },
        { at: 9000, do: 'restart', node: l1 },
        { at: 14000, do: 'crash', node: 'leader' },
        { at: 14000, do: 'crash', node: survivors[0] === l1 ? survivors[1] : l1 },
      ],
    }));
    expectSafe(r);
    const l2 = firstLeaderBetween(r, 3000, 3000 + 5 * r.et, survivors);
    expect(l2).toBeDefined();
    // 2 ET after the old leader restarts there is exactly one leader, and it is not the old one.
    expect(leadersAt(r, 9000 + 2 * r.et)).toHaveLength(1);
    expect(leadersAt(r, 9000 + 2 * r.et)).not.toContain(l1);
    // Two of three down from 14000: nobody becomes leader for the rest of the run (8 ET).
    expect(firstLeaderBetween(r, 14001, 22000)).toBeUndefined();
  });

  it('no leader without a quorum: 3 of 5 down for 10 ET, then a leader within 5 ET of the third coming back', () => {
    const r = run(scenario({
      nodes: 5, until: 20000, actions: [
        { at: 0, do: 'crash', node: 1 }, { at: 0, do: 'crash', node: 2 }, { at: 0, do: 'crash', node: 3 },
        { at: 10000, do: 'restart', node: 2 },
      ],
    }));
    expectSafe(r);
    expect(firstLeaderBetween(r, 0, 10000)).toBeUndefined();
    // The two survivors kept campaigning, but with PreVote (the default) a campaign that cannot win never
    // even raises the term (thesis §9.6).
    const preCampaigns = r.all.filter((e) => e.type === 'explain' && e.t < 10000 && e.explanation.kind === 'campaignStarted' && e.explanation.preVote);
    expect(preCampaigns.length).toBeGreaterThan(4);
    expect(states(r).every((s) => s.t >= 10000 || s.term === 0)).toBe(true);
    expect(firstLeaderBetween(r, 10000, 10000 + 5 * r.et)).toBeDefined();
  });

  it('ManyElections: 10 rounds cutting off 3 random nodes of 7; each round has one leader among the other 4 within 5 ET', () => {
    const prng = new Prng(2024);
    const roundMs = 5000;
    const rounds = Array.from({ length: 10 }, () => prng.shuffled(others(7)).slice(0, 3));
    const actions = rounds.flatMap((cut, i) => [
      { at: 1 + i * roundMs, do: 'heal' },
      ...cut.map((node) => ({ at: 1 + i * roundMs, do: 'isolate', node })),
    ]);
    const r = run(scenario({ nodes: 7, until: rounds.length * roundMs, actions }));
    expectSafe(r);
    rounds.forEach((cut, i) => {
      const end = (i + 1) * roundMs;
      const connected = others(7, ...cut);
      expect(leadersAt(r, end).filter((n) => connected.includes(n)), `round ${i}`).toHaveLength(1);
    });
  });
});

describe('message budgets (6.5840 Count)', () => {
  it('an election costs at most 30 messages, and an idle second at most 60', () => {
    const r = run(scenario({ nodes: 3, until: 8000 }));
    expectSafe(r);
    const elected = r.summary.leaders[0]!;
    expect(r.summary.leaders).toHaveLength(1);
    const sends = (from: number, to: number) => r.events.filter((e) => e.type === 'send' && e.t >= from && e.t < to).length;
    // From the first campaign message to the leader's first round of appends.
    const firstCampaign = r.events.find((e) => e.type === 'send')!.t;
    expect(sends(firstCampaign, elected.t + 1)).toBeLessThanOrEqual(30);
    expect(sends(6000, 7000)).toBeLessThanOrEqual(60);
    expect(sends(6000, 7000)).toBeGreaterThan(0);
  });
});

describe('replication (Raft §5.3)', () => {
  it('FailAgree: a cut-off follower does not stop agreement, and catches up after rejoining', () => {
    const base = { nodes: 3 };
    const leader = leaderAt(base, 3000);
    const follower = others(3, leader)[0]!;
    const r = run(scenario({
      ...base, until: 12000, actions: [
        { at: 3000, do: 'propose', node: 'leader', data: 'a' },
        { at: 3500, do: 'isolate', node: follower },
        { at: 4000, do: 'propose', node: 'leader', data: 'b' },
        { at: 4010, do: 'propose', node: 'leader', data: 'c' },
        { at: 4020, do: 'propose', node: 'leader', data: 'd' },
        { at: 6000, do: 'heal' },
        { at: 7000, do: 'propose', node: 'leader', data: 'e' },
      ],
    }));
    expectSafe(r);
    // b, c, d commit on the two connected nodes within 1 ET, while the follower is away.
    for (const data of ['b', 'c', 'd']) {
      const nodes = new Set(r.events.filter((e) => e.type === 'apply' && e.data === data && e.t < 4020 + r.et).map((e) => (e as { node: number }).node));
      expect(nodes).toEqual(new Set(others(3, follower)));
    }
    for (const [, data] of appliedData(r)) expect(data.filter((d) => d !== null)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(converged(r)).toBeUndefined();
  });

  it('FailNoAgree: a leader cut off with a minority commits nothing; the majority goes on', () => {
    const base = { nodes: 5, config: { checkQuorum: false } };
    const leader = leaderAt(base, 3000);
    const buddy = others(5, leader)[0]!;
    const r = run(scenario({
      ...base, until: 16000, actions: [
        { at: 3000, do: 'partition', groups: [[leader, buddy]] },
        { at: 3100, do: 'propose', node: leader, data: 'x' },
        { at: 7000, do: 'propose', node: 'leader', data: 'y' },
        { at: 9000, do: 'heal' },
        { at: 10000, do: 'propose', node: 'leader', data: 'z' },
      ],
    }));
    expectSafe(r);
    // The old leader still leads its minority (no CheckQuorum), but 'x' is not committed within 2 ET, nor ever.
    expect(leadersAt(r, 3100 + 2 * r.et)).toContain(leader);
    expect(applied(r, 'x')).toBe(false);
    expect(firstLeaderBetween(r, 3000, 3000 + 5 * r.et, others(5, leader, buddy))).toBeDefined();
    for (const [, data] of appliedData(r)) expect(data.filter((d) => d !== null)).toEqual(['y', 'z']);
    expect(converged(r)).toBeUndefined();
  });

  it('Rejoin: a partitioned old leader\'s uncommitted entries are overwritten when it rejoins', () => {
    const base = { nodes: 3, config: { checkQuorum: false } };
    const old = leaderAt(base, 3000);
    const r = run(scenario({
      ...base, until: 14000, actions: [
        { at: 3000, do: 'isolate', node: old },
        { at: 3100, do: 'propose', node: old, data: 'lost1' },
        { at: 3200, do: 'propose', node: old, data: 'lost2' },
        { at: 7000, do: 'propose', node: 'leader', data: 'kept' },
        { at: 8000, do: 'heal' },
        { at: 10000, do: 'propose', node: 'leader', data: 'after' },
      ],
    }));
    expectSafe(r);
    const lostIndex = r.events.find((e) => e.type === 'append' && e.node === old && e.entries.some((x) => x.data === 'lost1'))!;
    expect(lostIndex).toBeDefined();
    const lostFrom = (lostIndex as { from: number }).from;
    // After healing, the old leader's log is rewritten from (at most) the first lost entry on.
    const rewrite = r.events.find((e) => e.type === 'append' && e.node === old && e.t >= 8000 && e.from <= lostFrom);
    expect(rewrite).toBeDefined();
    expect(applied(r, 'lost1') || applied(r, 'lost2')).toBe(false);
    for (const [, data] of appliedData(r)) expect(data.filter((d) => d !== null)).toEqual(['kept', 'after']);
    expect(converged(r)).toBeUndefined();
  });

  it('Backup: followers with 50 conflicting entries are brought back in a few rejections (fast backup)', () => {
    const base = { nodes: 5, config: { checkQuorum: false } };
    const l1 = leaderAt(base, 3000);
    const [a, b, c, d] = others(5, l1) as [NodeId, NodeId, NodeId, NodeId];
    const burst = (from: number, node: NodeId | 'leader', prefix: string) =>
      Array.from({ length: 50 }, (_, i) => ({ at: from + i * 10, do: 'propose', node, data: `${prefix}${i}` }));
    const phase1 = [{ at: 3000, do: 'partition', groups: [[l1, a]] }, ...burst(3100, l1, 'old'), ...burst(7000, 'leader', 'new')];
    const m = leaderAt({ ...base, actions: phase1 }, 7900);
    expect([b, c, d]).toContain(m);
    const [x, y] = others(5, l1, a, m) as [NodeId, NodeId];
    const r = run(scenario({
      ...base, until: 24000, actions: [
        ...phase1,
        { at: 8000, do: 'heal' },
        { at: 8000, do: 'partition', groups: [[m, x]] },
        ...burst(8100, m, 'lost'),
        { at: 14000, do: 'propose', node: 'leader', data: 'after' },
        { at: 16000, do: 'heal' },
        { at: 18000, do: 'propose', node: 'leader', data: 'final' },
      ],
    }));
    expectSafe(r);
    // y (with the committed 'new' entries) leads l1 and a, which each hold 50 conflicting 'old' entries.
    const rejections = (node: NodeId) => r.events.filter((e) => e.type === 'send' && e.from === node && e.t >= 8000 && e.t < 14000 &&
      e.msg.type === 'MsgAppResp' && e.msg.reject).length;
    expect(leadersAt(r, 13000)).toContain(y);
    // They really held the 50 conflicting entries, and were really rejected before being brought back.
    for (const node of [l1, a]) {
      const held = r.events.flatMap((e) => (e.type === 'append' && e.node === node ? e.entries : []));
      expect(held.filter((e) => e.data?.startsWith('old'))).toHaveLength(50);
      expect(rejections(node)).toBeGreaterThanOrEqual(1);
      expect(rejections(node)).toBeLessThanOrEqual(3);
    }
    const expected = [...Array.from({ length: 50 }, (_, i) => `new${i}`), 'after', 'final'];
    for (const [, data] of appliedData(r)) expect(data.filter((v) => v !== null)).toEqual(expected);
    expect(converged(r)).toBeUndefined();
  });
});

describe('crashes and persistence (Raft Figure 2)', () => {
  it('survives crashing every node: state comes back from disk, a leader within 5 ET, committed entries re-applied', () => {
    const r = run(scenario({
      nodes: 3, until: 16000, actions: [
        { at: 3000, do: 'propose', node: 'leader', data: 'a' },
        { at: 3010, do: 'propose', node: 'leader', data: 'b' },
        { at: 3020, do: 'propose', node: 'leader', data: 'c' },
        ...[1, 2, 3].map((node) => ({ at: 5000, do: 'crash', node })),
        ...[1, 2, 3].map((node) => ({ at: 6000, do: 'restart', node })),
        { at: 12000, do: 'propose', node: 'leader', data: 'd' },
      ],
    }));
    expectSafe(r);
    expect(firstLeaderBetween(r, 6000, 6000 + 5 * r.et)).toBeDefined();
    // Applying starts again from the beginning after a restart: each node re-applies a, b, c, then d.
    for (const [, data] of appliedData(r)) expect(data.filter((d) => d !== null)).toEqual(['a', 'b', 'c', 'd']);
    expect(converged(r)).toBeUndefined();
  });

  it('Figure8Unreliable: leaders crash right after proposals on a lossy, duplicating network; all agree in the end', () => {
    const prng = new Prng(8);
    const et = 200;
    const actions: Record<string, unknown>[] = [];
    let t = 1000;
    for (let round = 0; round < 80; round++) {
      actions.push({ at: t, do: 'propose', node: 'leader', data: `r${round}` });
      // Usually crash the leader 0-13 ms after the proposal; in 10% of rounds up to 500 ms later.
      const delayMs = prng.int(10) === 0 ? prng.int(500) : prng.int(14);
      actions.push({ at: t + delayMs, do: 'crash', node: 'leader' });
      if (prng.int(2) === 0) actions.push({ at: t + delayMs + prng.intBetween(1, 2 * et), do: 'restart', node: 'lastCrashed' });
      t += delayMs + prng.intBetween(et, 3 * et);
    }
    const end = t;
    actions.push(...[1, 2, 3, 4, 5].map((node) => ({ at: end, do: 'restart', node })));
    actions.push({ at: end, do: 'network', dropRate: 0, duplicateRate: 0 });
    actions.push({ at: end + 10 * et, do: 'propose', node: 'leader', data: 'final' });
    const r = run(scenario({
      nodes: 5, until: end + 30 * et, config: { electionTimeoutMs: et, heartbeatMs: 30 },
      network: { latencyMs: [1, 27], dropRate: 0.1, duplicateRate: 0.05 }, actions,
    }));
    expectSafe(r);
    expect(applied(r, 'final')).toBe(true);
    expect(converged(r)).toBeUndefined();
    const lists = [...appliedData(r).values()];
    for (const list of lists) expect(list).toEqual(lists[0]);
    expect(r.summary.leaders.length).toBeGreaterThan(20);
  });

  it('Churn: random disconnects, restarts and crashes under client load; every value seen committed ends up everywhere', () => {
    const prng = new Prng(5);
    const et = 300;
    const actions: Record<string, unknown>[] = [];
    const stepMs = Math.round(0.7 * et);
    for (let step = 0; step < 20; step++) {
      const at = 1000 + step * stepMs;
      const node = prng.intBetween(1, 5);
      const roll = prng.int(100);
      if (roll < 20) actions.push({ at, do: 'isolate', node });
      else if (roll < 70) actions.push({ at, do: 'restart', node }, ...others(5, node).flatMap((o) => [
        { at, do: 'restore', from: node, to: o }, { at, do: 'restore', from: o, to: node },
      ]));
      else if (roll < 90) actions.push({ at, do: 'crash', node });
      // Three clients, each proposing through a random node, about every 50 ms.
      for (let k = 0; k < 12; k++) actions.push({ at: at + k * 17, do: 'propose', node: prng.intBetween(1, 5), data: `s${step}k${k}` });
    }
    const end = 1000 + 20 * stepMs;
    actions.push({ at: end, do: 'heal' }, ...[1, 2, 3, 4, 5].map((node) => ({ at: end, do: 'restart', node })));
    actions.push({ at: end + 5 * et, do: 'propose', node: 'leader', data: 'end' });
    const r = run(scenario({ nodes: 5, until: end + 20 * et, config: { electionTimeoutMs: et, heartbeatMs: 50 }, network: { latencyMs: [1, 30] }, actions }));
    expectSafe(r);
    expect(converged(r)).toBeUndefined();
    const everApplied = new Set(r.events.filter((e) => e.type === 'apply' && e.data !== null).map((e) => (e as { data: string }).data));
    expect(everApplied.size).toBeGreaterThan(20);
    for (const [, data] of appliedData(r)) expect(new Set(data.filter((d) => d !== null))).toEqual(everApplied);
  });
});

describe('PreVote and CheckQuorum (thesis §9.6, §6.2)', () => {
  const isolateFollower = (preVote: boolean) => {
    const base = { nodes: 5, config: { preVote, checkQuorum: false } };
    const leader = leaderAt(base, 3000);
    const follower = others(5, leader)[0]!;
    const r = run(scenario({ ...base, until: 14000, actions: [{ at: 3000, do: 'isolate', node: follower }, { at: 8000, do: 'heal' }] }));
    expectSafe(r);
    const termOf = (node: NodeId, at: number) => states(r).filter((s) => s.node === node && s.t <= at).at(-1)!.term;
    return { r, leader, follower, leaderTerm: termOf(leader, 3000), followerTermAtHeal: termOf(follower, 8000) };
  };

  it('with PreVote, a node rejoining after 5 ET alone does not disrupt the leader', () => {
    const { r, leader, leaderTerm, followerTermAtHeal } = isolateFollower(true);
    // Pre-votes do not raise the term, so the rejoining node brings no higher term with it.
    expect(followerTermAtHeal).toBe(leaderTerm);
    expect(r.summary.leaders.filter((l) => l.t > 3000)).toEqual([]);
    expect(leadersAt(r, 14000)).toEqual([leader]);
  });

  it('without PreVote, the same rejoining node forces an election with its inflated term', () => {
    const { r, leaderTerm, followerTermAtHeal } = isolateFollower(false);
    expect(followerTermAtHeal).toBeGreaterThan(leaderTerm + 1);
    const after = r.summary.leaders.filter((l) => l.t > 8000);
    expect(after.length).toBeGreaterThan(0);
    expect(after[0]!.term).toBeGreaterThan(followerTermAtHeal - 1);
  });

  it('CheckQuorum: an isolated leader steps down within 2 ET; without it, it believes it leads for good', () => {
    for (const checkQuorum of [true, false]) {
      const base = { nodes: 3, config: { checkQuorum } };
      const leader = leaderAt(base, 3000);
      const r = run(scenario({ ...base, until: 10000, actions: [{ at: 3000, do: 'isolate', node: leader }] }));
      expectSafe(r);
      const stepDown = states(r).find((s) => s.node === leader && s.t > 3000 && s.role !== 'leader');
      if (checkQuorum) {
        expect(stepDown).toBeDefined();
        expect(stepDown!.t - 3000).toBeLessThanOrEqual(2 * r.et);
      } else {
        expect(stepDown).toBeUndefined();
      }
    }
  });
});

describe('leadership transfer (thesis §3.10)', () => {
  it('hands leadership to the target within 1 ET, in the next term', () => {
    const base = { nodes: 5 };
    const leader = leaderAt(base, 3000);
    const target = others(5, leader).at(-1)!;
    const r = run(scenario({ ...base, until: 8000, actions: [{ at: 3000, do: 'propose', node: 'leader', data: 'before' }, { at: 3500, do: 'transfer', to: target }] }));
    expectSafe(r);
    const next = r.summary.leaders.filter((l) => l.t >= 3500);
    expect(next[0]).toMatchObject({ node: target, term: r.summary.leaders[0]!.term + 1 });
    expect(next[0]!.t - 3500).toBeLessThanOrEqual(r.et);
    expect(next).toHaveLength(1);
  });
});
