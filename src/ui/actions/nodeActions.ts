/**
 * What the node menu and its keys do, as data: each returns the scenario actions to add at the current
 * virtual time (the driver stamps `at`). Kept free of React so they can be read and tested on their own.
 */
import type { NodeView } from '../../store/index.ts';
import type { UserAction } from '../../store/index.ts';

/**
 * The leader as scenario actions name it (docs/scenarios.md): the live node that believes it leads with the
 * highest term. A paused or cut-off old leader still believes it leads, so the first one found may be stale.
 */
export function leaderOf(nodes: readonly NodeView[]): NodeView | undefined {
  let best: NodeView | undefined;
  for (const n of nodes) if (n.role === 'leader' && !n.crashed && (!best || n.term > best.term)) best = n;
  return best;
}

/** Crash a running node (it keeps only its disk) or restart a crashed one. */
export function crashOrRestart(node: NodeView): UserAction[] {
  return [{ do: node.crashed ? 'restart' : 'crash', node: node.id }];
}

/**
 * Pause a running node (it does nothing, its timers frozen, messages to it wait) or resume a paused one
 * (docs/scenarios.md, "Process pauses").
 */
export function pauseOrResume(node: NodeView): UserAction[] {
  return [{ do: node.paused ? 'resume' : 'pause', node: node.id }];
}

/** Make the node's election timer fire now (as if it ran out). */
export function timeoutNow(node: NodeView): UserAction[] {
  return [{ do: 'timeout', node: node.id }];
}

/** Ask the current leader to hand leadership to this node (thesis §3.10). */
export function transferTo(node: NodeView): UserAction[] {
  return [{ do: 'transfer', to: node.id }];
}

/** A client proposes `data` through this node (a follower forwards it to the leader). */
export function proposeThrough(node: NodeView, data: string): UserAction[] {
  return [{ do: 'propose', node: node.id, data }];
}

/** Why an action would do nothing on this node now, or null when it makes sense. */
export function whyNot(kind: 'timeout' | 'transfer' | 'propose' | 'pause', node: NodeView, nodes: readonly NodeView[]): string | null {
  if (node.crashed) return `S${node.id} is down`;
  if (kind === 'pause') return null;
  if (node.paused && kind !== 'transfer') return `S${node.id} is paused`;
  if (kind === 'timeout' && node.role === 'leader') return `S${node.id} is the leader`;
  if (kind === 'transfer') {
    const leader = leaderOf(nodes);
    if (!leader) return 'there is no leader';
    if (leader.id === node.id) return `S${node.id} already leads`;
    if (leader.paused) return `the leader S${leader.id} is paused`;
  }
  return null;
}
