/**
 * Log replication (Raft §5.3): the leader's AppendEntries and heartbeats, the follower's consistency check,
 * truncation of conflicting entries and the fast-backup hint, and the leader's handling of the replies.
 */
import { InvariantError } from './assert.ts';
import { maybeCommit } from './commit.ts';
import { onRoundAcknowledged } from './reads.ts';
import { maybeSendTimeoutNow } from './transfer.ts';
import type { Raft } from './raft.ts';
import type { Entry, MsgApp, MsgAppResp, MsgHeartbeat, MsgHeartbeatResp, NodeId } from './types.ts';

const NO_ENTRIES: readonly Entry[] = [];

/** Leader: appends new entries of the current term to its own log (§5.3 "appends the command to its log"). */
export function appendLocal(r: Raft, data: readonly (string | null)[]): void {
  // Invariant: only a leader appends on its own, at its current term (§5.3).
  if (r.role !== 'leader') throw new InvariantError(`appendLocal: S${r.id} is ${r.role}, not leader`);
  let index = r.log.lastIndex;
  for (let i = 0; i < data.length; i++) {
    index++;
    r.log.push({ index, term: r.term, data: data[i] });
  }
  r.progress[r.id].maybeUpdate(index);
  // Alone in the cluster, our own copy is a majority.
  maybeCommit(r);
}

/**
 * Leader: sends `to` the next MsgApp its progress allows. With `sendIfEmpty` an empty one goes out too (a
 * probe, or news of a higher commit index). Returns whether a message was sent.
 */
export function sendAppend(r: Raft, to: NodeId, sendIfEmpty: boolean): boolean {
  const pr = r.progress[to];
  if (pr.isPaused()) return false;
  const lastIndex = r.log.lastIndex;
  const hasEntries = pr.next <= lastIndex;
  if (!hasEntries && !sendIfEmpty) return false;
  const prevLogIndex = pr.next - 1;
  const prevLogTerm = r.log.termAt(prevLogIndex)!;
  const entries = hasEntries ? r.log.slice(pr.next, pr.next + r.config.maxEntriesPerMsg - 1) : NO_ENTRIES;
  r.send({ type: 'MsgApp', from: r.id, to, term: r.term, prevLogIndex, prevLogTerm, entries, commit: r.log.commit });
  if (pr.state === 'replicate') {
    if (entries.length > 0) {
      // Optimistic: assume it arrives, and stream the next batch without waiting (bounded by inflights).
      const last = entries[entries.length - 1].index;
      pr.next = last + 1;
      pr.inflights.add(last);
      pr.checkInvariant();
    }
  } else {
    pr.probeSent = true;
  }
  return true;
}

/** Leader: sends every follower what it is missing (or the new commit index). */
export function bcastAppend(r: Raft): void {
  for (const p of r.peers) if (p !== r.id) sendAppend(r, p, true);
}

/**
 * Leader: heartbeats (§5.2) for read round `round`. The commit index is capped at the follower's match: a
 * follower must not commit an index it does not yet hold the leader's entry for.
 */
export function bcastHeartbeat(r: Raft, round: number): void {
  const commit = r.log.commit;
  for (const p of r.peers) {
    if (p === r.id) continue;
    const match = r.progress[p].match;
    r.send({ type: 'MsgHeartbeat', from: r.id, to: p, term: r.term, commit: match < commit ? match : commit, readRound: round });
  }
}

/** Follower: the AppendEntries receiver rules of Figure 2. */
export function handleAppendEntries(r: Raft, m: MsgApp): void {
  const log = r.log;
  if (m.prevLogIndex < log.commit) {
    // Everything up to our commit index is already the leader's (Log Matching); say how far we are.
    reply(r, m.from, log.commit);
    return;
  }
  if (!log.matchTerm(m.prevLogIndex, m.prevLogTerm)) {
    rejectAppend(r, m);
    return;
  }
  const conflict = log.findConflict(m.entries);
  if (conflict !== undefined) {
    const first = m.entries[conflict].index;
    const lastIndex = log.lastIndex;
    if (first <= lastIndex && r.config.unsafe.noTruncate) {
      // Unsafe variant: keep our conflicting entries and only take what lies beyond our end.
      for (let i = conflict; i < m.entries.length; i++) if (m.entries[i].index > lastIndex) log.push(m.entries[i]);
    } else {
      if (first <= lastIndex) {
        // §5.3: "If an existing entry conflicts with a new one, delete the existing entry and all that follow it".
        r.explain({ kind: 'entriesTruncated', node: r.id, from: first, count: lastIndex - first + 1, leader: m.from });
        log.truncateFrom(first);
      }
      for (let i = conflict; i < m.entries.length; i++) log.push(m.entries[i]);
    }
  }
  const lastNewIndex = m.prevLogIndex + m.entries.length;
  // Figure 2: commitIndex = min(leaderCommit, index of last new entry) — not our last index, which may hold
  // entries beyond this message that the leader has not vouched for.
  const commit = m.commit < lastNewIndex ? m.commit : lastNewIndex;
  if (commit > log.commit) log.commitTo(commit);
  reply(r, m.from, lastNewIndex);
}

function reply(r: Raft, to: NodeId, index: number): void {
  r.send({ type: 'MsgAppResp', from: r.id, to, term: r.term, index, reject: false, hintTerm: 0, hintIndex: 0 });
}

/**
 * Follower: the consistency check failed. The hint names the term of our entry at prevLogIndex and the first
 * index we hold of that term, so the leader can skip a whole term per round trip (§5.3, "fast backup").
 */
function rejectAppend(r: Raft, m: MsgApp): void {
  const log = r.log;
  let hintTerm = 0;
  let hintIndex = log.lastIndex + 1;
  if (m.prevLogIndex <= log.lastIndex) {
    hintTerm = log.termAt(m.prevLogIndex)!;
    hintIndex = log.firstIndexOfTerm(m.prevLogIndex);
  }
  r.explain({
    kind: 'appendRejected', node: r.id, leader: m.from, term: r.term, prevLogIndex: m.prevLogIndex, prevLogTerm: m.prevLogTerm,
    hintTerm, hintIndex,
  });
  r.send({ type: 'MsgAppResp', from: r.id, to: m.from, term: r.term, index: m.prevLogIndex, reject: true, hintTerm, hintIndex });
}

/** Follower: a heartbeat proves the leader alive and may carry a higher commit index (§5.2). */
export function handleHeartbeat(r: Raft, m: MsgHeartbeat): void {
  const log = r.log;
  // The leader caps this at our match index, so we hold its entries up to there; the min is a guard.
  const commit = m.commit < log.lastIndex ? m.commit : log.lastIndex;
  if (commit > log.commit) log.commitTo(commit);
  r.send({ type: 'MsgHeartbeatResp', from: r.id, to: m.from, term: r.term, readRound: m.readRound });
}

/** Leader: a follower accepted or rejected an append. */
export function handleAppendResponse(r: Raft, m: MsgAppResp): void {
  const pr = r.progress[m.from];
  pr.recentActive = true;
  if (m.reject) {
    if (pr.maybeDecrTo(m.index, nextFromHint(r, m))) sendAppend(r, m.from, true);
    return;
  }
  // An acknowledgement beyond our log cannot come from a follower that shares our committed prefix; only an
  // unsafe variant produces one. Ignore it rather than corrupt the progress.
  if (m.index > r.log.lastIndex) return;
  if (!pr.maybeUpdate(m.index)) return;
  if (pr.state === 'probe') pr.becomeReplicate();
  else pr.inflights.freeLE(m.index);
  if (maybeCommit(r)) bcastAppend(r);
  // Stream whatever the window now allows.
  while (sendAppend(r, m.from, false));
  maybeSendTimeoutNow(r, m.from);
}

/**
 * Where the leader should probe next after a rejection: past the last entry it holds of the follower's
 * conflicting term when it has that term, else at the first index the follower holds of it.
 */
function nextFromHint(r: Raft, m: MsgAppResp): number {
  if (m.hintTerm === 0) return m.hintIndex;
  const last = r.log.lastIndexOfTerm(m.hintTerm, m.index);
  return last !== undefined ? last + 1 : m.hintIndex;
}

/** Leader: a heartbeat reply shows the follower alive; it may need entries, and it confirms a read round. */
export function handleHeartbeatResponse(r: Raft, m: MsgHeartbeatResp): void {
  const pr = r.progress[m.from];
  pr.recentActive = true;
  pr.probeSent = false;
  // A reply may have been lost while the window was full: free a slot so replication cannot stall.
  if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirstOne();
  if (pr.match < r.log.lastIndex) sendAppend(r, m.from, true);
  if (m.readRound > pr.ackedRound) {
    pr.ackedRound = m.readRound;
    onRoundAcknowledged(r);
  }
}
