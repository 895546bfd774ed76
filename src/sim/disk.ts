/**
 * The sim's disk model: what each node has made durable. The world writes a step's hardState and log append
 * here BEFORE that step's messages go on the bus (Raft Figure 2, "updated on stable storage before responding
 * to RPCs"), so a crash can never lose state a sent message depended on. A restart reads it back.
 */
import type { Entry, HardState, LogIndex, NodeId, PersistentState } from '../raft/types.ts';

const EMPTY_HARD_STATE: HardState = { term: 0, vote: 0, commit: 0 };

export class Disk {
  private readonly hardStates: HardState[] = [];
  /** Per node, its durable log. Invariant: logs[n][i].index === i + 1. */
  private readonly logs: Entry[][] = [];

  constructor(nodes: number, initial?: (node: NodeId) => PersistentState | undefined) {
    for (let node = 1; node <= nodes; node++) {
      const state = initial?.(node);
      this.hardStates[node] = state?.hardState ?? EMPTY_HARD_STATE;
      this.logs[node] = state ? state.entries.slice() : [];
    }
  }

  saveHardState(node: NodeId, hardState: HardState): void {
    this.hardStates[node] = hardState;
  }

  /** Discards the entries at `from` and later, then writes `entries` (which start at `from`). */
  append(node: NodeId, from: LogIndex, entries: readonly Entry[]): void {
    const log = this.logs[node]!;
    if (from < 1 || from > log.length + 1) throw new Error(`disk: node ${node} append at ${from} leaves a gap (log ends at ${log.length})`);
    log.length = from - 1;
    for (const entry of entries) log.push(entry);
  }

  /** A copy of the node's durable state, for a restart (the node must not alias the disk's arrays). */
  load(node: NodeId): PersistentState {
    return { hardState: this.hardStates[node]!, entries: this.logs[node]!.slice() };
  }

  lastIndex(node: NodeId): LogIndex {
    return this.logs[node]!.length;
  }
}
