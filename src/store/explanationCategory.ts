import type { Explanation } from '../raft/types.ts';
import type { NarrationCategory } from './state.ts';

/** Which narration filter an explanation of the core belongs to. */
export function explanationCategory(e: Explanation): NarrationCategory {
  switch (e.kind) {
    case 'timerFired':
    case 'campaignRefused':
    case 'campaignStarted':
    case 'voteGranted':
    case 'voteRefused':
    case 'electionWon':
    case 'electionLost':
      return 'election';
    case 'becameFollower':
    case 'steppedDown':
    case 'transferStarted':
    case 'transferAborted':
    case 'timeoutNowSent':
      return 'leadership';
    case 'appendRejected':
    case 'entriesTruncated':
    case 'commitAdvanced':
      return 'replication';
    case 'proposalRejected':
    case 'proposalForwarded':
    case 'readConfirmed':
    case 'readRejected':
      return 'client';
    default:
      return 'other';
  }
}
