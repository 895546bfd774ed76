/**
 * The Raft state machine of one node: its state (Raft Figure 2), the role transitions, and the dispatch of
 * ticks and messages to the rules, which live one concept per file (election.ts, replication.ts, commit.ts,
 * checkQuorum.ts, reads.ts, transfer.ts). It never does I/O: messages, explanations and read results are
 * queued here and handed to the host by RawNode as a Ready batch.
 */
import { hup, handleVoteRequest, handleVoteResponse } from './election.ts';
import { inFollowerLease, checkQuorumRound } from './checkQuorum.ts';
import {
  appendLocal, bcastAppend, bcastHeartbeat, handleAppendEntries, handleAppendResponse, handleHeartbeat,
  handleHeartbeatResponse,
} from './replication.ts';
import {
  failAllReads, handleReadIndexRequest, handleReadIndexResponse, ReadTracker, requestRead,
} from './reads.ts';
import { abortTransfer, handleTransferRequest, handleTimeoutNow } from './transfer.ts';
import { RaftLog } from './log.ts';
import { Progress } from './progress.ts';
import type {
  Entry, Explanation, HardState, Message, MsgProp, NodeId, RaftConfig, ReadFailure, ReadState, Role, Term,
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
  // Messages.

  step(m: Message): void {
    if (m.to !== this.id || !this.isPeer(m.from)) {
      this.explain({ kind: 'foreignMessageIgnored', node: this.id, from: m.from, to: m.to, msgType: m.type });
      return;
    }
    if (m.term > this.term) {
      if (!this.stepHigherTerm(m)) return;
    } else if (m.term < this.term) {
      this.stepLowerTerm(m);
      return;
    }

    switch (m.type) {
      case 'MsgVote':
      case 'MsgPreVote':
        handleVoteRequest(this, m);
        return;
      case 'MsgProp':
        this.stepProposal(m);
        return;
      case 'MsgReadIndex':
        handleReadIndexRequest(this, m.from, m.context);
        return;
      case 'MsgTransferLeader':
        handleTransferRequest(this, m.from, m.transferee);
        return;
      default:
        break;
    }
    if (this.role === 'leader') this.stepLeader(m);
    else if (this.role === 'follower') this.stepFollower(m);
    else this.stepCandidate(m);
  }

  /**
   * A message from a higher term (§5.1: "If RPC request or response contains term T > currentTerm: set
   * currentTerm = T, convert to follower"), with the exceptions of thesis §9.6 and the follower lease.
   * Returns false when the message is to be dropped.
   */
  private stepHigherTerm(m: Message): boolean {
    if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
      if (!m.transfer && inFollowerLease(this, m.type)) {
        this.explain({
          kind: 'voteRefused', node: this.id, candidate: m.from, term: m.term, preVote: m.type === 'MsgPreVote',
          reason: 'leaderLease', leader: this.role === 'leader' ? this.id : this.leaseLeader,
          leaderHeardTicksAgo: this.role === 'leader' ? 0 : this.leaderContactElapsed,
        });
        return false;
      }
      // A pre-vote request does not move our term: the candidate has not moved its own either.
      if (m.type === 'MsgPreVote') return true;
    }
    // A granted pre-vote answers at the term the pre-candidate proposed; it is not a newer leader's term.
    if (m.type === 'MsgPreVoteResp' && !m.reject) return true;

    const wasRole = this.role;
    const leader = m.type === 'MsgApp' || m.type === 'MsgHeartbeat' ? m.from : None;
    if (wasRole !== 'follower') {
      this.explain({ kind: 'steppedDown', node: this.id, term: m.term, reason: 'higherTerm', from: m.from });
    }
    this.becomeFollower(m.term, leader);
    return true;
  }

  /** A message from an older term (§5.1: "If a server receives a request with a stale term number, it rejects the request"). */
  private stepLowerTerm(m: Message): void {
    if ((this.config.checkQuorum || this.config.preVote) && (m.type === 'MsgApp' || m.type === 'MsgHeartbeat')) {
      // A deposed leader cut off by CheckQuorum or PreVote may never see our higher term otherwise (our
      // pre-votes do not carry it, and we may ignore its messages forever): tell it, so it steps down.
      this.send({
        type: 'MsgAppResp', from: this.id, to: m.from, term: this.term, index: 0, reject: false, hintTerm: 0, hintIndex: 0,
      });
    } else if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
      const preVote = m.type === 'MsgPreVote';
      this.explain({
        kind: 'voteRefused', node: this.id, candidate: m.from, term: m.term, preVote, reason: 'staleTerm', myTerm: this.term,
      });
      this.send({ type: preVote ? 'MsgPreVoteResp' : 'MsgVoteResp', from: this.id, to: m.from, term: this.term, reject: true });
      return;
    }
    this.explain({ kind: 'staleMessageIgnored', node: this.id, term: this.term, from: m.from, msgType: m.type, msgTerm: m.term });
  }

  private stepProposal(m: MsgProp): void {
    if (this.role === 'leader') {
      if (this.transferee !== None) {
        this.explain({ kind: 'proposalRejected', node: this.id, reason: 'transferring', leader: this.id });
        return;
      }
      appendLocal(this, m.data);
      bcastAppend(this);
      return;
    }
    // A proposal forwarded to a node that is no longer leader is dropped: the client will retry (etcd does the same).
    if (this.leader === None || this.config.disableProposalForwarding) {
      this.explain({ kind: 'proposalRejected', node: this.id, reason: this.leader === None ? 'noLeader' : 'forwardingDisabled', leader: this.leader });
      return;
    }
    this.send({ type: 'MsgProp', from: this.id, to: this.leader, term: this.term, data: m.data });
    this.explain({ kind: 'proposalForwarded', node: this.id, leader: this.leader });
  }

  private stepLeader(m: Message): void {
    switch (m.type) {
      case 'MsgAppResp':
        handleAppendResponse(this, m);
        return;
      case 'MsgHeartbeatResp':
        handleHeartbeatResponse(this, m);
        return;
      default:
        // Vote responses from a finished election, a TimeoutNow for a leader, etc.
        return;
    }
  }

  private stepFollower(m: Message): void {
    switch (m.type) {
      case 'MsgApp':
        this.heardFromLeader(m.from);
        handleAppendEntries(this, m);
        return;
      case 'MsgHeartbeat':
        this.heardFromLeader(m.from);
        handleHeartbeat(this, m);
        return;
      case 'MsgTimeoutNow':
        handleTimeoutNow(this, m.from);
        return;
      case 'MsgReadIndexResp':
        handleReadIndexResponse(this, m);
        return;
      default:
        return;
    }
  }

  private stepCandidate(m: Message): void {
    switch (m.type) {
      case 'MsgApp':
      case 'MsgHeartbeat':
        // §5.2: "If AppendEntries RPC received from new leader: convert to follower". Same term, so a leader
        // exists for it and our campaign is moot (a pre-candidate's term is the leader's term here).
        this.explain({ kind: 'steppedDown', node: this.id, term: this.term, reason: 'leaderSeen', from: m.from });
        this.becomeFollower(this.term, m.from);
        this.stepFollower(m);
        return;
      case 'MsgVoteResp':
      case 'MsgPreVoteResp':
        handleVoteResponse(this, m);
        return;
      default:
        return;
    }
  }

  /** A message from the current leader: it is alive, so the election timer restarts (§5.2). */
  private heardFromLeader(from: NodeId): void {
    this.resetElectionTimer();
    this.leaderContactElapsed = 0;
    this.leaseLeader = from;
    if (this.leader !== from) {
      this.reads.failForwarded(this, 'leader changed');
      this.leader = from;
      this.explain({ kind: 'becameFollower', node: this.id, term: this.term, leader: from });
    }
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
