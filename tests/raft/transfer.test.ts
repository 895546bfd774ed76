// Leadership transfer (thesis §3.10).
import { describe, expect, it } from 'vitest';
import { Network, msg } from './helpers.ts';

const full = { preVote: true, checkQuorum: true };

describe('thesis §3.10 leadership transfer', () => {
  it('thesis §3.10: an up-to-date target gets TimeoutNow at once and wins the next term, despite PreVote and leases', () => {
    const net = new Network(3, full);
    net.elect(1);
    net.tickAll(1);
    net.node(1).transferLeadership(2);
    net.flush();
    expect(net.explained('transferStarted', 1)).toEqual([{ kind: 'transferStarted', node: 1, term: 1, transferee: 2 }]);
    expect(net.explained('timeoutNowSent', 1)).toHaveLength(1);
    net.deliverAll();
    expect(net.leaders()).toEqual([{ id: 2, term: 2 }]);
    expect(net.node(1).leader).toBe(2);
    expect(net.explained('campaignStarted', 2)[0]).toMatchObject({ preVote: false, transfer: true });
  });

  it('thesis §3.10: a lagging target is caught up first, then told to campaign', () => {
    const net = new Network(3, full);
    net.elect(1);
    net.isolate(3);
    for (let i = 0; i < 5; i++) net.node(1).propose(`p${i}`);
    net.deliverAll();
    net.heal();
    net.node(1).transferLeadership(3);
    const out = net.take();
    expect(out.some((m) => m.type === 'MsgTimeoutNow')).toBe(false);
    expect(out.some((m) => m.type === 'MsgApp' && m.to === 3)).toBe(true);
    for (const m of out) net.deliver(m);
    net.deliverAll();
    expect(net.leaders()).toEqual([{ id: 3, term: 2 }]);
    expect(net.node(3).entryAt(6)?.data).toBe('p4');
  });

  it('thesis §3.10: proposals are refused while a transfer is under way', () => {
    const net = new Network(3, full);
    net.elect(1);
    net.isolate(2); // the transfer cannot finish
    net.node(1).transferLeadership(2);
    expect(net.node(1).propose('x')).toEqual({ ok: false, reason: 'transferring', leader: 1 });
    net.node(3).propose('forwarded');
    net.deliverAll();
    expect(net.node(1).lastIndex).toBe(1);
    expect(net.explained('proposalRejected', 1).map((e) => e.reason)).toEqual(['transferring', 'transferring']);
  });

  it('thesis §3.10: the transfer is aborted after an election timeout and proposals are taken again', () => {
    const net = new Network(3, full);
    net.elect(1);
    net.crash(2);
    net.node(1).transferLeadership(2);
    net.tick(1, 9);
    expect(net.node(1).transferee).toBe(2);
    net.tick(1, 1);
    expect(net.node(1).transferee).toBe(0);
    expect(net.explained('transferAborted', 1)[0]).toMatchObject({ transferee: 2, reason: 'the transfer did not finish within an election timeout' });
    expect(net.node(1).propose('again')).toEqual({ ok: true });
  });

  it('thesis §3.10: a follower forwards a transfer request to the leader', () => {
    const net = new Network(3, full);
    net.elect(1);
    net.node(3).transferLeadership(2);
    const [fwd] = net.take(msg('MsgTransferLeader', 3, 1));
    expect(fwd).toMatchObject({ transferee: 2 });
    net.deliver(fwd);
    net.deliverAll();
    expect(net.leaders()).toEqual([{ id: 2, term: 2 }]);
  });

  it('thesis §3.10: transfers to the leader itself or to a non-member do nothing', () => {
    const net = new Network(3, full);
    net.elect(1);
    net.node(1).transferLeadership(1);
    net.node(1).transferLeadership(7);
    net.flush();
    expect(net.node(1).transferee).toBe(0);
    expect(net.explained('transferAborted', 1).map((e) => e.reason)).toEqual(['already the leader', 'not a member of the cluster']);
  });
});
