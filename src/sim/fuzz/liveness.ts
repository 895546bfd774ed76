/**
 * The liveness phase's bounds and checks for a fuzz run (fuzz.ts): how long a leader and convergence may take
 * after every fault is mended, and whether the cluster is there yet. Pure reads of the world, apart from the
 * run that drives it, so tests can hold a hand-built world to them.
 */
import type { NodeId } from '../../raft/types.ts';
import type { SimConfig } from '../scenario.ts';
import type { World } from '../world.ts';

/** In the liveness phase, one leader that every live node follows must emerge within this many election timeouts… */
export const LEADER_BOUND_ET = 10;
/** …and every live node must hold the leader's whole log, committed, within this many (testing.md §6.B). */
export const CONVERGENCE_BOUND_ET = 50;

/**
 * The convergence bound grows with the backlog a lagging node must fetch when the liveness phase begins: a slow
 * catch-up is not a stuck one. A leader keeps at most maxInflight appends of maxEntriesPerMsg entries in flight
 * to a follower and sends more as acks come back, so `backlog` entries take ceil(backlog / (maxInflight ×
 * maxEntriesPerMsg)) round trips (2 × the one-way latency ceiling, plus a tick for the follower's step). The
 * bound allows twice that on top of CONVERGENCE_BOUND_ET election timeouts.
 */
export function catchUpAllowanceMs(backlog: number, config: SimConfig, latencyMaxMs: number): number {
  const rounds = Math.ceil(backlog / (config.maxInflight * config.maxEntriesPerMsg));
  return 2 * rounds * (2 * latencyMaxMs + config.tickMs);
}

/**
 * Nodes that can win an election: those whose log is at least as up to date as a majority's (Raft §5.4.1). The
 * others still time out and, without PreVote, raise the term and cut short the electable ones' campaigns, so a
 * leader takes longer to emerge the fewer the electable nodes are: the leader bound is LEADER_BOUND_ET election
 * timeouts times ceil(N / electable), measured when the liveness phase begins.
 */
export function electable(world: World): number {
  const n = world.nodeCount;
  let count = 0;
  for (let a = 1; a <= n; a++) {
    const va = world.view(a);
    let below = 0;
    for (let b = 1; b <= n; b++) {
      const vb = world.view(b);
      if (vb.lastTerm < va.lastTerm || (vb.lastTerm === va.lastTerm && vb.lastIndex <= va.lastIndex)) below++;
    }
    if (below > n / 2) count++;
  }
  return Math.max(1, count);
}

/** Entries a lagging node may have to fetch: the longest log's last index minus the lowest commit index. */
export function backlog(world: World): number {
  let last = 0;
  let commit = Infinity;
  for (let node = 1; node <= world.nodeCount; node++) {
    const v = world.view(node);
    last = Math.max(last, v.lastIndex);
    commit = Math.min(commit, v.commit);
  }
  return Math.max(0, last - commit);
}

/** undefined when exactly one live node leads and every live node follows it in its term; else why not. */
export function leadership(world: World): string | undefined {
  let leader: NodeId = 0;
  for (let node = 1; node <= world.nodeCount; node++) {
    if (world.isUp(node) && world.view(node).role === 'leader') {
      if (leader !== 0) return `two live leaders (${leader} and ${node})`;
      leader = node;
    }
  }
  if (leader === 0) return 'no leader';
  const l = world.view(leader);
  for (let node = 1; node <= world.nodeCount; node++) {
    if (!world.isUp(node)) continue;
    const v = world.view(node);
    if (v.term !== l.term || v.leader !== leader) return `node ${node} follows ${v.leader} in term ${v.term}, not ${leader} in term ${l.term}`;
  }
  return undefined;
}

/** undefined when there is one leader and every node is up and holds the leader's log, all committed; else why not. */
export function convergence(world: World): string | undefined {
  const why = leadership(world);
  if (why !== undefined) return why;
  let leader: NodeId = 0;
  for (let node = 1; node <= world.nodeCount; node++) if (world.isUp(node) && world.view(node).role === 'leader') leader = node;
  const l = world.view(leader);
  for (let node = 1; node <= world.nodeCount; node++) {
    if (!world.isUp(node)) return `node ${node} is down`;
    const v = world.view(node);
    if (v.lastIndex !== l.lastIndex || v.lastTerm !== l.lastTerm) return `node ${node} has last [${v.lastIndex}, ${v.lastTerm}], the leader [${l.lastIndex}, ${l.lastTerm}]`;
    if (v.commit !== l.lastIndex) return `node ${node} has commit ${v.commit} of ${l.lastIndex}`;
  }
  return undefined;
}
