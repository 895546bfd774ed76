/**
 * The trace events of the key-value layer (docs/trace-format.md, "Client, watch and lease events") and their JSON, with a fixed key
 * order so a run gives the same bytes on every host: `client` (invoke, then ok, fail or info), `watch` (events
 * of a client's watch) and `lease` (a lease's life, from the node that decided it). Messages to and from
 * clients are written like any message, `from`/`to` naming the client.
 */
import type { WatchEvent } from '../../kv/index.ts';
import type { KvBusMsg, LeaseNote } from '../server/messages.ts';

/** The error of a request that got no answer within the client's timeout (etcd's wording). */
export const ERR_TIMED_OUT = 'etcdserver: request timed out';

/** One phase of one client operation. */
export type ClientEvent =
  | { readonly t: number; readonly type: 'client'; readonly client: string; readonly id: number; readonly phase: 'invoke'; readonly op: Readonly<Record<string, unknown>> }
  | { readonly t: number; readonly type: 'client'; readonly client: string; readonly id: number; readonly phase: 'ok'; readonly result: Readonly<Record<string, unknown>> }
  | { readonly t: number; readonly type: 'client'; readonly client: string; readonly id: number; readonly phase: 'fail' | 'info'; readonly error: string };

/** Events delivered on one of a client's watches (or its cancellation, with `canceled` and `error`). */
export interface WatchTraceEvent {
  readonly t: number;
  readonly type: 'watch';
  readonly client: string;
  readonly watch: string;
  readonly events: readonly WatchEvent[];
  readonly canceled?: true;
  readonly error?: string;
}

/** A lease's life: granted and revoked by the leader that proposed them, renewed and expired by the leader that decided. */
export interface LeaseEvent extends LeaseNote {
  readonly t: number;
  readonly type: 'lease';
}

/** Events a client writes. */
export type ClientTraceEvent = ClientEvent | WatchTraceEvent;

/** Every trace event of the key-value layer. */
export type KvTraceEvent = ClientTraceEvent | LeaseEvent;

/** One key-value trace event as a JSON line (without "\n"). */
export function kvEventJson(e: KvTraceEvent): string {
  switch (e.type) {
    case 'client': {
      const head = `{"t":${e.t},"type":"client","client":${JSON.stringify(e.client)},"id":${e.id},"phase":"${e.phase}"`;
      if (e.phase === 'invoke') return `${head},"op":${JSON.stringify(e.op)}}`;
      if (e.phase === 'ok') return `${head},"result":${JSON.stringify(e.result)}}`;
      return `${head},"error":${JSON.stringify(e.error)}}`;
    }
    case 'watch': {
      let line = `{"t":${e.t},"type":"watch","client":${JSON.stringify(e.client)},"watch":${JSON.stringify(e.watch)},"events":${JSON.stringify(e.events)}`;
      if (e.canceled) line += `,"canceled":true,"error":${JSON.stringify(e.error ?? '')}`;
      return line + '}';
    }
    case 'lease': {
      let line = `{"t":${e.t},"type":"lease","node":${e.node},"lease":${JSON.stringify(e.lease)},"id":"${e.id}","event":"${e.event}"`;
      if (e.ttlMs !== undefined) line += `,"ttlMs":${e.ttlMs}`;
      return line + '}';
    }
  }
}

/**
 * A key-value message as the trace's `send` event shows it: `type` first, `term` next when it has one (messages
 * between nodes), then its other fields in the order they were built, `from`/`to` left out (the send event has them).
 */
export function kvMessageJson(m: KvBusMsg): string {
  let json = `{"type":"${m.type}"`;
  const fields = m as unknown as Record<string, unknown>;
  if (typeof fields.term === 'number') json += `,"term":${fields.term}`;
  for (const key in fields) {
    if (key === 'type' || key === 'term' || key === 'from' || key === 'to') continue;
    const value = fields[key];
    if (value === undefined) continue;
    json += `,"${key}":${JSON.stringify(value)}`;
  }
  return json + '}';
}

/** The `send` event of a key-value message. */
export function kvSendJson(t: number, id: number, msg: KvBusMsg): string {
  return `{"t":${t},"type":"send","id":${id},"from":${JSON.stringify(msg.from)},"to":${JSON.stringify(msg.to)},"msg":${kvMessageJson(msg)}}`;
}
