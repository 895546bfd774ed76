/**
 * Names for what this life of a node sends out and expects an answer to later: ReadIndex contexts and watch
 * stream instances. Kept in one place because their uniqueness is one rule, and breaking it was a bug.
 */
import type { NodeId } from '../../raft/types.ts';

/** `r` names a linearizable read's ReadIndex round, `k` a keepalive's leadership check. */
export type ReadContextKind = 'r' | 'k';

export class InstanceNames {
  /**
   * Names what this life of the node sends for a later answer: `${nodeId}:${incarnation}:${seed}`. Unique per
   * node and life: a restart counts the incarnation up (the seed, drawn anew at each start, is kept for servers
   * built without an incarnation). Stream instances are `${prefix}.${n}`; read contexts add a letter. A read
   * context that restarted with the node let a read forwarded by an earlier life answer a new read with an older
   * read index: a stale linearizable read (tests/scenarios/stale-read-after-follower-restart.json).
   */
  private readonly prefix: string;
  /** Reads and keepalive checks share one count: `r${prefix}.${n}` and `k${prefix}.${n}`. */
  private nextReadContext = 1;
  private nextStreamInstance = 1;

  constructor(nodeId: NodeId, incarnation: number, randomSeed: number) {
    this.prefix = `${nodeId}:${incarnation}:${randomSeed.toString(36)}`;
  }

  readContext(kind: ReadContextKind): string {
    return `${kind}${this.prefix}.${this.nextReadContext++}`;
  }

  streamInstance(): string {
    return `${this.prefix}.${this.nextStreamInstance++}`;
  }
}
