/**
 * The public vocabulary of the consensus core: ids, entries, messages, the persisted state and the
 * Ready batch. Everything here is plain data (structured-clone safe), so it crosses a Web Worker boundary
 * and a trace file unchanged.
 *
 * Vocabulary follows etcd-io/raft (MsgApp, MsgVote, ...), so an engineer who knows that library reads it
 * at once; the rules cite the Raft paper (Ongaro & Ousterhout 2014, "§5.x") or Ongaro's thesis ("thesis §x").
 */

/** A node id: the integers 1..N. 0 means "none" (no vote, no known leader). */
export type NodeId = number;
/** The id that means "nobody". */
export const None: NodeId = 0;

/** A Raft term. Invariant: never decreases on a node, also across restarts (§5.1). */
export type Term = number;
/** A log index. The first entry has index 1; index 0 is the empty prefix with term 0. */
export type LogIndex = number;

/** One log entry. `data` is the client's string, or null for a leader's empty entry (§5.4.2, §8). */
export interface Entry {
  readonly index: LogIndex;
  readonly term: Term;
  readonly data: string | null;
}

export type Role = 'follower' | 'precandidate' | 'candidate' | 'leader';

/**
 * What must be on stable storage before a message that depends on it leaves (Raft Figure 2: "Persistent
 * state on all servers ... updated on stable storage before responding to RPCs").
 * `commit` is persisted too (as etcd's HardState does): a committed index stays committed, so a restarted
 * node may apply up to it again at once.
 */
export interface HardState {
  readonly term: Term;
  /** The candidate this node voted for in `term`, or None. Never a pre-vote (thesis §9.6). */
  readonly vote: NodeId;
  readonly commit: LogIndex;
}

/** Everything a node keeps across a crash: what the sim's disk model holds. */
export interface PersistentState {
  readonly hardState: HardState;
  /** The whole log, index 1 first. Invariant: entries[i].index === i + 1. */
  readonly entries: readonly Entry[];
}

/** Messages. `term` is the sender's term at sending (0 never appears on the wire between nodes). */
interface MsgBase {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: Term;
}

/** RequestVote (§5.2) or its PreVote twin (thesis §9.6). A pre-vote carries the term the sender would use. */
export interface MsgVote extends MsgBase {
  readonly type: 'MsgVote' | 'MsgPreVote';
  readonly lastLogIndex: LogIndex;
  readonly lastLogTerm: Term;
  /** Set when the campaign follows a leadership transfer: it overrides the follower-side lease (thesis §3.10). */
  readonly transfer: boolean;
}

export interface MsgVoteResp extends MsgBase {
  readonly type: 'MsgVoteResp' | 'MsgPreVoteResp';
  readonly reject: boolean;
}

/** AppendEntries (§5.3): also used as the probe when `entries` is empty. */
export interface MsgApp extends MsgBase {
  readonly type: 'MsgApp';
  readonly prevLogIndex: LogIndex;
  readonly prevLogTerm: Term;
  readonly entries: readonly Entry[];
  readonly commit: LogIndex;
}

/**
 * The reply to MsgApp. On success `index` is the follower's new match index. On rejection `index` is the
 * prevLogIndex that failed, and the hint lets the leader back up a whole term at once (§5.3, "fast backup"):
 * `hintTerm` is the term of the follower's entry at `hintIndex`, the first index it holds with that term
 * (or hintTerm 0 and hintIndex = its last index + 1 when its log is too short).
 */
export interface MsgAppResp extends MsgBase {
  readonly type: 'MsgAppResp';
  readonly index: LogIndex;
  readonly reject: boolean;
  readonly hintTerm: Term;
  readonly hintIndex: LogIndex;
}

/** Heartbeat (§5.2): carries the commit index (capped at the follower's match) and a read context. */
export interface MsgHeartbeat extends MsgBase {
  readonly type: 'MsgHeartbeat';
  readonly commit: LogIndex;
  /** ReadIndex round this heartbeat confirms, 0 for none. */
  readonly readRound: number;
}

export interface MsgHeartbeatResp extends MsgBase {
  readonly type: 'MsgHeartbeatResp';
  readonly readRound: number;
}

/** A proposal forwarded by a follower to the leader. */
export interface MsgProp extends MsgBase {
  readonly type: 'MsgProp';
  readonly data: readonly (string | null)[];
}

/** A follower asks the leader for a read index on behalf of its client (thesis §6.4). */
export interface MsgReadIndex extends MsgBase {
  readonly type: 'MsgReadIndex';
  readonly context: string;
}

export interface MsgReadIndexResp extends MsgBase {
  readonly type: 'MsgReadIndexResp';
  readonly context: string;
  /** The confirmed read index; meaningless when `reject`. */
  readonly index: LogIndex;
  readonly reject: boolean;
}

/** Leadership transfer: the leader tells an up-to-date target to campaign now (thesis §3.10). */
export interface MsgTimeoutNow extends MsgBase {
  readonly type: 'MsgTimeoutNow';
}

/** A follower forwards a transfer request to the leader. */
export interface MsgTransferLeader extends MsgBase {
  readonly type: 'MsgTransferLeader';
  readonly transferee: NodeId;
}

export type Message =
  | MsgVote
  | MsgVoteResp
  | MsgApp
  | MsgAppResp
  | MsgHeartbeat
  | MsgHeartbeatResp
  | MsgProp
  | MsgReadIndex
  | MsgReadIndexResp
  | MsgTimeoutNow
  | MsgTransferLeader;

export type MessageType = Message['type'];

/** The injected source of randomness. The core never reads a global one. */
export interface RandomSource {
  /** A uniformly drawn integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
}

/**
 * Deliberately broken variants, each off by default: for teaching, and to prove the tests can see bugs.
 */
export interface UnsafeSwitches {
  /** The vote is not persisted: a restarted node may vote twice in one term. */
  readonly forgetVote: boolean;
  /** Commit entries of earlier terms by counting replicas (the Figure 8 bug, §5.4.2). */
  readonly commitOldTerm: boolean;
  /** Grant votes without the up-to-date check (§5.4.1). */
  readonly skipUpToDateCheck: boolean;
  /** A follower keeps conflicting entries instead of truncating them (§5.3). */
  readonly noTruncate: boolean;
}

export type UnsafeName = keyof UnsafeSwitches;
export const UNSAFE_NAMES: readonly UnsafeName[] = ['forgetVote', 'commitOldTerm', 'skipUpToDateCheck', 'noTruncate'];

export interface RaftConfig {
  readonly id: NodeId;
  /** Every voter, this node included, ascending. */
  readonly peers: readonly NodeId[];
  /** Base election timeout in ticks; each randomized timeout is drawn in [electionTick, 2*electionTick). */
  readonly electionTick: number;
  /** Ticks between heartbeats. Invariant: 0 < heartbeatTick < electionTick. */
  readonly heartbeatTick: number;
  readonly random: RandomSource;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  /** 'safe' = ReadIndex confirmed by a heartbeat round; 'lease' = leader lease (requires checkQuorum). */
  readonly readOnly: 'safe' | 'lease';
  /** Appends in flight to one follower in replicate state. */
  readonly maxInflight: number;
  /** Entries carried by one MsgApp at most. */
  readonly maxEntriesPerMsg: number;
  /** When true a follower rejects proposals (naming the leader) instead of forwarding them. */
  readonly disableProposalForwarding: boolean;
  readonly unsafe: UnsafeSwitches;
}

/** A confirmed read: the state machine may serve the read with `context` once it has applied `index`. */
export interface ReadState {
  readonly context: string;
  readonly index: LogIndex;
}

/** A read that could not be confirmed (no leader, leader not yet committed in its term, lost leadership...). */
export interface ReadFailure {
  readonly context: string;
  readonly reason: string;
}

/** Per-follower replication progress as the leader tracks it (§5.3; etcd's tracker.Progress). */
export interface ProgressView {
  readonly node: NodeId;
  /** Invariant: 0 <= match < next. */
  readonly match: LogIndex;
  readonly next: LogIndex;
  readonly state: 'probe' | 'replicate';
  readonly inflight: number;
  readonly recentActive: boolean;
}

/** A snapshot of a node's state for traces, invariant checks and the UI. */
export interface NodeStatus {
  readonly id: NodeId;
  readonly role: Role;
  readonly term: Term;
  readonly vote: NodeId;
  /** The leader this node knows for `term` (itself when leader), or None. */
  readonly leader: NodeId;
  readonly commit: LogIndex;
  readonly applied: LogIndex;
  readonly lastIndex: LogIndex;
  readonly lastTerm: Term;
  /** Ticks since the election timer was last reset, and the randomized timeout it runs to. */
  readonly electionElapsed: number;
  readonly randomizedElectionTimeout: number;
  /** Leader only: ticks since a quorum was last known active (the CheckQuorum lease), else 0. */
  readonly leaseElapsed: number;
  /** Leader only: the transfer target, else None. */
  readonly transferee: NodeId;
  /** Leader only: one row per other peer, ascending; empty otherwise. */
  readonly progress: readonly ProgressView[];
}

/**
 * The output batch (etcd's Ready). The host must, in this order:
 *   1. persist `hardState` (if set) and `append` (if set: truncate the log at `append.from`, then write the
 *      entries), before 2. sending `messages` ("persist before you send", Raft Figure 2 / thesis §3.8),
 *   3. apply `committed` in order, 4. serve `readStates`, 5. call `advance()`.
 */
export interface Ready {
  readonly hardState?: HardState;
  /** Log write: entries at index >= from are discarded first, then `entries` (starting at `from`) written. */
  readonly append?: { readonly from: LogIndex; readonly entries: readonly Entry[] };
  readonly messages: readonly Message[];
  /** Newly committed entries to apply, ascending, contiguous. */
  readonly committed: readonly Entry[];
  readonly readStates: readonly ReadState[];
  readonly readFailures: readonly ReadFailure[];
  /** Why things happened in this batch, in order, as data (see explain.ts for plain English). */
  readonly explanations: readonly Explanation[];
}

/**
 * One decision a student would ask "why?" about. A tagged union; `formatExplanation` in explain.ts turns
 * it into plain English. The core fills `node` with its own id.
 */
export type Explanation =
  /** The election timer ran out (or the host forced it; `timeoutNowFrom` when a leader handed over, thesis §3.10). */
  | { kind: 'timerFired'; node: NodeId; term: Term; preVote: boolean; timeoutNowFrom?: NodeId }
  /**
   * The host forced the election timer (`campaign()`), but with lease reads the node is inside a leader's lease:
   * it heard from `leader` `leaderHeardTicksAgo` ticks ago, within the election timeout, so it does not campaign.
   */
  | { kind: 'campaignRefused'; node: NodeId; term: Term; reason: 'leaderLease'; leader: NodeId; leaderHeardTicksAgo: number }
  | { kind: 'campaignStarted'; node: NodeId; term: Term; preVote: boolean; transfer: boolean }
  | { kind: 'voteGranted'; node: NodeId; candidate: NodeId; term: Term; preVote: boolean }
  | {
      kind: 'voteRefused'; node: NodeId; candidate: NodeId; term: Term; preVote: boolean;
      /**
       * staleTerm: the request's term is below ours (`myTerm`); alreadyVoted: we voted for `votedFor` in this term;
       * leaderKnown: we follow `leader` in this term, so an election in it is moot; logNotUpToDate: §5.4.1, with
       * both logs' last (term, index); leaderLease: we heard from `leader` `leaderHeardTicksAgo` ticks ago, within
       * the election timeout (CheckQuorum / thesis §9.6), so the request is ignored without an answer.
       */
      reason: 'staleTerm' | 'alreadyVoted' | 'logNotUpToDate' | 'leaderLease' | 'leaderKnown';
      votedFor?: NodeId; myLastTerm?: Term; myLastIndex?: LogIndex; theirLastTerm?: Term; theirLastIndex?: LogIndex;
      myTerm?: Term; leader?: NodeId; leaderHeardTicksAgo?: number;
    }
  | { kind: 'electionWon'; node: NodeId; term: Term; preVote: boolean; voters: NodeId[] }
  | { kind: 'electionLost'; node: NodeId; term: Term; preVote: boolean; rejecters: NodeId[] }
  | { kind: 'becameFollower'; node: NodeId; term: Term; leader: NodeId }
  /** `from`: the sender of the higher term or of the leader's message; `active`: the nodes a quorum-lost leader still heard from. */
  | { kind: 'steppedDown'; node: NodeId; term: Term; reason: 'higherTerm' | 'quorumLost' | 'leaderSeen'; from?: NodeId; active?: NodeId[] }
  | { kind: 'appendRejected'; node: NodeId; leader: NodeId; term: Term; prevLogIndex: LogIndex; prevLogTerm: Term; hintTerm: Term; hintIndex: LogIndex }
  | { kind: 'entriesTruncated'; node: NodeId; from: LogIndex; count: number; leader?: NodeId }
  /**
   * `entryTerm` is set only when the committed entry is not of the current term, which only the unsafe
   * `commitOldTerm` allows (Figure 8): the sentence must not claim the §5.4.2 reason then.
   */
  | { kind: 'commitAdvanced'; node: NodeId; term: Term; commit: LogIndex; holders: NodeId[]; entryTerm?: Term }
  | { kind: 'staleMessageIgnored'; node: NodeId; term: Term; from: NodeId; msgType: MessageType; msgTerm: Term }
  /** A message not addressed to this node, or from a node outside the cluster. */
  | { kind: 'foreignMessageIgnored'; node: NodeId; from: NodeId; to: NodeId; msgType: MessageType }
  | { kind: 'proposalRejected'; node: NodeId; reason: 'noLeader' | 'transferring' | 'forwardingDisabled'; leader: NodeId }
  | { kind: 'proposalForwarded'; node: NodeId; leader: NodeId }
  | { kind: 'transferStarted'; node: NodeId; term: Term; transferee: NodeId }
  | { kind: 'transferAborted'; node: NodeId; term: Term; transferee: NodeId; reason: string }
  | { kind: 'timeoutNowSent'; node: NodeId; term: Term; transferee: NodeId }
  /** `requester`: the node whose client asked (this node, or a follower that forwarded the read). */
  | { kind: 'readConfirmed'; node: NodeId; term: Term; index: LogIndex; via: 'readIndex' | 'lease'; acks: NodeId[]; context?: string; requester?: NodeId }
  | { kind: 'readRejected'; node: NodeId; reason: string; context?: string };
