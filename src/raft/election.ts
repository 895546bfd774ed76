/**
 * Leader election (Raft §5.2), the election restriction (§5.4.1) and its PreVote phase (thesis §9.6).
 */
import { voteResult } from './quorum.ts';
import type { Raft } from './raft.ts';
import type { MsgVote, MsgVoteResp } from './types.ts';
import { None } from './types.ts';

/**
 * The election timer fired (or the host forced it, or a leader handed over with TimeoutNow): start a
 * pre-vote when PreVote is on, else a real election. `transfer` campaigns skip the pre-vote and override
 * the voters' leader lease (thesis §3.10: the old leader asked for this election).
 */
export function hup(r: Raft, transfer: boolean): void {
  if (r.role === 'leader') return;
  if (r.config.preVote && !transfer) campaign(r, true, false);
  else campaign(r, false, transfer);
}

function campaign(r: Raft, preVote: boolean, transfer: boolean): void {
  if (preVote) r.becomePreCandidate();
  else r.becomeCandidate();
  // A pre-vote asks "would you vote for me at term + 1?" without moving our own term (thesis §9.6).
  const voteTerm = preVote ? r.term + 1 : r.term;
  r.explain({ kind: 'campaignStarted', node: r.id, term: voteTerm, preVote, transfer });
  r.votes[r.id] = 1;
  if (tally(r, preVote)) return; // a single-node cluster wins on its own vote
  const lastLogIndex = r.log.lastIndex;
  const lastLogTerm = r.log.lastTerm;
  const type = preVote ? 'MsgPreVote' : 'MsgVote';
  for (const p of r.peers) {
    if (p === r.id) continue;
    r.send({ type, from: r.id, to: p, term: voteTerm, lastLogIndex, lastLogTerm, transfer });
  }
}

/**
 * Decides a (pre-)vote request whose term is not stale. Rules: one vote per term, first come first served
 * (§5.2), only for a log at least as up to date as ours (§5.4.1). A pre-vote records nothing.
 */
export function handleVoteRequest(r: Raft, m: MsgVote): void {
  const preVote = m.type === 'MsgPreVote';
  const respType = preVote ? 'MsgPreVoteResp' : 'MsgVoteResp';
  // We may vote when we already voted for this candidate, or have neither voted nor learned of a leader in
  // this term; a pre-vote for a later term is always open (nothing is recorded for it).
  const canVote = r.vote === m.from || (r.vote === None && r.leader === None) || (preVote && m.term > r.term);
  if (!canVote) {
    const alreadyVoted = r.vote !== None;
    r.explain({
      kind: 'voteRefused', node: r.id, candidate: m.from, term: m.term, preVote,
      reason: alreadyVoted ? 'alreadyVoted' : 'leaderKnown',
      votedFor: alreadyVoted ? r.vote : undefined, leader: r.leader,
    });
    r.send({ type: respType, from: r.id, to: m.from, term: r.term, reject: true });
    return;
  }
  const upToDate = r.config.unsafe.skipUpToDateCheck || r.log.isUpToDate(m.lastLogIndex, m.lastLogTerm);
  if (!upToDate) {
    r.explain({
      kind: 'voteRefused', node: r.id, candidate: m.from, term: m.term, preVote, reason: 'logNotUpToDate',
      myLastTerm: r.log.lastTerm, myLastIndex: r.log.lastIndex, theirLastTerm: m.lastLogTerm, theirLastIndex: m.lastLogIndex,
    });
    r.send({ type: respType, from: r.id, to: m.from, term: r.term, reject: true });
    return;
  }
  r.explain({ kind: 'voteGranted', node: r.id, candidate: m.from, term: m.term, preVote });
  if (!preVote) {
    // The vote goes into HardState; RawNode persists it before this response may leave (Figure 2).
    r.vote = m.from;
    // Granting a vote restarts the timer, so we do not start a rival election right away (§5.2).
    r.resetElectionTimer();
  }
  // A granted pre-vote answers at the candidate's proposed term, so the candidate can tell it apart from a
  // stale answer; a refusal answers at our own term, which may teach the candidate a newer one.
  r.send({ type: respType, from: r.id, to: m.from, term: m.term, reject: false });
}

/** Counts a (pre-)vote response for the campaign under way. */
export function handleVoteResponse(r: Raft, m: MsgVoteResp): void {
  const preVote = m.type === 'MsgPreVoteResp';
  if (preVote !== (r.role === 'precandidate')) return; // an answer to a campaign we are no longer running
  // A grant names the term we proposed; one at any other term answers an earlier pre-vote round.
  if (preVote && !m.reject && m.term !== r.term + 1) return;
  if (r.votes[m.from] === 0) r.votes[m.from] = m.reject ? -1 : 1;
  tally(r, preVote);
}

/** Acts on the votes so far; returns true when the campaign ended (won or lost). */
function tally(r: Raft, preVote: boolean): boolean {
  let granted = 0;
  let rejected = 0;
  for (const p of r.peers) {
    const v = r.votes[p];
    if (v === 1) granted++;
    else if (v === -1) rejected++;
  }
  const result = voteResult(r.peers.length, granted, rejected);
  const term = preVote ? r.term + 1 : r.term;
  if (result === 'won') {
    r.explain({ kind: 'electionWon', node: r.id, term, preVote, voters: r.peers.filter((p) => r.votes[p] === 1) });
    if (preVote) campaign(r, false, false);
    else r.becomeLeader();
    return true;
  }
  if (result === 'lost') {
    r.explain({ kind: 'electionLost', node: r.id, term, preVote, rejecters: r.peers.filter((p) => r.votes[p] === -1) });
    r.becomeFollower(r.term, None);
    return true;
  }
  return false;
}
