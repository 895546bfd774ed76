// Persistence and restart (Raft Figure 2 "persistent state", thesis §3.8) and the Ready contract.
import { describe, expect, it } from 'vitest';
import { RawNode, defaultRaftConfig } from '../../src/raft/index.ts';
import { Network, fixedRandom, msg } from './helpers.ts';

const plain = { preVote: false, checkQuorum: false };

describe('persistence and restart', () => {
  it('Figure 2: a restarted node gets term, vote, commit and log back; role, leader and applied start fresh', () => {
    const net = new Network(3, plain);
    net.elect(1);
    net.node(1).propose('a');
    net.deliverAll();
    net.tickAll(1);
    const before = net.node(2);
    expect([before.term, before.vote, before.commit, before.lastIndex]).toEqual([1, 1, 2, 2]);
    net.crash(2);
    const after = net.restart(2);
    expect([after.term, after.vote, after.commit, after.lastIndex]).toEqual([1, 1, 2, 2]);
    const status = after.status();
    expect(status).toMatchObject({ role: 'follower', leader: 0, applied: 2, electionElapsed: 0, progress: [] });
    // The host re-applies the committed prefix from index 1 (applied restarted at 0).
    expect(net.applied.get(2)!.map((e) => e.data)).toEqual([null, 'a']);
  });

  it('Figure 2: the first Ready after a restart re-applies up to commit and persists nothing new', () => {
    const entries = [{ index: 1, term: 1, data: null }, { index: 2, term: 1, data: 'a' }, { index: 3, term: 1, data: 'b' }];
    const node = new RawNode(defaultRaftConfig(1, [1, 2, 3], fixedRandom(0), plain), {
      hardState: { term: 1, vote: 2, commit: 2 },
      entries,
    });
    expect(node.hasReady()).toBe(true);
    const rd = node.ready();
    expect(rd.hardState).toBeUndefined();
    expect(rd.append).toBeUndefined();
    expect(rd.committed).toEqual(entries.slice(0, 2));
    node.advance();
    expect(node.hasReady()).toBe(false);
    expect(node.lastIndex).toBe(3); // the uncommitted entry is kept
  });

  it('§5.2: a restarted node remembers its vote and refuses another candidate in the same term', () => {
    const net = new Network(3, plain);
    net.node(1).campaign();
    net.deliver(net.take(msg('MsgVote', 1, 3))[0]);
    net.drop();
    net.crash(3);
    net.restart(3);
    net.node(2).campaign();
    net.deliver(net.take(msg('MsgVote', 2, 3))[0]);
    expect(net.take(msg('MsgVoteResp', 3, 2))[0]).toMatchObject({ reject: true });
  });

  it('§5 liveness: a whole cluster crashed and restarted re-elects and keeps every committed entry', () => {
    const net = new Network(5, { preVote: true, checkQuorum: true });
    net.elect(1);
    for (let i = 0; i < 4; i++) net.node(1).propose(`v${i}`);
    net.deliverAll();
    net.tickAll(1);
    const committed = net.logOf(1);
    for (const id of net.ids) net.crash(id);
    for (const id of net.ids) net.restart(id);
    net.tickAll(30);
    const [leader] = net.leaders();
    expect(leader.term).toBe(2);
    expect(net.logOf(leader.id).slice(0, committed.length)).toEqual(committed);
    expect(net.violations).toEqual([]);
  });

  it('persisted state that breaks an invariant is rejected, naming the field', () => {
    const config = defaultRaftConfig(1, [1, 2, 3], fixedRandom(0));
    expect(() => new RawNode(config, { hardState: { term: 1, vote: 0, commit: 3 }, entries: [] })).toThrow(/persisted\.hardState\.commit/);
    expect(() => new RawNode(config, { hardState: { term: 1, vote: 0, commit: 0 }, entries: [{ index: 2, term: 1, data: null }] })).toThrow(
      /persisted\.entries\[0\]\.index/,
    );
    expect(() => new RawNode(config, { hardState: { term: 0, vote: 0, commit: 0 }, entries: [{ index: 1, term: 1, data: null }] })).toThrow(
      /persisted\.hardState\.term/,
    );
  });

  it('config errors name the field', () => {
    const r = fixedRandom(0);
    expect(() => defaultRaftConfig(4, [1, 2, 3], r)).toThrow(/config\.peers must include config\.id/);
    expect(() => defaultRaftConfig(1, [1, 2, 3], r, { heartbeatTick: 10 })).toThrow(/config\.heartbeatTick/);
    expect(() => defaultRaftConfig(1, [1, 2, 3], r, { maxInflight: 0 })).toThrow(/config\.maxInflight/);
    expect(() => defaultRaftConfig(1, [1, 1, 3], r)).toThrow(/config\.peers must be ascending/);
  });
});

describe('the Ready contract', () => {
  it('an idle node has no Ready, and ticks below the timeout produce none', () => {
    const node = new RawNode(defaultRaftConfig(1, [1, 2, 3], fixedRandom(5), plain));
    expect(node.hasReady()).toBe(false);
    for (let i = 0; i < 14; i++) node.tick();
    expect(node.hasReady()).toBe(false);
    const rd = node.ready();
    expect(rd).toEqual({ hardState: undefined, append: undefined, messages: [], committed: [], readStates: [], readFailures: [], explanations: [] });
  });

  it('a Ready handed out is never changed afterwards by the node', () => {
    const node = new RawNode(defaultRaftConfig(1, [1, 2, 3], fixedRandom(0), plain));
    const empty = node.ready();
    node.campaign();
    const full = node.ready();
    node.advance();
    node.step({ type: 'MsgVoteResp', from: 2, to: 1, term: 1, reject: false });
    node.ready();
    expect([empty.messages.length, empty.explanations.length]).toEqual([0, 0]);
    expect(full.messages.map((m) => m.type)).toEqual(['MsgVote', 'MsgVote']);
    expect(full.explanations.map((e) => e.kind)).toEqual(['timerFired', 'campaignStarted']);
  });

  it('hardState appears only when term, vote or commit changed', () => {
    const net = new Network(3, plain);
    net.node(1).campaign();
    const rd1 = net.node(1).ready();
    expect(rd1.hardState).toEqual({ term: 1, vote: 1, commit: 0 });
    net.node(1).advance();
    net.node(1).tick();
    expect(net.node(1).ready().hardState).toBeUndefined();
  });

  it('a leader\'s Ready persists its new entries before the appends that carry them leave', () => {
    const net = new Network(3, plain);
    net.elect(1);
    net.node(1).propose('p');
    const rd = net.node(1).ready();
    expect(rd.append).toEqual({ from: 2, entries: [{ index: 2, term: 1, data: 'p' }] });
    expect(rd.messages.filter((m) => m.type === 'MsgApp')).toHaveLength(2);
  });

  it('committed entries are handed out once, contiguous and in order', () => {
    const net = new Network(3, plain);
    net.elect(1);
    for (let i = 0; i < 3; i++) {
      net.node(1).propose(`c${i}`);
      net.deliverAll();
    }
    net.tickAll(2);
    for (const id of net.ids) expect(net.applied.get(id)!.map((e) => e.index)).toEqual([1, 2, 3, 4]);
  });

  it('the cheap getters match status()', () => {
    const net = new Network(3, plain);
    net.elect(2);
    const n = net.node(2);
    const s = n.status();
    expect([n.role, n.term, n.vote, n.leader, n.commit, n.lastIndex, n.lastTerm]).toEqual([
      s.role, s.term, s.vote, s.leader, s.commit, s.lastIndex, s.lastTerm,
    ]);
  });
});
