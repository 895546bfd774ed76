// Raft §5.3 log replication: consistency check, truncation, fast backup, progress, flow control, forwarding.
// Commit propagation and the recovery of lost appends are transcripts: testdata/log-replication.txt.
import { describe, expect, it } from 'vitest';
import type { MsgApp } from '../../src/raft/index.ts';
import { Network, msg } from './helpers.ts';

const plain = { preVote: false, checkQuorum: false };

/** Raft Figure 7: the leader's log for term 8 and the six follower logs (a)-(f), as terms from index 1. */
const FIG7_LEADER = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
const FIG7_FOLLOWERS: Record<string, number[]> = {
  a: [1, 1, 1, 4, 4, 5, 5, 6, 6],
  b: [1, 1, 1, 4],
  c: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
  d: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
  e: [1, 1, 1, 4, 4, 4, 4],
  f: [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
};

describe('§5.3 log replication', () => {
  for (const [name, followerTerms] of Object.entries(FIG7_FOLLOWERS)) {
    it(`§5.3 Figure 7 (${name}): the term-8 leader brings the follower's log in line with its own`, () => {
      const net = new Network(3, plain);
      net.preload(1, FIG7_LEADER, 7);
      net.preload(2, followerTerms, 7);
      net.preload(3, FIG7_LEADER, 7); // gives S1 the vote it needs, whatever S2 thinks
      net.elect(1);
      expect(net.node(1).role).toBe('leader');
      expect(net.node(1).term).toBe(8);
      net.tickAll(2);
      const expected = [...FIG7_LEADER, 8].map((t, i) => [t, i === 10 ? null : `t${t}i${i + 1}`]);
      expect(net.logOf(2)).toEqual(expected);
      // ... and on its disk, through Ready.append.
      expect(net.disks.get(2)!.entries.map((e) => e.term)).toEqual([...FIG7_LEADER, 8]);
      expect(net.node(2).commit).toBe(11);
      // Fast backup (§5.3 end): at most one rejection per conflicting term, not one per entry.
      const rejections = net.explained('appendRejected', 2).length;
      const conflictingTerms = new Set(followerTerms.filter((t, i) => FIG7_LEADER[i] !== t)).size;
      expect(rejections).toBeLessThanOrEqual(conflictingTerms + 1);
    });
  }

  it('§5.3: the consistency check rejects with a hint naming the conflicting term and its first index', () => {
    const net = new Network(3, plain);
    net.preload(2, [1, 1, 3, 3, 3], 3);
    const app: MsgApp = { type: 'MsgApp', from: 1, to: 2, term: 4, prevLogIndex: 5, prevLogTerm: 4, entries: [], commit: 0 };
    net.deliver(app);
    const [resp] = net.take(msg('MsgAppResp', 2, 1));
    expect(resp).toMatchObject({ reject: true, index: 5, hintTerm: 3, hintIndex: 3 });
    expect(net.explained('appendRejected', 2)[0]).toMatchObject({ prevLogIndex: 5, prevLogTerm: 4, hintTerm: 3, hintIndex: 3 });
    // A log that is too short: hint term 0 and the index just past its end.
    net.deliver({ ...app, prevLogIndex: 9 });
    expect(net.take(msg('MsgAppResp', 2, 1))[0]).toMatchObject({ reject: true, hintTerm: 0, hintIndex: 6 });
  });

  it('§5.3: conflicting entries are truncated, and Ready.append starts at the first conflicting index', () => {
    const net = new Network(3, plain);
    net.preload(2, [1, 1, 2, 2], 2);
    const e = (index: number, term: number) => ({ index, term, data: `n${index}` });
    net.node(2).step({ type: 'MsgApp', from: 1, to: 2, term: 3, prevLogIndex: 1, prevLogTerm: 1, entries: [e(2, 1), e(3, 3)], commit: 0 });
    const rd = net.node(2).ready();
    // Index 2 (term 1) is already held: not rewritten. Index 3 conflicts: truncate there.
    expect(rd.append).toEqual({ from: 3, entries: [e(3, 3)] });
    expect(rd.explanations).toContainEqual({ kind: 'entriesTruncated', node: 2, from: 3, count: 2, leader: 1 });
    expect(rd.messages).toContainEqual(expect.objectContaining({ type: 'MsgAppResp', index: 3, reject: false }));
  });

  it('§5.3: a duplicate append changes nothing and writes nothing', () => {
    const net = new Network(3, plain);
    net.elect(1);
    net.node(1).propose('x');
    const apps = net.take(msg('MsgApp', 1, 2));
    net.deliver(apps[0]);
    const node = net.node(2);
    node.step(apps[0]);
    const rd = node.ready();
    expect(rd.append).toBeUndefined();
    expect(rd.hardState).toBeUndefined();
    expect(rd.messages).toHaveLength(1); // just the acknowledgement again
  });

  it('§5.3: follower commit = min(leaderCommit, index of last new entry), never beyond what the leader vouched for', () => {
    const net = new Network(3, plain);
    net.preload(2, [1, 1, 1, 1], 1);
    const e = (index: number) => ({ index, term: 1, data: `t1i${index}` });
    net.deliver({ type: 'MsgApp', from: 1, to: 2, term: 1, prevLogIndex: 1, prevLogTerm: 1, entries: [e(2)], commit: 4 });
    expect(net.node(2).commit).toBe(2);
  });

  it('§5.3: progress goes from probe to replicate after the first acknowledgement', () => {
    const net = new Network(3, plain);
    net.node(1).campaign();
    net.deliver(net.take(msg('MsgVote', 1, 2))[0]);
    net.deliver(net.take(msg('MsgVoteResp', 2, 1))[0]);
    net.drop();
    expect(net.node(1).status().progress.map((p) => p.state)).toEqual(['probe', 'probe']);
    net.tick(1);
    net.deliverAll();
    expect(net.node(1).status().progress).toEqual([
      { node: 2, match: 1, next: 2, state: 'replicate', inflight: 0, recentActive: true },
      { node: 3, match: 1, next: 2, state: 'replicate', inflight: 0, recentActive: true },
    ]);
  });

  it('§5.3 flow control: at most maxInflight appends are unacknowledged per follower in replicate state', () => {
    const net = new Network(3, { ...plain, maxInflight: 2, maxEntriesPerMsg: 1 });
    net.elect(1);
    net.tickAll(1);
    net.partition([1], [3]); // S3 hears nothing and acknowledges nothing
    const before = net.sent.length;
    for (let i = 0; i < 6; i++) {
      net.node(1).propose(`p${i}`);
      net.deliverAll();
    }
    const toS3 = net.sent.slice(before).filter((m) => m.type === 'MsgApp' && m.to === 3 && m.entries.length > 0);
    expect(toS3).toHaveLength(2);
    expect(net.node(1).status().progress[1]).toMatchObject({ state: 'replicate', inflight: 2 });
    expect(net.node(1).commit).toBe(7); // S1 and S2 are a majority
  });

  it('§5.3: a lagging follower is caught up in batches of at most maxEntriesPerMsg entries', () => {
    const net = new Network(3, { ...plain, maxEntriesPerMsg: 3 });
    net.elect(1);
    net.isolate(3);
    for (let i = 0; i < 10; i++) net.node(1).propose(`p${i}`);
    net.deliverAll();
    net.heal();
    const before = net.sent.length;
    net.tickAll(3);
    expect(net.logOf(3)).toEqual(net.logOf(1));
    const batches = net.sent.slice(before).filter((m): m is MsgApp => m.type === 'MsgApp' && m.to === 3 && m.entries.length > 0);
    expect(batches.length).toBeGreaterThanOrEqual(4); // 10 entries, 3 at a time
    for (const b of batches) expect(b.entries.length).toBeLessThanOrEqual(3);
  });

  it('§5.3: a follower forwards proposals to the leader', () => {
    const net = new Network(3, plain);
    net.elect(1);
    expect(net.node(2).propose('via S2')).toEqual({ ok: true });
    const [fwd] = net.take(msg('MsgProp', 2, 1));
    expect(fwd).toMatchObject({ data: ['via S2'], term: 1 });
    net.deliver(fwd);
    net.deliverAll();
    expect(net.node(1).entryAt(2)).toEqual({ index: 2, term: 1, data: 'via S2' });
    expect(net.explained('proposalForwarded', 2)).toEqual([{ kind: 'proposalForwarded', node: 2, leader: 1 }]);
  });

  it('§5.3: with forwarding disabled a follower rejects a proposal naming the leader', () => {
    const net = new Network(3, { ...plain, disableProposalForwarding: true });
    net.elect(1);
    expect(net.node(2).propose('x')).toEqual({ ok: false, reason: 'forwardingDisabled', leader: 1 });
    expect(net.take(msg('MsgProp'))).toEqual([]);
  });

  it('§5.3: without a known leader a proposal is rejected', () => {
    const net = new Network(3, plain);
    expect(net.node(2).propose('x')).toEqual({ ok: false, reason: 'noLeader', leader: 0 });
    net.node(2).campaign();
    expect(net.node(2).propose('x')).toEqual({ ok: false, reason: 'noLeader', leader: 0 });
  });

});
