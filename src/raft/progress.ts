/**
 * What a leader knows about one follower's log (Raft §5.3 nextIndex/matchIndex; etcd's tracker.Progress).
 *
 *   probe      one MsgApp at a time, walking `next` back until the consistency check passes
 *     |  success
 *     v
 *   replicate  optimistic streaming: `next` runs ahead of `match`, at most maxInflight appends unacknowledged
 *     |  rejection
 *     +--> probe
 */
import { InvariantError } from './assert.ts';
import { Inflights } from './inflights.ts';
import type { LogIndex, NodeId, ProgressView } from './types.ts';

export class Progress {
  /** Highest index known replicated on the follower. Invariant: 0 <= match < next. */
  match: LogIndex = 0;
  /** Next index to send. */
  next: LogIndex;
  state: 'probe' | 'replicate' = 'probe';
  /** Probe state: a probe is outstanding, wait for its reply (or a heartbeat reply) before sending another. */
  probeSent = false;
  readonly inflights: Inflights;
  /** Heard from since the last CheckQuorum round (thesis §6.2). */
  recentActive = false;
  /** Highest heartbeat round this follower acknowledged in the current term (ReadIndex, leases). */
  ackedRound = 0;

  constructor(readonly node: NodeId, next: LogIndex, maxInflight: number) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
  }

  /** Throws unless 0 <= match < next (a leader sends what the follower lacks, never what it acknowledged). */
  checkInvariant(): void {
    if (this.match < 0 || this.match >= this.next) {
      throw new InvariantError(`progress of S${this.node}: match ${this.match} is not below next ${this.next}`);
    }
  }

  /** Whether the leader must hold back new appends to this follower. */
  isPaused(): boolean {
    return this.state === 'probe' ? this.probeSent : this.inflights.full();
  }

  becomeProbe(): void {
    this.state = 'probe';
    this.probeSent = false;
    this.next = this.match + 1;
    this.inflights.reset();
  }

  becomeReplicate(): void {
    this.state = 'replicate';
    this.probeSent = false;
    this.next = this.match + 1;
    this.inflights.reset();
  }

  /**
   * Records that the follower holds everything up to `index`. Returns false for a stale acknowledgement.
   * Any acknowledgement unblocks a probe.
   */
  maybeUpdate(index: LogIndex): boolean {
    this.probeSent = false;
    if (index <= this.match) return false;
    this.match = index;
    if (this.next < index + 1) this.next = index + 1;
    this.checkInvariant();
    return true;
  }

  /**
   * Handles a rejection of the append whose prevLogIndex was `rejected`; `hintNext` is where the follower's
   * hint says the logs may agree next. Returns false when the rejection is stale (answers an older append).
   */
  maybeDecrTo(rejected: LogIndex, hintNext: LogIndex): boolean {
    if (this.state === 'replicate') {
      // Everything up to match is known good; a rejection at or below it is a reordered old reply.
      if (rejected <= this.match) return false;
      this.becomeProbe();
      this.next = Math.max(this.match + 1, Math.min(hintNext, rejected));
      this.checkInvariant();
      return true;
    }
    // Probe: only the reply to the outstanding probe (prevLogIndex == next - 1) counts. A rejection at or below
    // match contradicts an earlier acknowledgement; only an unsafe variant causes one, and retrying would loop.
    if (rejected !== this.next - 1 || rejected <= this.match) return false;
    this.next = Math.max(this.match + 1, Math.min(hintNext, rejected));
    this.probeSent = false;
    this.checkInvariant();
    return true;
  }

  view(): ProgressView {
    return {
      node: this.node,
      match: this.match,
      next: this.next,
      state: this.state,
      inflight: this.state === 'probe' ? (this.probeSent ? 1 : 0) : this.inflights.size,
      recentActive: this.recentActive,
    };
  }
}
