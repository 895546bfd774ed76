/**
 * The Raft state machine of one node: its state (Raft Figure 2), the role transitions, the ticks and the local
 * requests. Messages are stepped in step.ts (the term check, then one step function per role); the rules live
 * one concept per file (election.ts, replication.ts, commit.ts, checkQuorum.ts, reads.ts, transfer.ts). It never
 * does I/O: messages, explanations and read results are queued here and handed to the host by RawNode as a
 * Ready batch.
 */
import { hup } from './election.ts';
import { checkQuorumRound } from './checkQuorum.ts';
import { appendLocal, bcastAppend, bcastHeartbeat } from './replication.ts';
import { failAllReads, ReadTracker, requestRead } from './reads.ts';
import { abortTransfer, handleTransferRequest } from './transfer.ts';
import { stepMessage } from './step.ts';
import { RaftLog } from './log.ts';
import { Progress } from './progress.ts';
import type {
  Entry, Explanation, HardState, Message, NodeId, RaftConfig, ReadFailure, ReadState, Role, Term,
} from './types.ts';
import { None } from './types.ts';
import { assert, InvariantError } from './assert.ts';

/** How a proposal handed to this node fared. */
export type ProposeOutcome =
  | { ok: true }
  | { ok: false; reason: 'noLeader' | 'transferring' | 'forwardingDisabled'; leader: NodeId };

const PROPOSE_OK: ProposeOutcome = Object.freeze({ ok: true as const });

export class Raft {
  readonly id: NodeId;
  readonly config: RaftConfig;
  /** Every voter, this node included, ascending. */
  readonly peers: readonly NodeId[];

  // Persistent state (Figure 2), written to stable storage through Ready.hardState / Ready.append.
  /** Invariant: never decreases (§5.1). */
  term: Term = 0;
  /** Candidate voted for in `term`, or None. Invariant: at most one per term (§5.2). Never a pre-vote. */
  vote: NodeId = None;
  readonly log: RaftLog;

  // Volatile state.
  role: Role = 'follower';
  /** The leader known for `term` (this node when leader), or None. */
  leader: NodeId = None;
  /**
   * Ticks since the election timer was reset (follower, candidates) or since the last CheckQuorum round
   * (leader). Followers reset it when they hear from the current leader or grant a vote (§5.2).
   */
  electionElapsed = 0;
  /** Leader only: ticks since the last heartbeat broadcast. */
  heartbeatElapsed = 0;
  /** Invariant: electionTick <= randomizedElectionTimeout < 2 * electionTick (§5.2). */
  randomizedElectionTimeout: number;
  /** Ticks this node has seen as leader in the current term; the leader's clock for read leases. */
  leaderTicks = 0;
  /**
   * Follower side of the leader lease (checkQuorum.ts): ticks since this node last heard from a leader (an
   * append or heartbeat of the leader of its term), or electionTick when it knows of no recent leader. Unlike
   * `leader` and `electionElapsed`, becoming a (pre-)candidate or granting a vote does not reset it: a forced
   * campaign does not make the node forget that a leader may still count on its acknowledgement (thesis §6.4.1).
   */
  leaderContactElapsed: number;
  /** The leader last heard from (for explanations), or None. */
  leaseLeader: NodeId = None;
  /**
   * Leader: a MsgTimeoutNow left in this term. The transferee's campaign (and its transfer votes, which bypass
   * every voter's lease) may still be on the wire however long ago the transfer was aborted, so this leader
   * serves no lease read for the rest of the term (reads.ts, leaseHolders).
   */
  timeoutNowSentInTerm = false;

  /** Candidates: each voter's answer this campaign: 1 granted, -1 refused, 0 unknown. Indexed by id. */
  readonly votes: Int8Array;
  /** Leader: replication progress per peer, indexed by id (this node's own entry included). */
  readonly progress: Progress[];
  /** Leader: the node leadership is being handed to (thesis §3.10), or None. */
  transferee: NodeId = None;
  readonly reads: ReadTracker;

  // Output queued for the next Ready.
  msgs: Message[] = [];
  explanations: Explanation[] = [];
  readStates: ReadState[] = [];
  readFailures: ReadFailure[] = [];

  /** Scratch space for quorum computations (no allocation on the hot path). */
  readonly scratchValues: number[];
  readonly scratchSorted: number[];

  constructor(config: RaftConfig, hardState?: HardState, entries?: readonly Entry[]) {
    this.id = config.id;
    this.config = config;
    this.peers = config.peers;
    const unsafe = config.unsafe;
    const unsafeMode = unsafe.forgetVote || unsafe.commitOldTerm || unsafe.skipUpToDateCheck || unsafe.noTruncate;
    this.log = new RaftLog(entries ?? [], hardState?.commit ?? 0, unsafeMode);
    if (hardState) {
      this.term = hardState.term;
      this.vote = hardState.vote;
    }
    const maxId = Math.max(...this.peers);
    this.votes = new Int8Array(maxId + 1);
    this.progress = new Array<Progress>(maxId + 1);
    for (const p of this.peers) this.progress[p] = new Progress(p, 1, config.maxInflight);
    this.reads = new ReadTracker();
    this.scratchValues = new Array<number>(this.peers.length).fill(0);
    this.scratchSorted = new Array<number>(this.peers.length).fill(0);
    this.randomizedElectionTimeout = this.drawElectionTimeout();
    // A fresh node has acknowledged no leader, so no lease counts on it. A restarted one may have acknowledged a
    // heartbeat just before it crashed, and it forgot when: with lease reads it assumes it did, and keeps out of
    // elections for one election timeout (the longest a lease can count on it), instead of voting at once.
    const restarted = hardState !== undefined && hardState.term > 0;
    this.leaderContactElapsed = restarted && config.readOnly === 'lease' ? 0 : config.electionTick;
    assert(this.log.commit <= this.log.lastIndex, () => `hardState.commit ${this.log.commit} is beyond the last index ${this.log.lastIndex}`);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Output helpers.

  send(m: Message): void {
    this.msgs.push(m);
  }

  explain(e: Explanation): void {
    this.explanations.push(e);
  }

  isPeer(id: NodeId): boolean {
    return this.progress[id] !== undefined && id !== this.id;
  }

  /** True once this leader has committed an entry of its own term (thesis §6.4: only then is its commit index current). */
  committedInCurrentTerm(): boolean {
    return this.log.termAt(this.log.commit) === this.term;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Timers.

  /** A fresh randomized election timeout in [electionTick, 2 * electionTick), drawn on every reset (§5.2). */
  private drawElectionTimeout(): number {
    const et = this.config.electionTick;
    return et + this.config.random.int(et);
  }

  resetElectionTimer(): void {
    this.electionElapsed = 0;
    this.randomizedElectionTimeout = this.drawElectionTimeout();
  }

  tick(): void {
    if (this.role === 'leader') this.tickLeader();
    else this.tickElection();
  }

  /** Followers and candidates: campaign when no leader was heard from within the timeout (§5.2). */
  private tickElection(): void {
    this.electionElapsed++;
    this.leaderContactElapsed++;
    if (this.electionElapsed >= this.randomizedElectionTimeout) {
      // hup() resets the timer (and draws a new timeout) as the node becomes (pre-)candidate.
      this.explain({ kind: 'timerFired', node: this.id, term: this.term, preVote: this.config.preVote });
      hup(this, false);
    }
  }

  /** Leaders: heartbeats (§5.2), the CheckQuorum round (thesis §6.2) and the transfer deadline (thesis §3.10). */
  private tickLeader(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    this.leaderTicks++;
    if (this.electionElapsed >= this.config.electionTick) {
      this.electionElapsed = 0;
      if (this.config.checkQuorum && !checkQuorumRound(this)) return; // stepped down
      if (this.transferee !== None) abortTransfer(this, 'the transfer did not finish within an election timeout');
    }
    if (this.role !== 'leader') return;
    if (this.heartbeatElapsed >= this.config.heartbeatTick) {
      this.heartbeatElapsed = 0;
      bcastHeartbeat(this, this.reads.startRound(this.leaderTicks));
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Role transitions.

  /**
   * Becomes a follower in `term` (clearing the vote when the term moves on) following `leader` (or None).
   */
  becomeFollower(term: Term, leader: NodeId): void {
    // Invariant: the term never decreases (§5.1).
    if (term < this.term) throw new InvariantError(`becomeFollower: term ${term} is below the current term ${this.term} (terms never decrease, §5.1)`);
    if (this.role === 'leader') {
      // A leader that stops leading stops serving lease reads at once: no lease depends on it any more, so it
      // may vote right away (the leases it granted were its own).
      this.leaderContactElapsed = this.config.electionTick;
      // Before the term moves: rejections of forwarded reads must reach followers at the term they know.
      failAllReads(this, 'leadership lost');
      // A newer term means someone campaigned (the transferee, if it worked); the same term means we gave up.
      if (this.transferee !== None && term === this.term) abortTransfer(this, 'leadership was lost');
      this.transferee = None;
    }
    if (term !== this.term) {
      this.term = term;
      this.vote = None;
    }
    this.role = 'follower';
    if (leader !== this.leader) {
      this.reads.failForwarded(this, 'leader changed');
      this.leader = leader;
      if (leader !== None) this.explain({ kind: 'becameFollower', node: this.id, term, leader });
    }
    this.resetElectionTimer();
  }

  /** thesis §9.6: a pre-candidate asks for votes at term + 1 but keeps its own term and vote. */
  becomePreCandidate(): void {
    if (this.role === 'leader') throw new Error('becomePreCandidate: a leader cannot campaign');
    this.role = 'precandidate';
    this.reads.failForwarded(this, 'campaign started');
    this.leader = None;
    this.votes.fill(0);
    this.resetElectionTimer();
  }

  /** §5.2: increment the term, vote for self. */
  becomeCandidate(): void {
    if (this.role === 'leader') throw new Error('becomeCandidate: a leader cannot campaign');
    this.reads.failForwarded(this, 'campaign started');
    this.term++;
    this.vote = this.id;
    this.role = 'candidate';
    this.leader = None;
    this.votes.fill(0);
    this.resetElectionTimer();
  }

  /** §5.3: reinitialize nextIndex/matchIndex after election; §8: append an empty entry of the new term. */
  becomeLeader(): void {
    if (this.role !== 'candidate') throw new Error(`becomeLeader: role is ${this.role}, not candidate`);
    // Invariant: a leader's term is current: it holds no entry of a later term (its log is at most as new as its
    // term, §5.4.1), and it won the votes of this term, its own included.
    if (this.log.lastTerm > this.term || this.vote !== this.id) {
      throw new InvariantError(`becomeLeader: term ${this.term} is not current (last log term ${this.log.lastTerm}, vote ${this.vote})`);
    }
    this.role = 'leader';
    this.leader = this.id;
    this.transferee = None;
    this.timeoutNowSentInTerm = false;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.leaderTicks = 0;
    this.reads.resetForTerm();
    const next = this.log.lastIndex + 1;
    for (const p of this.peers) {
      const pr = this.progress[p];
      pr.match = 0;
      pr.next = next;
      pr.state = 'probe';
      pr.probeSent = false;
      pr.inflights.reset();
      pr.ackedRound = 0;
      // Fresh leaders count everyone active: CheckQuorum judges the first full election timeout.
      pr.recentActive = true;
    }
    const self = this.progress[this.id];
    self.match = this.log.lastIndex;
    self.becomeReplicate();
    appendLocal(this, [null]);
    bcastAppend(this);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Local requests.

  propose(data: string): ProposeOutcome {
    if (this.role === 'leader') {
      if (this.transferee !== None) {
        this.explain({ kind: 'proposalRejected', node: this.id, reason: 'transferring', leader: this.id });
        return { ok: false, reason: 'transferring', leader: this.id };
      }
      appendLocal(this, [data]);
      bcastAppend(this);
      return PROPOSE_OK;
    }
    if (this.leader === None) {
      this.explain({ kind: 'proposalRejected', node: this.id, reason: 'noLeader', leader: None });
      return { ok: false, reason: 'noLeader', leader: None };
    }
    if (this.config.disableProposalForwarding) {
      this.explain({ kind: 'proposalRejected', node: this.id, reason: 'forwardingDisabled', leader: this.leader });
      return { ok: false, reason: 'forwardingDisabled', leader: this.leader };
    }
    this.send({ type: 'MsgProp', from: this.id, to: this.leader, term: this.term, data: [data] });
    this.explain({ kind: 'proposalForwarded', node: this.id, leader: this.leader });
    return PROPOSE_OK;
  }

  /**
   * The host's election timeout action ("timeout" in a scenario): campaign now; a no-op on a leader. With lease
   * reads, a node still inside a leader's lease does not campaign (thesis §6.4.1): its own vote plus the vote of
   * a node outside the lease could elect a second leader while the first still serves reads from its lease.
   */
  campaign(): void {
    if (this.role === 'leader') return;
    if (this.config.readOnly === 'lease' && this.leaderContactElapsed < this.config.electionTick) {
      this.explain({
        kind: 'campaignRefused', node: this.id, term: this.term, reason: 'leaderLease', leader: this.leaseLeader,
        leaderHeardTicksAgo: this.leaderContactElapsed,
      });
      return;
    }
    this.explain({ kind: 'timerFired', node: this.id, term: this.term, preVote: this.config.preVote });
    hup(this, false);
  }

  transferLeadership(to: NodeId): void {
    handleTransferRequest(this, this.id, to);
  }

  readIndex(context: string): void {
    requestRead(this, context);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Messages (step.ts).

  step(m: Message): void {
    stepMessage(this, m);
  }

  /** The persisted part of the state, as the host must write it. */
  hardState(): HardState {
    return {
      term: this.term,
      // Unsafe variant: the vote never reaches the disk, so a restart forgets it (breaks §5.2's one vote per term).
      vote: this.config.unsafe.forgetVote ? None : this.vote,
      commit: this.log.commit,
    };
  }
}
