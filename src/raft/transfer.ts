/**
 * Leadership transfer (thesis §3.10): the leader stops taking proposals, brings the target's log up to date,
 * then sends it TimeoutNow so it campaigns at once (its vote requests override the voters' leader lease). If
 * the target has not taken over within an election timeout, the leader aborts and resumes.
 */
import { hup } from './election.ts';
import { sendAppend } from './replication.ts';
import type { Raft } from './raft.ts';
import type { NodeId } from './types.ts';
import { None } from './types.ts';

/** A transfer requested on this node by its host, or forwarded by a follower (MsgTransferLeader). */
export function handleTransferRequest(r: Raft, from: NodeId, transferee: NodeId): void {
  if (r.role !== 'leader') {
    if (r.leader !== None && r.leader !== from) {
      r.send({ type: 'MsgTransferLeader', from: r.id, to: r.leader, term: r.term, transferee });
    } else {
      r.explain({ kind: 'transferAborted', node: r.id, term: r.term, transferee, reason: 'no leader known' });
    }
    return;
  }
  if (transferee === r.id) {
    r.explain({ kind: 'transferAborted', node: r.id, term: r.term, transferee, reason: 'already the leader' });
    return;
  }
  if (!r.isPeer(transferee)) {
    r.explain({ kind: 'transferAborted', node: r.id, term: r.term, transferee, reason: 'not a member of the cluster' });
    return;
  }
  if (r.transferee === transferee) return; // already under way
  if (r.transferee !== None) abortTransfer(r, `superseded by a transfer to S${transferee}`);
  r.transferee = transferee;
  // The transfer must finish within one election timeout: the leader's timer measures it from now.
  r.electionElapsed = 0;
  r.explain({ kind: 'transferStarted', node: r.id, term: r.term, transferee });
  if (r.progress[transferee].match === r.log.lastIndex) sendTimeoutNow(r);
  else sendAppend(r, transferee, true);
}

/** Leader: the transferee acknowledged entries; once it holds our whole log, tell it to campaign. */
export function maybeSendTimeoutNow(r: Raft, from: NodeId): void {
  if (from === r.transferee && r.progress[from].match === r.log.lastIndex) sendTimeoutNow(r);
}

function sendTimeoutNow(r: Raft): void {
  // From here on this leader's lease is void for the rest of its term (reads.ts, leaseHolders).
  r.timeoutNowSentInTerm = true;
  r.explain({ kind: 'timeoutNowSent', node: r.id, term: r.term, transferee: r.transferee });
  r.send({ type: 'MsgTimeoutNow', from: r.id, to: r.transferee, term: r.term });
}

/** Leader: gives up the transfer and takes proposals again. */
export function abortTransfer(r: Raft, reason: string): void {
  r.explain({ kind: 'transferAborted', node: r.id, term: r.term, transferee: r.transferee, reason });
  r.transferee = None;
}

/** Follower: the leader hands over; campaign now, skipping PreVote (thesis §3.10). */
export function handleTimeoutNow(r: Raft, from: NodeId): void {
  r.explain({ kind: 'timerFired', node: r.id, term: r.term, preVote: false, timeoutNowFrom: from });
  hup(r, true);
}
