/**
 * Majority arithmetic (Raft §5.2 votes, §5.3/§5.4.2 commit). Knows nothing about messages or roles.
 */

/** The smallest number of voters that is a majority of `voters`: floor(n/2) + 1. */
export function quorumSize(voters: number): number {
  return (voters >> 1) + 1;
}

/**
 * The highest value that at least a majority of `values` reach: the commit index given every voter's match
 * index (§5.3), or the highest read round a majority acknowledged. Sorts `scratch` (length >= values.length)
 * in place so the hot path allocates nothing.
 */
export function majorityValue(values: ArrayLike<number>, scratch: number[]): number {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    // Insertion sort, descending: n is the cluster size (a handful), so this beats a generic sort.
    const v = values[i];
    let j = i - 1;
    while (j >= 0 && scratch[j] < v) {
      scratch[j + 1] = scratch[j];
      j--;
    }
    scratch[j + 1] = v;
  }
  return scratch[quorumSize(n) - 1];
}

/** The outcome of an election so far. */
export type VoteResult = 'won' | 'lost' | 'pending';

/**
 * Tallies `granted` yes votes and `rejected` no votes out of `voters`: won once a majority said yes, lost once
 * a majority can no longer say yes (§5.2).
 */
export function voteResult(voters: number, granted: number, rejected: number): VoteResult {
  const q = quorumSize(voters);
  if (granted >= q) return 'won';
  if (voters - rejected < q) return 'lost';
  return 'pending';
}
