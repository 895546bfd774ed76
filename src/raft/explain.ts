/**
 * Plain English for the core's explanation records: the narration a student reads beside the paper. Nodes
 * are named S1..SN, as everywhere in the UI.
 */
import type { Explanation, LogIndex, NodeId, Term } from './types.ts';

/** "S3" for node 3, "nobody" for None. */
export function nodeName(id: NodeId): string {
  return id === 0 ? 'nobody' : `S${id}`;
}

function nodeSet(ids: readonly NodeId[]): string {
  return `{${ids.map(nodeName).join(',')}}`;
}

function position(term: Term | undefined, index: LogIndex | undefined): string {
  return `(term ${term ?? '?'}, index ${index ?? '?'})`;
}

/** Why a node is inside a leader's lease (checkQuorum.ts). */
function leaseReason(node: NodeId, leader: NodeId, ticksAgo: number | undefined): string {
  // A leader with CheckQuorum keeps its lease until its own quorum check fails (it may not know a newer term yet).
  if (leader === node) return 'it is the leader itself, and a leader keeps its lease until its quorum check fails';
  if (leader === 0) {
    return `it restarted ${ticksAgo ?? '?'} ticks ago, within the election timeout, and may have acknowledged a leader's lease just before`;
  }
  return `it heard from leader ${nodeName(leader)} ${ticksAgo ?? '?'} ticks ago, within the election timeout`;
}

/** One sentence saying what happened and why. */
// One case per Explanation kind: the switch is the table, and splitting it would scatter the sentences a reader
// compares side by side (docs/architecture.md, "Sizes").
// eslint-disable-next-line max-lines-per-function -- the one exception to the size rule, see above
export function formatExplanation(e: Explanation): string {
  const me = nodeName(e.node);
  switch (e.kind) {
    case 'timerFired':
      if (e.timeoutNowFrom !== undefined) {
        return `${me} was told by leader ${nodeName(e.timeoutNowFrom)} to campaign now (leadership transfer)`;
      }
      return `${me}'s election timer fired in term ${e.term} without hearing from a leader; it starts ${e.preVote ? 'a pre-vote' : 'an election'}`;
    case 'campaignRefused':
      return `${me}'s election timer was forced, but ${me} does not campaign (lease reads): ${leaseReason(e.node, e.leader, e.leaderHeardTicksAgo)}`;
    case 'campaignStarted':
      if (e.preVote) return `${me} asks for pre-votes for term ${e.term} (its own term stays ${e.term - 1} until a majority agrees)`;
      return `${me} becomes candidate in term ${e.term}, votes for itself and requests votes${e.transfer ? ' (leadership transfer: peers skip their leader lease)' : ''}`;
    case 'voteGranted':
      return `${me} grants ${e.preVote ? 'a pre-vote' : 'its vote'} to ${nodeName(e.candidate)} for term ${e.term}`;
    case 'voteRefused': {
      const refuses = `${me} refuses ${nodeName(e.candidate)}${e.preVote ? ' a pre-vote' : ''}`;
      const them = nodeName(e.candidate);
      switch (e.reason) {
        case 'staleTerm':
          return `${refuses}: its term ${e.term} is older than ${me}'s term${e.myTerm !== undefined ? ` ${e.myTerm}` : ''}`;
        case 'alreadyVoted':
          return `${refuses}: ${me} already voted for ${nodeName(e.votedFor ?? 0)} in term ${e.term}`;
        case 'leaderKnown':
          return `${refuses}: ${me} already follows leader ${nodeName(e.leader ?? 0)} in term ${e.term}`;
        case 'logNotUpToDate':
          return `${refuses}: ${me}'s log ${position(e.myLastTerm, e.myLastIndex)} is more up to date than ${them}'s ${position(e.theirLastTerm, e.theirLastIndex)}`;
        case 'leaderLease':
          return `${me} ignores ${them}'s ${e.preVote ? 'pre-vote' : 'vote'} request for term ${e.term}: ${leaseReason(e.node, e.leader ?? 0, e.leaderHeardTicksAgo)}`;
      }
      break;
    }
    case 'electionWon':
      return e.preVote
        ? `${me} won the pre-vote for term ${e.term} with ${nodeSet(e.voters)}; it now starts the real election`
        : `${me} won the election for term ${e.term} with votes from ${nodeSet(e.voters)} and becomes leader`;
    case 'electionLost':
      return `${me} lost the ${e.preVote ? 'pre-vote' : 'election'} for term ${e.term}: ${nodeSet(e.rejecters)} refused, so a majority is out of reach`;
    case 'becameFollower':
      return `${me} follows leader ${nodeName(e.leader)} in term ${e.term}`;
    case 'steppedDown':
      switch (e.reason) {
        case 'higherTerm':
          return `${me} steps down: ${e.from !== undefined ? `${nodeName(e.from)} has` : 'it saw'} the higher term ${e.term}`;
        case 'quorumLost':
          return `${me} steps down as leader of term ${e.term}: it heard from only ${nodeSet(e.active ?? [])} within an election timeout, not a majority`;
        case 'leaderSeen':
          return `${me} stops campaigning: ${e.from !== undefined ? nodeName(e.from) : 'a node'} is already leader of term ${e.term}`;
      }
      break;
    case 'appendRejected': {
      const hint = e.hintTerm === 0
        ? `its log ends at index ${e.hintIndex - 1}`
        : `it has term ${e.hintTerm} there, starting at index ${e.hintIndex}`;
      return `${me} rejects ${nodeName(e.leader)}'s append: it has no entry at index ${e.prevLogIndex} with term ${e.prevLogTerm} (hint: ${hint})`;
    }
    case 'entriesTruncated':
      return `${me} discards ${e.count} conflicting ${e.count === 1 ? 'entry' : 'entries'} from index ${e.from} on${e.leader !== undefined ? `, to match leader ${nodeName(e.leader)}` : ''}`;
    case 'commitAdvanced':
      if (e.entryTerm !== undefined) {
        return `${me} commits up to index ${e.commit} because ${nodeSet(e.holders)} hold it, a majority, although it is from term ${e.entryTerm}, not the current term ${e.term} (unsafe commitOldTerm: Raft §5.4.2 forbids this, Figure 8)`;
      }
      return `${me} commits up to index ${e.commit} because ${nodeSet(e.holders)} hold it, a majority, and it is from the current term ${e.term}`;
    case 'staleMessageIgnored':
      return `${me} ignores ${e.msgType} from ${nodeName(e.from)}: its term ${e.msgTerm} is older than ${me}'s term ${e.term}`;
    case 'foreignMessageIgnored':
      return `${me} ignores ${e.msgType} from ${nodeName(e.from)} addressed to ${nodeName(e.to)}: not for this node or not from a member`;
    case 'proposalRejected':
      switch (e.reason) {
        case 'noLeader':
          return `${me} rejects a proposal: it knows no leader`;
        case 'transferring':
          return `${me} rejects a proposal: a leadership transfer is under way`;
        case 'forwardingDisabled':
          return `${me} rejects a proposal: forwarding is off; send it to leader ${nodeName(e.leader)}`;
      }
      break;
    case 'proposalForwarded':
      return `${me} forwards a proposal to leader ${nodeName(e.leader)}`;
    case 'transferStarted':
      return `${me} starts handing leadership to ${nodeName(e.transferee)} in term ${e.term}; new proposals are refused meanwhile`;
    case 'transferAborted':
      return `${me}'s leadership transfer to ${nodeName(e.transferee)} is off: ${e.reason}`;
    case 'timeoutNowSent':
      return `${me} sees ${nodeName(e.transferee)} holds its whole log and tells it to campaign now`;
    case 'readConfirmed':
      return e.via === 'lease'
        ? `${me} serves a read at index ${e.index} on its lease: ${nodeSet(e.acks)} acknowledged it as leader within the election timeout`
        : `${me} confirms a read at index ${e.index}: ${nodeSet(e.acks)}, a majority, acknowledged it as leader of term ${e.term}`;
    case 'readRejected':
      return `${me} cannot serve a read${e.context !== undefined ? ` (${e.context})` : ''}: ${e.reason}`;
  }
  return `${me}: ${(e as { kind: string }).kind}`;
}
