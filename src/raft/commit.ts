/**
 * The commit rule (Raft §5.3, §5.4.2): a leader commits index N once a majority holds it AND the entry at N is
 * of the leader's current term. Earlier-term entries are committed only indirectly, by Log Matching, when a
 * current-term entry after them commits; counting their replicas is not enough (Figure 8).
 */
import { majorityValue } from './quorum.ts';
import { releaseWaitingReads } from './reads.ts';
import type { Raft } from './raft.ts';

/** Leader: advances the commit index if a majority allows it. Returns true when it advanced. */
export function maybeCommit(r: Raft): boolean {
  const peers = r.peers;
  const matches = r.scratchValues;
  for (let i = 0; i < peers.length; i++) matches[i] = r.progress[peers[i]].match;
  const index = majorityValue(matches, r.scratchSorted);
  if (index <= r.log.commit) return false;
  // §5.4.2: only an entry of the current term is committed by counting replicas. The unsafe variant drops
  // this check and can lose a "committed" entry (Figure 8 (c)-(d)).
  if (r.log.termAt(index) !== r.term && !r.config.unsafe.commitOldTerm) return false;
  const entryTerm = r.log.termAt(index);
  const wasCommittedInTerm = r.committedInCurrentTerm();
  r.log.commitTo(index);
  r.explain({
    kind: 'commitAdvanced', node: r.id, term: r.term, commit: index,
    holders: peers.filter((p) => r.progress[p].match >= index),
    ...(entryTerm !== r.term ? { entryTerm } : {}),
  });
  // thesis §6.4: reads wait until the new leader's commit index is known current (an entry of its term committed).
  if (!wasCommittedInTerm && r.committedInCurrentTerm()) releaseWaitingReads(r);
  return true;
}
