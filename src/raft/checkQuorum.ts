/**
 * CheckQuorum (thesis §6.2) and its follower-side twin, the leader lease on votes (thesis §4.2.3, §9.6).
 *
 * Leader side: once per election timeout the leader checks that a majority was heard from since the last
 * check; if not, it steps down, so a partitioned leader stops believing it leads (and stops serving reads).
 * Follower side: a node that heard from a live leader less than an election timeout ago ignores (pre-)vote
 * requests, so a node that was cut off cannot disrupt a healthy cluster when it comes back.
 */
import { quorumSize } from './quorum.ts';
import type { Raft } from './raft.ts';
import type { MessageType } from './types.ts';
import { None } from './types.ts';

/**
 * Whether this node is inside a live leader's lease and must ignore a (pre-)vote request of a higher term.
 * Real votes: only with CheckQuorum (the lease is what makes ignoring them safe for liveness: a leader that
 * lost its quorum steps down within an election timeout). Pre-votes: also with PreVote alone, as thesis §9.6
 * specifies ("the voters have not received heartbeats from a valid leader for at least a baseline election
 * timeout").
 */
export function inFollowerLease(r: Raft, type: MessageType): boolean {
  const enabled = r.config.checkQuorum || (type === 'MsgPreVote' && r.config.preVote);
  if (!enabled) return false;
  // A leader is its own lease (its CheckQuorum round ends its leadership when the lease is gone).
  if (r.role === 'leader') return true;
  // Measured from the last contact with a leader, not from `leader`/`electionElapsed`: a (pre-)candidate has
  // cleared its leader, and granting a vote restarts the election timer, yet the lease it acknowledged still runs
  // (thesis §6.4.1: while any follower could be inside a leader's lease, no vote that could elect another leader
  // is granted). A node whose election timer ran out naturally is past its lease anyway (its timer was reset at
  // its last contact with the leader and runs at least electionTick), so this differs from etcd's rule only after
  // a forced campaign, a granted transfer vote, or a restart (raft.ts, leaderContactElapsed).
  return r.leaderContactElapsed < r.config.electionTick;
}

/**
 * The leader's CheckQuorum round, run every election timeout. Returns false when the leader stepped down.
 */
export function checkQuorumRound(r: Raft): boolean {
  const active: number[] = [];
  for (const p of r.peers) {
    const pr = r.progress[p];
    if (p === r.id || pr.recentActive) active.push(p);
    if (p !== r.id) pr.recentActive = false;
  }
  if (active.length >= quorumSize(r.peers.length)) return true;
  r.explain({ kind: 'steppedDown', node: r.id, term: r.term, reason: 'quorumLost', active });
  r.becomeFollower(r.term, None);
  return false;
}
