// Leadership transfer (thesis §3.10). The two transfers played out message by message: testdata/transfer.txt.
import { describe, expect, it } from 'vitest';
import { Network, msg } from './helpers.ts';

const full = { preVote: true, checkQuorum: true };

describe('thesis §3.10 leadership transfer', () => {
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
