// Explanations as data: every decision kind is emitted by the core, and the formatter reads it as English.
import { describe, expect, it } from 'vitest';
import { formatExplanation } from '../../src/raft/index.ts';
import type { Explanation } from '../../src/raft/index.ts';
import { Network } from './helpers.ts';

type Kind = Explanation['kind'];

/** One sample per kind, with the exact sentence expected. A Record, so a new kind fails to compile until covered. */
const SAMPLES: Record<Kind, [Explanation, string][]> = {
  timerFired: [
    [{ kind: 'timerFired', node: 1, term: 3, preVote: true }, "S1's election timer fired in term 3 without hearing from a leader; it starts a pre-vote"],
    [{ kind: 'timerFired', node: 2, term: 3, preVote: false, timeoutNowFrom: 1 }, 'S2 was told by leader S1 to campaign now (leadership transfer)'],
  ],
  campaignRefused: [
    [
      { kind: 'campaignRefused', node: 2, term: 3, reason: 'leaderLease', leader: 1, leaderHeardTicksAgo: 4 },
      "S2's election timer was forced, but S2 does not campaign (lease reads): it heard from leader S1 4 ticks ago, within the election timeout",
    ],
    [
      { kind: 'campaignRefused', node: 2, term: 3, reason: 'leaderLease', leader: 0, leaderHeardTicksAgo: 1 },
      "S2's election timer was forced, but S2 does not campaign (lease reads): it restarted 1 ticks ago, within the election timeout, and may have acknowledged a leader's lease just before",
    ],
  ],
  campaignStarted: [
    [{ kind: 'campaignStarted', node: 1, term: 4, preVote: true, transfer: false }, 'S1 asks for pre-votes for term 4 (its own term stays 3 until a majority agrees)'],
    [{ kind: 'campaignStarted', node: 1, term: 4, preVote: false, transfer: false }, 'S1 becomes candidate in term 4, votes for itself and requests votes'],
  ],
  voteGranted: [[{ kind: 'voteGranted', node: 2, candidate: 1, term: 4, preVote: false }, 'S2 grants its vote to S1 for term 4']],
  voteRefused: [
    [
      { kind: 'voteRefused', node: 2, candidate: 3, term: 4, preVote: false, reason: 'logNotUpToDate', myLastTerm: 3, myLastIndex: 7, theirLastTerm: 2, theirLastIndex: 9 },
      "S2 refuses S3: S2's log (term 3, index 7) is more up to date than S3's (term 2, index 9)",
    ],
    [{ kind: 'voteRefused', node: 5, candidate: 3, term: 4, preVote: false, reason: 'alreadyVoted', votedFor: 2 }, 'S5 refuses S3: S5 already voted for S2 in term 4'],
    [{ kind: 'voteRefused', node: 5, candidate: 3, term: 2, preVote: true, reason: 'staleTerm', myTerm: 4 }, "S5 refuses S3 a pre-vote: its term 2 is older than S5's term 4"],
    [{ kind: 'voteRefused', node: 5, candidate: 3, term: 4, preVote: false, reason: 'leaderKnown', leader: 1 }, 'S5 refuses S3: S5 already follows leader S1 in term 4'],
    [
      { kind: 'voteRefused', node: 5, candidate: 3, term: 5, preVote: true, reason: 'leaderLease', leader: 1, leaderHeardTicksAgo: 2 },
      "S5 ignores S3's pre-vote request for term 5: it heard from leader S1 2 ticks ago, within the election timeout",
    ],
    [
      { kind: 'voteRefused', node: 1, candidate: 3, term: 2, preVote: true, reason: 'leaderLease', leader: 1, leaderHeardTicksAgo: 0 },
      "S1 ignores S3's pre-vote request for term 2: it is the leader itself, and a leader keeps its lease until its quorum check fails",
    ],
  ],
  electionWon: [[{ kind: 'electionWon', node: 1, term: 2, preVote: false, voters: [1, 2, 4] }, 'S1 won the election for term 2 with votes from {S1,S2,S4} and becomes leader']],
  electionLost: [[{ kind: 'electionLost', node: 1, term: 2, preVote: true, rejecters: [2, 3] }, 'S1 lost the pre-vote for term 2: {S2,S3} refused, so a majority is out of reach']],
  becameFollower: [[{ kind: 'becameFollower', node: 3, term: 2, leader: 1 }, 'S3 follows leader S1 in term 2']],
  steppedDown: [
    [{ kind: 'steppedDown', node: 1, term: 5, reason: 'higherTerm', from: 4 }, 'S1 steps down: S4 has the higher term 5'],
    [{ kind: 'steppedDown', node: 1, term: 5, reason: 'quorumLost', active: [1, 2] }, 'S1 steps down as leader of term 5: it heard from only {S1,S2} within an election timeout, not a majority'],
    [{ kind: 'steppedDown', node: 2, term: 5, reason: 'leaderSeen', from: 1 }, 'S2 stops campaigning: S1 is already leader of term 5'],
  ],
  appendRejected: [
    [
      { kind: 'appendRejected', node: 2, leader: 1, term: 8, prevLogIndex: 10, prevLogTerm: 6, hintTerm: 3, hintIndex: 7 },
      "S2 rejects S1's append: it has no entry at index 10 with term 6 (hint: it has term 3 there, starting at index 7)",
    ],
    [
      { kind: 'appendRejected', node: 2, leader: 1, term: 8, prevLogIndex: 10, prevLogTerm: 6, hintTerm: 0, hintIndex: 5 },
      "S2 rejects S1's append: it has no entry at index 10 with term 6 (hint: its log ends at index 4)",
    ],
  ],
  entriesTruncated: [[{ kind: 'entriesTruncated', node: 2, from: 3, count: 2, leader: 1 }, 'S2 discards 2 conflicting entries from index 3 on, to match leader S1']],
  commitAdvanced: [[{ kind: 'commitAdvanced', node: 1, term: 4, commit: 9, holders: [1, 2, 4] }, 'S1 commits up to index 9 because {S1,S2,S4} hold it, a majority, and it is from the current term 4']],
  staleMessageIgnored: [[{ kind: 'staleMessageIgnored', node: 1, term: 3, from: 2, msgType: 'MsgApp', msgTerm: 2 }, "S1 ignores MsgApp from S2: its term 2 is older than S1's term 3"]],
  foreignMessageIgnored: [[{ kind: 'foreignMessageIgnored', node: 1, from: 9, to: 1, msgType: 'MsgHeartbeat' }, 'S1 ignores MsgHeartbeat from S9 addressed to S1: not for this node or not from a member']],
  proposalRejected: [
    [{ kind: 'proposalRejected', node: 2, reason: 'noLeader', leader: 0 }, 'S2 rejects a proposal: it knows no leader'],
    [{ kind: 'proposalRejected', node: 1, reason: 'transferring', leader: 1 }, 'S1 rejects a proposal: a leadership transfer is under way'],
    [{ kind: 'proposalRejected', node: 2, reason: 'forwardingDisabled', leader: 1 }, 'S2 rejects a proposal: forwarding is off; send it to leader S1'],
  ],
  proposalForwarded: [[{ kind: 'proposalForwarded', node: 2, leader: 1 }, 'S2 forwards a proposal to leader S1']],
  transferStarted: [[{ kind: 'transferStarted', node: 1, term: 3, transferee: 2 }, 'S1 starts handing leadership to S2 in term 3; new proposals are refused meanwhile']],
  transferAborted: [[{ kind: 'transferAborted', node: 1, term: 3, transferee: 2, reason: 'the transfer did not finish within an election timeout' }, "S1's leadership transfer to S2 is off: the transfer did not finish within an election timeout"]],
  timeoutNowSent: [[{ kind: 'timeoutNowSent', node: 1, term: 3, transferee: 2 }, 'S1 sees S2 holds its whole log and tells it to campaign now']],
  readConfirmed: [
    [{ kind: 'readConfirmed', node: 1, term: 3, index: 7, via: 'readIndex', acks: [1, 3] }, 'S1 confirms a read at index 7: {S1,S3}, a majority, acknowledged it as leader of term 3'],
    [{ kind: 'readConfirmed', node: 1, term: 3, index: 7, via: 'lease', acks: [1, 3] }, 'S1 serves a read at index 7 on its lease: {S1,S3} acknowledged it as leader within the election timeout'],
  ],
  readRejected: [[{ kind: 'readRejected', node: 2, reason: 'no leader known', context: 'r1' }, 'S2 cannot serve a read (r1): no leader known']],
};

describe('explanations', () => {
  for (const [kind, samples] of Object.entries(SAMPLES)) {
    it(`formats ${kind} in plain English`, () => {
      for (const [e, text] of samples) expect(formatExplanation(e)).toBe(text);
    });
  }

  it('the core emits the explanations of a typical run, each for the decision it names', () => {
    const net = new Network(3, { preVote: true, checkQuorum: true });
    net.node(2).propose('nobody leads');
    net.node(2).readIndex('r');
    net.tickAll(10);
    net.node(2).propose('fwd');
    net.deliverAll();
    net.node(1).step({ type: 'MsgHeartbeat', from: 9, to: 1, term: 1, commit: 0, readRound: 0 });
    net.deliver({ type: 'MsgVote', from: 3, to: 2, term: 2, lastLogIndex: 0, lastLogTerm: 0, transfer: false });
    net.node(1).readIndex('ok');
    net.deliverAll();
    net.node(1).transferLeadership(2);
    net.deliverAll();
    net.deliver({ type: 'MsgApp', from: 1, to: 3, term: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [], commit: 0 });
    net.deliver({ type: 'MsgApp', from: 2, to: 3, term: 2, prevLogIndex: 9, prevLogTerm: 2, entries: [], commit: 0 });
    net.crash(1);
    net.node(2).transferLeadership(1);
    net.tick(2, 10);
    const text = net.explanations.map(formatExplanation);
    expect(text).toEqual(expect.arrayContaining([
      'S2 rejects a proposal: it knows no leader',
      'S2 cannot serve a read (r): no leader known',
      "S1's election timer fired in term 0 without hearing from a leader; it starts a pre-vote",
      'S1 asks for pre-votes for term 1 (its own term stays 0 until a majority agrees)',
      'S2 grants a pre-vote to S1 for term 1',
      'S1 won the pre-vote for term 1 with {S1,S2}; it now starts the real election',
      'S1 won the election for term 1 with votes from {S1,S2} and becomes leader',
      'S2 follows leader S1 in term 1',
      'S1 commits up to index 1 because {S1,S2} hold it, a majority, and it is from the current term 1',
      'S2 forwards a proposal to leader S1',
      'S1 ignores MsgHeartbeat from S9 addressed to S1: not for this node or not from a member',
      "S2 ignores S3's vote request for term 2: it heard from leader S1 0 ticks ago, within the election timeout",
      'S1 confirms a read at index 2: {S1,S2}, a majority, acknowledged it as leader of term 1',
      'S1 starts handing leadership to S2 in term 1; new proposals are refused meanwhile',
      'S1 sees S2 holds its whole log and tells it to campaign now',
      'S2 was told by leader S1 to campaign now (leadership transfer)',
      'S1 steps down: S2 has the higher term 2',
      "S3 ignores MsgApp from S1: its term 1 is older than S3's term 2",
      'S2 becomes candidate in term 2, votes for itself and requests votes (leadership transfer: peers skip their leader lease)',
      "S3 rejects S2's append: it has no entry at index 9 with term 2 (hint: its log ends at index 3)",
    ]));
    expect(text).toContain("S2's leadership transfer to S1 is off: the transfer did not finish within an election timeout");
  });
});
