/**
 * The synchronous API of one Raft node (etcd's RawNode): the host feeds it ticks, messages and client
 * requests, and drains what it must do as Ready batches. Not thread-safe; no I/O; no clock of its own.
 *
 * The host loop: `if (node.hasReady()) { const rd = node.ready(); persist(rd.hardState, rd.append);
 * send(rd.messages); apply(rd.committed); serve(rd.readStates); node.advance(); }`.
 */
import { InvariantError } from './assert.ts';
import { validateConfig } from './config.ts';
import { Raft, type ProposeOutcome } from './raft.ts';
import { ticksSinceQuorumAck } from './reads.ts';
import type {
  Entry, Explanation, HardState, LogIndex, Message, NodeId, NodeStatus, PersistentState, ProgressView, RaftConfig, Ready,
  ReadFailure, ReadState, Role, Term,
} from './types.ts';
import { None } from './types.ts';

export type { ProposeOutcome } from './raft.ts';

/** The one empty array every empty Ready field shares (frozen: nobody may push into it). */
const NONE: readonly never[] = Object.freeze([]);

export class RawNode {
  private readonly raft: Raft;
  /** The hard state the host last received (or restarted from): Ready.hardState is sent only on change. */
  private persistedHard: HardState;
  /** Highest index handed to the host in Ready.committed. Invariant: applied <= applying <= commit. */
  private applying: LogIndex = 0;
  /** Highest index the host confirmed applied (advance()). Starts at 0 on restart: the host re-applies. */
  private applied: LogIndex = 0;

  /**
   * A fresh node, or with `persisted` a restarted one: term, vote, commit and log come back from stable
   * storage; role, leader, timers, progress and read state start fresh (they are volatile).
   */
  constructor(config: RaftConfig, persisted?: PersistentState) {
    validateConfig(config);
    if (persisted) validatePersisted(persisted, config.unsafe.noTruncate);
    this.raft = new Raft(config, persisted?.hardState, persisted?.entries);
    this.persistedHard = persisted ? this.raft.hardState() : { term: 0, vote: None, commit: 0 };
  }

  /** One logical clock tick: drives election timeouts, heartbeats and the CheckQuorum / transfer deadlines. */
  tick(): void {
    this.raft.tick();
  }

  /** Delivers a message from the bus. Messages for another node, from outsiders or of stale terms are ignored (and explained). */
  step(msg: Message): void {
    this.raft.step(msg);
  }

  /** A client proposal: the leader appends it; a follower forwards it to the leader (or rejects it, naming the leader). */
  propose(data: string): ProposeOutcome {
    return this.raft.propose(data);
  }

  /** The election timer fires now: a pre-vote (with PreVote) or an election starts. A no-op on a leader. */
  campaign(): void {
    this.raft.campaign();
  }

  /** Hands leadership to `to` (thesis §3.10); on a follower the request is forwarded to the leader. */
  transferLeadership(to: NodeId): void {
    this.raft.transferLeadership(to);
  }

  /** Requests a linearizable read; the result comes later in Ready.readStates or Ready.readFailures. */
  readIndex(context: string): void {
    this.raft.readIndex(context);
  }

  /** Whether ready() has anything. O(1), allocation-free. */
  hasReady(): boolean {
    const r = this.raft;
    return (
      r.msgs.length > 0 ||
      r.explanations.length > 0 ||
      r.log.hasUnpersisted() ||
      r.log.commit > this.applying ||
      r.readStates.length > 0 ||
      r.readFailures.length > 0 ||
      this.hardStateChanged()
    );
  }

  private hardStateChanged(): boolean {
    const r = this.raft;
    const p = this.persistedHard;
    const vote = r.config.unsafe.forgetVote ? None : r.vote;
    return r.term !== p.term || vote !== p.vote || r.log.commit !== p.commit;
  }

  /** Takes the pending batch. The host must process it in the order documented on Ready, then call advance(). */
  ready(): Ready {
    const r = this.raft;
    let hardState: HardState | undefined;
    if (this.hardStateChanged()) {
      hardState = r.hardState();
      // Invariant: the persisted term never decreases (§5.1).
      if (hardState.term < this.persistedHard.term) {
        throw new InvariantError(`ready: term ${hardState.term} is below the persisted term ${this.persistedHard.term}`);
      }
      this.persistedHard = hardState;
    }
    const append = r.log.takeUnpersisted();
    const commit = r.log.commit;
    // Invariant: applied <= applying <= commit. Only an unsafe switch may lower the commit index below what was
    // already handed out (a committed entry truncated): that damage is left for the checkers to see.
    if (commit < this.applying && !r.log.unsafeMode) {
      throw new InvariantError(`ready: commit ${commit} is below the index already handed out to apply (${this.applying})`);
    }
    const committed: readonly Entry[] = commit > this.applying ? r.log.slice(this.applying + 1, commit) : NONE;
    this.applying = commit;
    // Hand over the queues and start new ones; an empty queue is never handed over (the host could keep the
    // array while the core kept filling it), a shared frozen empty array is.
    let messages: readonly Message[] = NONE;
    let readStates: readonly ReadState[] = NONE;
    let readFailures: readonly ReadFailure[] = NONE;
    let explanations: readonly Explanation[] = NONE;
    if (r.msgs.length > 0) {
      messages = r.msgs;
      r.msgs = [];
    }
    if (r.readStates.length > 0) {
      readStates = r.readStates;
      r.readStates = [];
    }
    if (r.readFailures.length > 0) {
      readFailures = r.readFailures;
      r.readFailures = [];
    }
    if (r.explanations.length > 0) {
      explanations = r.explanations;
      r.explanations = [];
    }
    return { hardState, append, messages, committed, readStates, readFailures, explanations };
  }

  /** The host persisted, sent and applied the last ready(): its committed entries count as applied. */
  advance(): void {
    this.applied = this.applying;
  }

  get role(): Role {
    return this.raft.role;
  }
  get term(): Term {
    return this.raft.term;
  }
  /** The candidate voted for in `term` (in memory; with the unsafe forgetVote it is never persisted). */
  get vote(): NodeId {
    return this.raft.vote;
  }
  get leader(): NodeId {
    return this.raft.leader;
  }
  get commit(): LogIndex {
    return this.raft.log.commit;
  }
  get lastIndex(): LogIndex {
    return this.raft.log.lastIndex;
  }
  get lastTerm(): Term {
    return this.raft.log.lastTerm;
  }
  /** The leader's transfer target, else None. */
  get transferee(): NodeId {
    return this.raft.transferee;
  }

  /** The in-memory log entry at `index` (persisted or not), for checkers and views. */
  entryAt(index: LogIndex): Entry | undefined {
    return this.raft.log.entryAt(index);
  }

  /** A full snapshot of the node's state (allocates: for traces, checks and the UI, not the hot path). */
  status(): NodeStatus {
    const r = this.raft;
    const isLeader = r.role === 'leader';
    const progress: ProgressView[] = [];
    if (isLeader) for (const p of r.peers) if (p !== r.id) progress.push(r.progress[p].view());
    return {
      id: r.id,
      role: r.role,
      term: r.term,
      vote: r.vote,
      leader: r.leader,
      commit: r.log.commit,
      applied: this.applied,
      lastIndex: r.log.lastIndex,
      lastTerm: r.log.lastTerm,
      electionElapsed: r.electionElapsed,
      randomizedElectionTimeout: r.randomizedElectionTimeout,
      leaseElapsed: isLeader ? ticksSinceQuorumAck(r) : 0,
      transferee: isLeader ? r.transferee : None,
      progress,
    };
  }
}

/** Throws an Error naming the first inconsistent field of a persisted state. */
function validatePersisted(p: PersistentState, noTruncate: boolean): void {
  const { hardState, entries } = p;
  if (!hardState) throw new Error('persisted.hardState is missing');
  if (!Array.isArray(entries)) throw new Error('persisted.entries must be an array');
  let prevTerm = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.index !== i + 1) throw new Error(`persisted.entries[${i}].index must be ${i + 1}, got ${e.index}`);
    // (The unsafe noTruncate variant can leave terms out of order: that is the bug it demonstrates.)
    if (e.term < prevTerm && !noTruncate) throw new Error(`persisted.entries[${i}].term ${e.term} is below the previous entry's ${prevTerm}`);
    prevTerm = Math.max(prevTerm, e.term);
  }
  if (hardState.term < prevTerm) throw new Error(`persisted.hardState.term ${hardState.term} is below the last entry's term ${prevTerm}`);
  if (hardState.commit < 0 || hardState.commit > entries.length) {
    throw new Error(`persisted.hardState.commit ${hardState.commit} is outside [0, ${entries.length}]`);
  }
}
