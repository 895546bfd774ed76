/**
 * The key-value and recipe trace events the KV views consume (docs/trace-format.md, "Client, watch and lease events"):
 * the simulator's own types, which write exactly those lines. A listener receives them as objects; nothing
 * re-parses.
 */
import type { ClientEvent, LeaseEvent, RecipeEventName, RecipeTraceEvent, WatchTraceEvent } from '../../etcd/index.ts';
import type { KvSendEvent } from '../../sim/index.ts';

export type { KvSendEvent, RecipeEventName, RecipeTraceEvent, WatchTraceEvent };

/** One phase of one client operation: invoke, then exactly one of ok, fail or info. */
export type ClientTraceEvent = ClientEvent;

/** A lease's life, once per decision, from the node that decided. */
export type LeaseTraceEvent = LeaseEvent;
