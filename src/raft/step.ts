/**
 * How a node steps a message, shaped like etcd-io/raft's `Step`: the term check every message goes through first
 * (§5.1, with the exceptions of thesis §9.6 and the follower lease), the messages every role handles alike (votes,
 * proposals, reads, transfers), then one step function per role (`stepLeader`, `stepFollower`, `stepCandidate`)
 * that hands the message to its rule's file (election.ts, replication.ts, reads.ts, transfer.ts). Apart from
 * raft.ts, which holds the state these functions change, so the dispatch reads in one place.
 */
import { handleVoteRequest, handleVoteResponse } from './election.ts';
import { inFollowerLease } from './checkQuorum.ts';
import {
  appendLocal, bcastAppend, handleAppendEntries, handleAppendResponse, handleHeartbeat, handleHeartbeatResponse,
} from './replication.ts';
import { handleReadIndexRequest, handleReadIndexResponse } from './reads.ts';
import { handleTransferRequest, handleTimeoutNow } from './transfer.ts';
import type { Raft } from './raft.ts';
import type { Message, MsgProp, NodeId } from './types.ts';
import { None } from './types.ts';

export function stepMessage(r: Raft, m: Message): void {
  if (m.to !== r.id || !r.isPeer(m.from)) {
    r.explain({ kind: 'foreignMessageIgnored', node: r.id, from: m.from, to: m.to, msgType: m.type });
    return;
  }
  if (m.term > r.term) {
    if (!stepHigherTerm(r, m)) return;
  } else if (m.term < r.term) {
    stepLowerTerm(r, m);
    return;
  }

  switch (m.type) {
    case 'MsgVote':
    case 'MsgPreVote':
      handleVoteRequest(r, m);
      return;
    case 'MsgProp':
      stepProposal(r, m);
      return;
    case 'MsgReadIndex':
      handleReadIndexRequest(r, m.from, m.context);
      return;
    case 'MsgTransferLeader':
      handleTransferRequest(r, m.from, m.transferee);
      return;
    default:
      break;
  }
  if (r.role === 'leader') stepLeader(r, m);
  else if (r.role === 'follower') stepFollower(r, m);
  else stepCandidate(r, m);
}

/**
 * A message from a higher term (§5.1: "If RPC request or response contains term T > currentTerm: set
 * currentTerm = T, convert to follower"), with the exceptions of thesis §9.6 and the follower lease.
 * Returns false when the message is to be dropped.
 */
function stepHigherTerm(r: Raft, m: Message): boolean {
  if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
    if (!m.transfer && inFollowerLease(r, m.type)) {
      r.explain({
        kind: 'voteRefused', node: r.id, candidate: m.from, term: m.term, preVote: m.type === 'MsgPreVote',
        reason: 'leaderLease', leader: r.role === 'leader' ? r.id : r.leaseLeader,
        leaderHeardTicksAgo: r.role === 'leader' ? 0 : r.leaderContactElapsed,
      });
      return false;
    }
    // A pre-vote request does not move our term: the candidate has not moved its own either.
    if (m.type === 'MsgPreVote') return true;
  }
  // A granted pre-vote answers at the term the pre-candidate proposed; it is not a newer leader's term.
  if (m.type === 'MsgPreVoteResp' && !m.reject) return true;

  const wasRole = r.role;
  const leader = m.type === 'MsgApp' || m.type === 'MsgHeartbeat' ? m.from : None;
  if (wasRole !== 'follower') {
    r.explain({ kind: 'steppedDown', node: r.id, term: m.term, reason: 'higherTerm', from: m.from });
  }
  r.becomeFollower(m.term, leader);
  return true;
}

/** A message from an older term (§5.1: "If a server receives a request with a stale term number, it rejects the request"). */
function stepLowerTerm(r: Raft, m: Message): void {
  if ((r.config.checkQuorum || r.config.preVote) && (m.type === 'MsgApp' || m.type === 'MsgHeartbeat')) {
    // A deposed leader cut off by CheckQuorum or PreVote may never see our higher term otherwise (our
    // pre-votes do not carry it, and we may ignore its messages forever): tell it, so it steps down.
    r.send({
      type: 'MsgAppResp', from: r.id, to: m.from, term: r.term, index: 0, reject: false, hintTerm: 0, hintIndex: 0,
    });
  } else if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
    const preVote = m.type === 'MsgPreVote';
    r.explain({
      kind: 'voteRefused', node: r.id, candidate: m.from, term: m.term, preVote, reason: 'staleTerm', myTerm: r.term,
    });
    r.send({ type: preVote ? 'MsgPreVoteResp' : 'MsgVoteResp', from: r.id, to: m.from, term: r.term, reject: true });
    return;
  }
  r.explain({ kind: 'staleMessageIgnored', node: r.id, term: r.term, from: m.from, msgType: m.type, msgTerm: m.term });
}

function stepProposal(r: Raft, m: MsgProp): void {
  if (r.role === 'leader') {
    if (r.transferee !== None) {
      r.explain({ kind: 'proposalRejected', node: r.id, reason: 'transferring', leader: r.id });
      return;
    }
    appendLocal(r, m.data);
    bcastAppend(r);
    return;
  }
  // A proposal forwarded to a node that is no longer leader is dropped: the client will retry (etcd does the same).
  if (r.leader === None || r.config.disableProposalForwarding) {
    r.explain({ kind: 'proposalRejected', node: r.id, reason: r.leader === None ? 'noLeader' : 'forwardingDisabled', leader: r.leader });
    return;
  }
  r.send({ type: 'MsgProp', from: r.id, to: r.leader, term: r.term, data: m.data });
  r.explain({ kind: 'proposalForwarded', node: r.id, leader: r.leader });
}

function stepLeader(r: Raft, m: Message): void {
  switch (m.type) {
    case 'MsgAppResp':
      handleAppendResponse(r, m);
      return;
    case 'MsgHeartbeatResp':
      handleHeartbeatResponse(r, m);
      return;
    default:
      // Vote responses from a finished election, a TimeoutNow for a leader, etc.
      return;
  }
}

function stepFollower(r: Raft, m: Message): void {
  switch (m.type) {
    case 'MsgApp':
      heardFromLeader(r, m.from);
      handleAppendEntries(r, m);
      return;
    case 'MsgHeartbeat':
      heardFromLeader(r, m.from);
      handleHeartbeat(r, m);
      return;
    case 'MsgTimeoutNow':
      handleTimeoutNow(r, m.from);
      return;
    case 'MsgReadIndexResp':
      handleReadIndexResponse(r, m);
      return;
    default:
      return;
  }
}

function stepCandidate(r: Raft, m: Message): void {
  switch (m.type) {
    case 'MsgApp':
    case 'MsgHeartbeat':
      // §5.2: "If AppendEntries RPC received from new leader: convert to follower". Same term, so a leader
      // exists for it and our campaign is moot (a pre-candidate's term is the leader's term here).
      r.explain({ kind: 'steppedDown', node: r.id, term: r.term, reason: 'leaderSeen', from: m.from });
      r.becomeFollower(r.term, m.from);
      stepFollower(r, m);
      return;
    case 'MsgVoteResp':
    case 'MsgPreVoteResp':
      handleVoteResponse(r, m);
      return;
    default:
      return;
  }
}

/** A message from the current leader: it is alive, so the election timer restarts (§5.2). */
function heardFromLeader(r: Raft, from: NodeId): void {
  r.resetElectionTimer();
  r.leaderContactElapsed = 0;
  r.leaseLeader = from;
  if (r.leader !== from) {
    r.reads.failForwarded(r, 'leader changed');
    r.leader = from;
    r.explain({ kind: 'becameFollower', node: r.id, term: r.term, leader: from });
  }
}
