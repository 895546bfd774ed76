/**
 * The key-value and recipe trace events the KV views consume (docs/trace-format.md, "Client, watch and lease events"):
 * the simulator's own types, which write exactly those lines. A listener receives them as objects; nothing
 * re-parses.
 */
import type { KeyValue } from '../../kv/index.ts';
import type { ClientEvent, LeaseEvent, WatchTraceEvent } from '../../etcd/index.ts';
import type { RecipeEventName } from '../../etcd/index.ts';
import type { RecipeTraceEvent } from '../../etcd/index.ts';
import type { KvSendEvent } from '../../sim/index.ts';

export type { KvSendEvent, RecipeEventName, RecipeTraceEvent, WatchTraceEvent };

/** A key-value pair as a result or a watch event carries it (etcd's mvccpb.KeyValue, camelCase). */
export type ContractKeyValue = KeyValue;

/** One phase of one client operation: invoke, then exactly one of ok, fail or info. */
export type ClientTraceEvent = ClientEvent;

/** A lease's life, once per decision, from the node that decided. */
export type LeaseTraceEvent = LeaseEvent;
export type LeaseEventName = LeaseEvent['event'];

export type KvContractEvent = ClientTraceEvent | WatchTraceEvent | LeaseTraceEvent | RecipeTraceEvent | KvSendEvent;

const KV_TYPES = new Set(['client', 'watch', 'lease', 'recipe', 'kvSend']);

/** Whether a listener event is one of the key-value layer's. */
export function isKvContractEvent(event: { readonly type: string }): event is KvContractEvent {
  return KV_TYPES.has(event.type);
}
