/**
 * Linearizable reads without writing to the log (thesis §6.4): ReadIndex and lease-based reads.
 *
 * ReadIndex: the leader records its commit index as the read index, then confirms it is still leader by a
 * heartbeat round acknowledged by a majority; the state machine may serve the read once it has applied the
 * read index. A new leader first waits until it has committed an entry of its own term (its empty entry,
 * §8), since before that its commit index may lag the true one. Followers ask the leader (MsgReadIndex).
 *
 * Lease (thesis §6.4.1, only with CheckQuorum): the leader skips the round while a heartbeat round that a
 * majority acknowledged was sent less than electionTick - 1 of its ticks ago. Those followers ignore votes for
 * an election timeout after they heard it (checkQuorum.ts), so no other leader can exist yet. This assumes
 * every node's ticks run at the same rate, and that a follower does not restart within its lease (a restarted
 * node forgets whom it heard from).
 *
 * Every heartbeat broadcast is one numbered round; a follower's reply carries the round number, and a reply to
 * round k also vouches for every earlier round (it was sent after them), so one number per follower suffices.
 */
import { majorityValue } from './quorum.ts';
import { bcastHeartbeat } from './replication.ts';
import type { Raft } from './raft.ts';
import type { LogIndex, MsgReadIndexResp, NodeId, Term } from './types.ts';
import { None } from './types.ts';

/** How many recent rounds' send times are remembered for the lease; older rounds are treated as expired. */
const ROUND_HISTORY = 256;

interface PendingRead {
  readonly context: string;
  /** Who asked: this node, or the follower to answer with MsgReadIndexResp. */
  readonly from: NodeId;
  readonly index: LogIndex;
  /** The heartbeat round that must be acknowledged by a majority. */
  readonly round: number;
}

interface WaitingRead {
  readonly context: string;
  readonly from: NodeId;
}

/** Follower: a read sent to the leader; only that leader's answer in that term may confirm it. */
interface ForwardedRead {
  readonly context: string;
  readonly leader: NodeId;
  readonly term: Term;
}

/** The read bookkeeping of one node. */
export class ReadTracker {
  /** Leader: the latest heartbeat round started in this term (0 before the first). */
  round = 0;
  /** Leader: leaderTicks at which each recent round was sent, indexed by round % ROUND_HISTORY. */
  private readonly sentTicks = new Float64Array(ROUND_HISTORY);
  /** Leader: reads awaiting their round's confirmation. Invariant: ascending by round. */
  pending: PendingRead[] = [];
  /** Leader: reads that arrived before the leader committed an entry of its term. */
  waiting: WaitingRead[] = [];
  /** Follower: reads sent to the leader, awaiting MsgReadIndexResp. */
  forwarded: ForwardedRead[] = [];

  /** Starts heartbeat round `round + 1` at leader tick `nowTicks`; returns its number. */
  startRound(nowTicks: number): number {
    this.round++;
    this.sentTicks[this.round % ROUND_HISTORY] = nowTicks;
    return this.round;
  }

  /** The leader tick at which `round` was sent, or undefined when it is too old to remember. */
  sentTickOf(round: number): number | undefined {
    if (round < 1 || round > this.round || this.round - round >= ROUND_HISTORY) return undefined;
    return this.sentTicks[round % ROUND_HISTORY];
  }

  resetForTerm(): void {
    this.round = 0;
    this.pending = [];
    this.waiting = [];
  }

  /** Follower: fails every read it forwarded (its leader changed, so no answer may come). */
  failForwarded(r: Raft, reason: string): void {
    if (this.forwarded.length === 0) return;
    for (const f of this.forwarded) fail(r, r.id, f.context, reason);
    this.forwarded = [];
  }
}

/** A read requested on this node by its host. */
export function requestRead(r: Raft, context: string): void {
  if (r.role === 'leader') {
    handleReadIndexRequest(r, r.id, context);
  } else if (r.leader !== None) {
    r.reads.forwarded.push({ context, leader: r.leader, term: r.term });
    r.send({ type: 'MsgReadIndex', from: r.id, to: r.leader, term: r.term, context });
  } else {
    fail(r, r.id, context, 'no leader known');
  }
}

/** A read request from this node or from a follower. */
export function handleReadIndexRequest(r: Raft, from: NodeId, context: string): void {
  if (r.role !== 'leader') {
    fail(r, from, context, 'not the leader');
    return;
  }
  if (!r.committedInCurrentTerm()) {
    r.reads.waiting.push({ context, from });
    return;
  }
  const index = r.log.commit;
  if (r.peers.length === 1) {
    confirm(r, from, context, index, 'readIndex', [r.id]);
    return;
  }
  if (r.config.readOnly === 'lease' && leaseHolders(r) !== undefined) {
    confirm(r, from, context, index, 'lease', leaseHolders(r)!);
    return;
  }
  const round = r.reads.startRound(r.leaderTicks);
  r.reads.pending.push({ context, from, index, round });
  bcastHeartbeat(r, round);
}

/** Leader: a follower acknowledged a newer round; confirm every read whose round a majority acknowledged. */
export function onRoundAcknowledged(r: Raft): void {
  const pending = r.reads.pending;
  if (pending.length === 0) return;
  const confirmed = quorumAckedRound(r);
  let n = 0;
  while (n < pending.length && pending[n].round <= confirmed) n++;
  if (n === 0) return;
  for (let i = 0; i < n; i++) {
    const p = pending[i];
    confirm(r, p.from, p.context, p.index, 'readIndex', ackers(r, p.round));
  }
  r.reads.pending = pending.slice(n);
}

/** Leader: its first entry of the term just committed; serve the reads that were waiting for that. */
export function releaseWaitingReads(r: Raft): void {
  const waiting = r.reads.waiting;
  if (waiting.length === 0) return;
  r.reads.waiting = [];
  for (const w of waiting) handleReadIndexRequest(r, w.from, w.context);
}

/** Leader stepping down: no pending read can be confirmed any more. */
export function failAllReads(r: Raft, reason: string): void {
  const { pending, waiting } = r.reads;
  r.reads.pending = [];
  r.reads.waiting = [];
  for (const p of pending) fail(r, p.from, p.context, reason);
  for (const w of waiting) fail(r, w.from, w.context, reason);
}

/** Follower: the leader answered a forwarded read. */
export function handleReadIndexResponse(r: Raft, m: MsgReadIndexResp): void {
  const forwarded = r.reads.forwarded;
  let i = 0;
  while (i < forwarded.length && forwarded[i].context !== m.context) i++;
  if (i === forwarded.length) return; // already failed locally (leader changed), or a duplicate
  // The answer must come from the leader we asked, in the term we asked in: an answer to a read of the same
  // context sent elsewhere or earlier (a host that reused a context) carries an index that may be too old.
  // Contexts are also unique across a node's incarnations (docs/clients.md), which this check alone cannot see.
  const f = forwarded[i];
  if (m.from !== f.leader || m.term !== f.term) return;
  forwarded.splice(i, 1);
  if (m.reject) {
    fail(r, r.id, m.context, `the leader S${m.from} could not confirm it`);
  } else {
    r.readStates.push({ context: m.context, index: m.index });
  }
}

/** The highest round a majority (the leader included) acknowledged. */
function quorumAckedRound(r: Raft): number {
  const values = r.scratchValues;
  for (let i = 0; i < r.peers.length; i++) {
    const p = r.peers[i];
    values[i] = p === r.id ? r.reads.round : r.progress[p].ackedRound;
  }
  return majorityValue(values, r.scratchSorted);
}

function ackers(r: Raft, round: number): NodeId[] {
  return r.peers.filter((p) => p === r.id || r.progress[p].ackedRound >= round);
}

/** The majority that currently grants the leader its lease, or undefined when the lease is not held. */
function leaseHolders(r: Raft): NodeId[] | undefined {
  // No lease while transferring, nor after a TimeoutNow left in this term, even if the transfer was aborted: the
  // TimeoutNow, or the transferee's votes, which bypass the voters' lease by design (thesis §3.10), may arrive
  // arbitrarily late and elect the transferee while this leader still counts on those voters. No waiting period
  // after the abort would be enough, since the bus bounds no delay; a ReadIndex round is, since it needs a
  // majority still at this term after the read arrived (docs/raft-core.md, "Lease reads").
  if (!r.config.checkQuorum || r.transferee !== None || r.timeoutNowSentInTerm) return undefined;
  const round = quorumAckedRound(r);
  const sent = r.reads.sentTickOf(round);
  // Margin of one tick: a follower may tick just after receiving the heartbeat, ahead of the leader's clock.
  if (sent === undefined || r.leaderTicks - sent >= r.config.electionTick - 1) return undefined;
  return ackers(r, round);
}

function confirm(r: Raft, from: NodeId, context: string, index: LogIndex, via: 'readIndex' | 'lease', acks: NodeId[]): void {
  r.explain({ kind: 'readConfirmed', node: r.id, term: r.term, index, via, acks, context, requester: from });
  if (from === r.id) r.readStates.push({ context, index });
  else r.send({ type: 'MsgReadIndexResp', from: r.id, to: from, term: r.term, context, index, reject: false });
}

function fail(r: Raft, from: NodeId, context: string, reason: string): void {
  r.explain({ kind: 'readRejected', node: r.id, reason, context });
  if (from === r.id) r.readFailures.push({ context, reason });
  else r.send({ type: 'MsgReadIndexResp', from: r.id, to: from, term: r.term, context, index: 0, reject: true });
}

/**
 * Leader: ticks since the newest heartbeat round a majority acknowledged was sent (how fresh the leader's
 * proof of leadership is); leaderTicks when no round is known acknowledged.
 */
export function ticksSinceQuorumAck(r: Raft): number {
  const sent = r.reads.sentTickOf(quorumAckedRound(r));
  return sent === undefined ? r.leaderTicks : r.leaderTicks - sent;
}
