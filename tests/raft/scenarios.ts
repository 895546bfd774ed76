/**
 * Scripted situations shared by the safety tests and the unsafe-variant tests: the same script must be
 * harmless with the switch off and break Raft with it on.
 */
import type { Message } from '../../src/raft/index.ts';
import { Network, msg, type ConfigOverrides } from './helpers.ts';
import { Prng } from '../../src/sim/index.ts';

const plain = { preVote: false, checkQuorum: false };

/** Delivers queued messages (and what they cause) until quiet, dropping those that match `lost`. */
export function deliverExcept(net: Network, lost: (m: Message) => boolean): void {
  for (let i = 0; i < 1000; i++) {
    const batch = net.take();
    if (batch.length === 0) return;
    for (const m of batch) if (!lost(m)) net.deliver(m);
  }
}

/** Campaigns `id` (repeatedly, if a stale term makes it lose) until it leads; only the live nodes take part. */
export function electAmong(net: Network, id: number, lost: (m: Message) => boolean = () => false): void {
  for (let i = 0; i < 5 && net.node(id).role !== 'leader'; i++) {
    net.node(id).campaign();
    // Deliver only the election's messages; everything else stays queued for the script to decide.
    const isVote = (m: Message) => m.type === 'MsgVote' || m.type === 'MsgVoteResp';
    for (let round = 0; round < 100; round++) {
      const batch = net.take(isVote);
      if (batch.length === 0) break;
      for (const m of batch) if (!lost(m)) net.deliver(m);
    }
  }
  if (net.node(id).role !== 'leader') throw new Error(`S${id} did not win`);
}

/**
 * Raft Figure 8, played out on 5 nodes. (a) S1 leads term 2 and gets its entry (2, t2) to S2 only. (b) S1
 * crashes; S5 wins term 3 with S3, S4 and writes (2, t3) only locally. (c) S5 crashes; S1 comes back, wins
 * term 4 and replicates (2, t2) to S3, so a majority {S1,S2,S3} holds it; its own term-4 entry reaches no one.
 * (d) S1 crashes; S5 comes back, wins term 5 (its last term 3 beats everyone's 2) and overwrites index 2.
 * Returns the network after (d) with everything delivered.
 */
export function figure8(commitOldTerm: boolean): { net: Network; s1CommitAfterC: number } {
  const net = new Network(5, { ...plain, maxEntriesPerMsg: 1, unsafe: { commitOldTerm } });
  net.elect(2);
  net.tickAll(1); // index 1 (term 1) committed everywhere
  // (a)
  electAmong(net, 1);
  expect1(net.node(1).term === 2, 'S1 leads term 2');
  const appToS2 = net.take(msg('MsgApp', 1, 2));
  net.drop();
  net.deliver(appToS2[0]);
  net.drop(); // S2's acknowledgement is lost too
  // (b)
  net.crash(1);
  electAmong(net, 5, (m) => m.to === 2 && m.type === 'MsgVote'); // S2 would refuse anyway: its log is newer
  expect1(net.node(5).term === 3, 'S5 leads term 3');
  net.drop();
  // (c)
  net.crash(5);
  net.restart(1);
  electAmong(net, 1);
  expect1(net.node(1).term === 4, 'S1 leads term 4');
  // Replicate, but lose every append that would give someone S1's term-4 entry (S3 and S4 must first reject
  // S1's probe so S1 backs up and sends them index 2).
  deliverExcept(net, (m) => {
    if (m.type !== 'MsgApp' || !m.entries.some((e) => e.term === 4)) return false;
    const prevTerm = m.prevLogIndex === 0 ? 0 : net.node(m.to).entryAt(m.prevLogIndex)?.term;
    return prevTerm === m.prevLogTerm;
  });
  const s1CommitAfterC = net.node(1).commit;
  // (d)
  net.crash(1);
  net.restart(5);
  electAmong(net, 5);
  net.deliverAll();
  net.tickAll(2);
  return { net, s1CommitAfterC };
}

function expect1(ok: boolean, what: string): void {
  if (!ok) throw new Error(`figure 8 script: expected ${what}`);
}

/**
 * A randomized faulty run of 5 nodes for `steps` ticks: random crashes and restarts (at most two down),
 * isolations and heals, proposals to the leader, and delivery in random order with 10% loss. Stops early at the
 * first safety violation. Everything is drawn from `seed`, so a failing seed replays exactly.
 */
export function randomRun(seed: number, config: ConfigOverrides, steps: number): Network {
  const rand = new Prng(seed);
  const net = new Network(5, { electionTick: 10, ...config }, (id) => new Prng(seed * 31 + id));
  let proposals = 0;
  for (let step = 0; step < steps && net.violations.length === 0; step++) {
    const dice = rand.int(100);
    if (dice < 2) {
      const id = 1 + rand.int(5);
      if (net.crashed.has(id)) net.restart(id);
      else if (net.crashed.size < 2) net.crash(id);
    } else if (dice < 4) {
      net.heal();
      net.isolate(1 + rand.int(5));
    } else if (dice < 6) {
      net.heal();
    }
    const leader = net.leaders().at(-1);
    if (leader && rand.int(3) === 0) net.node(leader.id).propose(`s${seed}p${proposals++}`);
    for (const id of net.ids) if (!net.crashed.has(id)) net.node(id).tick();
    for (let round = 0; round < 20; round++) {
      const batch = net.take();
      if (batch.length === 0) break;
      for (let i = batch.length - 1; i > 0; i--) {
        const j = rand.int(i + 1);
        [batch[i], batch[j]] = [batch[j], batch[i]];
      }
      for (const m of batch) if (rand.int(10) !== 0) net.deliver(m);
    }
  }
  return net;
}
