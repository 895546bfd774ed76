import { traceToKvHistory } from './formats/flotillaTrace.ts';
import { checkOperations, type CheckOptions } from './linearizability.ts';
import type { LinResult } from './model.ts';
import { etcdKvModel } from './models/etcdKv.ts';
import { checkRevisionOrder, type RevisionOrderResult } from './revisionOrder.ts';

/** The verdicts on a Flotilla trace's client history. */
export interface TraceCheckResult extends LinResult {
  /** The O(n) check that no client saw the revision go back; reported apart from linearizability. */
  readonly revisionOrder: RevisionOrderResult;
}

/**
 * Checks the client history in a Flotilla trace's events (the parsed JSONL lines; the header and every non-client
 * event may be present and are skipped): linearizability against the etcd model, partitioned by key, and the
 * per-client revision order. Throws, naming the event and field, when a client event is malformed.
 */
export function checkTraceHistory(events: readonly object[], options: CheckOptions = {}): TraceCheckResult {
  const result = checkOperations(etcdKvModel, traceToKvHistory(events), options);
  return { ...result, revisionOrder: checkRevisionOrder(events) };
}

/** Whether the events hold any client operation (a trace with none has no history to check). */
export function hasClientEvents(events: readonly object[]): boolean {
  return events.some((event) => (event as { type?: unknown }).type === 'client');
}
