/**
 * Helpers for key-value scenario tests: run a scenario with clients and pick out its client, watch and lease
 * events; check the client history with the project's linearizability checker.
 */
import { checkTraceHistory, type TraceCheckResult } from '../../src/check/index.ts';
import type { ClientEvent, LeaseEvent, WatchTraceEvent } from '../../src/etcd/client/clientTrace.ts';
import { run, type Run } from './helpers.ts';

export interface KvRun extends Run {
  readonly client: readonly ClientEvent[];
  readonly watch: readonly WatchTraceEvent[];
  readonly lease: readonly LeaseEvent[];
}

export function runKv(scenario: Record<string, unknown>): KvRun {
  const r = run(scenario);
  return {
    ...r,
    client: r.events.filter((e): e is ClientEvent => e.type === 'client'),
    watch: r.events.filter((e): e is WatchTraceEvent => e.type === 'watch'),
    lease: r.events.filter((e): e is LeaseEvent => e.type === 'lease'),
  };
}

/** One operation of a client: its invoke and its end (undefined while it never ended). */
export interface OpRecord {
  readonly client: string;
  readonly id: number;
  readonly op: Record<string, unknown>;
  readonly invokedAt: number;
  readonly end?: Extract<ClientEvent, { phase: 'ok' | 'fail' | 'info' }>;
}

/** Every traced operation, in invoke order. */
export function operations(r: KvRun): OpRecord[] {
  const byKey = new Map<string, OpRecord>();
  const out: OpRecord[] = [];
  for (const e of r.client) {
    const key = `${e.client}#${e.id}`;
    if (e.phase === 'invoke') {
      const rec: OpRecord = { client: e.client, id: e.id, op: e.op as Record<string, unknown>, invokedAt: e.t };
      byKey.set(key, rec);
      out.push(rec);
    } else {
      const rec = byKey.get(key)!;
      const done = { ...rec, end: e };
      byKey.set(key, done);
      out[out.indexOf(rec)] = done;
    }
  }
  return out;
}

/** The operations of one client doing `what` (e.g. 'put'). */
export function opsOf(r: KvRun, client: string, what?: string): OpRecord[] {
  return operations(r).filter((o) => o.client === client && (what === undefined || o.op.do === what));
}

/** The linearizability and revision-order verdicts on the run's client history. */
export function checkHistory(r: KvRun): TraceCheckResult {
  return checkTraceHistory(r.events);
}

/** A result field, typed loosely for assertions. */
export function resultOf(o: OpRecord): Record<string, unknown> {
  if (o.end?.phase !== 'ok') throw new Error(`operation ${o.client}#${o.id} (${JSON.stringify(o.op)}) did not end ok: ${JSON.stringify(o.end)}`);
  return o.end.result as Record<string, unknown>;
}
