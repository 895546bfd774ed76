// Raft §5.4 safety: the election restriction (§5.4.1), committing only current-term entries (§5.4.2, Figure 8),
// and the Figure 3 properties over randomized runs with faults.
import { describe, expect, it } from 'vitest';
import { Network, msg } from './helpers.ts';
import { figure8, randomRun } from './scenarios.ts';

const plain = { preVote: false, checkQuorum: false };

describe('§5.4 safety', () => {
  it('§5.4.1: a voter refuses a candidate whose last term is lower, even with a longer log', () => {
    const net = new Network(3, plain);
    net.preload(1, [2, 2, 2, 2, 2, 2, 2, 2, 2], 2);
    net.preload(2, [2, 2, 2, 2, 2, 2, 3], 3);
    net.node(1).campaign();
    net.deliver(net.take(msg('MsgVote', 1, 2))[0]);
    expect(net.take(msg('MsgVoteResp', 2, 1))[0]).toMatchObject({ reject: true });
    expect(net.explained('voteRefused', 2)[0]).toMatchObject({
      reason: 'logNotUpToDate', myLastTerm: 3, myLastIndex: 7, theirLastTerm: 2, theirLastIndex: 9,
    });
  });

  it('§5.4.1: with equal last terms, the longer log is more up to date', () => {
    const net = new Network(3, plain);
    net.preload(1, [1, 1], 1);
    net.preload(2, [1, 1, 1], 1);
    net.preload(3, [1, 1], 1);
    net.node(1).campaign();
    for (const m of net.take(msg('MsgVote', 1))) net.deliver(m);
    const resps = net.take(msg('MsgVoteResp'));
    expect(resps.map((m) => [m.from, m.type === 'MsgVoteResp' && m.reject])).toEqual([[2, true], [3, false]]);
  });

  it('§5.4.2 Figure 8: a leader does not commit an earlier-term entry by counting replicas', () => {
    const { net, s1CommitAfterC } = figure8(false);
    // In (c) {S1,S2,S3} held (2, t2), yet S1 did not commit it: its term-4 entry had reached no one.
    expect(s1CommitAfterC).toBe(1);
    // So when S5 overwrites index 2 in (d), nothing committed is lost.
    expect(net.node(5).role).toBe('leader');
    expect(net.node(2).entryAt(2)!.term).toBe(3);
    expect(net.violations).toEqual([]);
  });

  it('§5.4.2: once an entry of the current term commits, earlier entries commit with it (Log Matching)', () => {
    const { net } = figure8(false);
    // Continue: S5 (term 5) commits its empty entry; (2, t3) is committed indirectly.
    const s5 = net.node(5);
    expect(s5.commit).toBe(3);
    expect(s5.entryAt(2)!.term).toBe(3);
    expect(s5.entryAt(3)!.term).toBe(5);
  });

  it('§5.4.3 Leader Completeness: a new leader holds every committed entry', () => {
    const net = new Network(5, plain);
    net.elect(1);
    for (let i = 0; i < 5; i++) net.node(1).propose(`c${i}`);
    net.deliverAll();
    const committed = net.node(1).commit;
    net.crash(1);
    for (const candidate of [2, 3, 4, 5]) {
      if (net.leaders().length > 0) break;
      net.elect(candidate);
    }
    const [leader] = net.leaders();
    for (let i = 1; i <= committed; i++) expect(net.node(leader.id).entryAt(i)).toEqual(net.disks.get(1)!.entries[i - 1]);
  });

  // Randomized runs: drops, partitions, crashes and restarts, checked against Election Safety and State Machine
  // Safety on every step, then a liveness phase (heal, no faults) that must converge.
  for (const options of [
    { name: 'plain', config: plain },
    { name: 'PreVote + CheckQuorum', config: { preVote: true, checkQuorum: true } },
  ]) {
    it(`§5.4 Figure 3 properties hold over 20 randomized faulty runs (${options.name})`, () => {
      for (let seed = 1; seed <= 20; seed++) {
        const net = randomRun(seed, options.config, 400);
        expect(net.violations, `seed ${seed}`).toEqual([]);
        // Liveness: everyone back, no faults.
        net.heal();
        for (const id of net.ids) if (net.crashed.has(id)) net.restart(id);
        net.tickAll(60);
        const leaders = net.leaders();
        expect(leaders, `seed ${seed}`).toHaveLength(1);
        net.node(leaders[0].id).propose('final');
        net.deliverAll();
        net.tickAll(3);
        const reference = net.logOf(leaders[0].id);
        for (const id of net.ids) {
          expect(net.logOf(id), `seed ${seed} S${id}`).toEqual(reference);
          expect(net.node(id).commit).toBe(reference.length);
        }
        expect(net.violations).toEqual([]);
      }
    });
  }
});
