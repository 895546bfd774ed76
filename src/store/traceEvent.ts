/**
 * The trace events of the scenario-and-trace contract (version 1), as the store consumes them.
 * The contract (shared/spec/scenario-and-trace.md) is the source of truth; these types mirror it so the store can
 * be built and tested from plain JSON lines alone.
 */
import type { Entry, NodeId, Role, Term, LogIndex } from '../raft/types.ts';

export interface ScenarioActionData {
  readonly at: number;
  readonly do: string;
  readonly [field: string]: unknown;
}

export type TraceEvent =
  | { t: number; type: 'state'; node: NodeId; role: Role; term: Term; vote: NodeId; leader: NodeId; commit: LogIndex; last: [LogIndex, Term] }
  | { t: number; type: 'send'; id: number; from: NodeId; to: NodeId; msg: { type: string; term?: Term; [k: string]: unknown } }
  | { t: number; type: 'deliver'; id: number }
  | { t: number; type: 'drop'; id: number; reason: 'partition' | 'loss' | 'crashed' | string }
  | { t: number; type: 'append'; node: NodeId; from: LogIndex; entries: Entry[] }
  | { t: number; type: 'apply'; node: NodeId; index: LogIndex; term: Term; data: string | null }
  | { t: number; type: 'snapshot'; node: NodeId; index: LogIndex; term: Term }
  | { t: number; type: 'crash'; node: NodeId }
  | { t: number; type: 'restart'; node: NodeId }
  | { t: number; type: 'action'; action: ScenarioActionData; node?: NodeId; noop?: boolean; reason?: string };

export type TraceEventType = TraceEvent['type'];

export interface TraceHeader {
  readonly type: 'header';
  readonly format: 'flotilla-trace';
  readonly version: number;
  readonly seed: number;
  readonly nodes: NodeId[];
  readonly config: Record<string, unknown>;
  readonly network: { latencyMs: [number, number]; dropRate: number; duplicateRate: number; [k: string]: unknown };
}
