/**
 * The key-value and recipe trace events the KV views consume, exactly as the contract writes them
 * (shared/spec/kv-and-clients.md, "Trace events"), typed structurally here so the store reads them whether or not
 * the simulator's own TraceEvent union names them yet. A listener receives them as objects; nothing re-parses.
 */
import type { NodeId } from '../../raft/types.ts';

/** A key-value pair as a result or a watch event carries it (etcd's mvccpb.KeyValue, camelCase). */
export interface ContractKeyValue {
  readonly key: string;
  readonly value: string;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly version: number;
  /** Lowercase hex lease id; "0" for none. */
  readonly lease: string;
}

/** One phase of one client operation: invoke, then exactly one of ok, fail or info. */
export type ClientTraceEvent =
  | { readonly t: number; readonly type: 'client'; readonly client: string; readonly id: number; readonly phase: 'invoke'; readonly op: Readonly<Record<string, unknown>> }
  | { readonly t: number; readonly type: 'client'; readonly client: string; readonly id: number; readonly phase: 'ok'; readonly result: Readonly<Record<string, unknown>> }
  | { readonly t: number; readonly type: 'client'; readonly client: string; readonly id: number; readonly phase: 'fail' | 'info'; readonly error: string };

export interface WatchTraceEvent {
  readonly t: number;
  readonly type: 'watch';
  readonly client: string;
  readonly watch: string;
  readonly events: readonly { readonly type: 'PUT' | 'DELETE'; readonly kv: ContractKeyValue; readonly prevKv?: ContractKeyValue }[];
  readonly canceled?: true;
  readonly error?: string;
}

export type LeaseEventName = 'granted' | 'revoked' | 'renewed' | 'expired';

/** A lease's life, once per decision, from the node that decided. */
export interface LeaseTraceEvent {
  readonly t: number;
  readonly type: 'lease';
  readonly node: NodeId;
  /** The scenario's name for the lease (or the id when none is known). */
  readonly lease: string;
  readonly id: string;
  readonly event: LeaseEventName;
  readonly ttlMs?: number;
}

export type RecipeEventName =
  | 'elected' | 'resigned' | 'lost' | 'observed' | 'locked' | 'unlocked' | 'registered' | 'discovered' | 'run' | 'refused';

export interface RecipeTraceEvent {
  readonly t: number;
  readonly type: 'recipe';
  readonly client: string;
  /** election, mutex, registry, heartbeat, cron... */
  readonly recipe: string;
  /** The election or mutex prefix, the service prefix, or the cron job's name. */
  readonly name: string;
  readonly event: RecipeEventName;
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * A key-value message put on the bus, as listeners get it (the file writes it as a `send` line). Only its ends
 * matter to the views: a client talks to the node it sends to.
 */
export interface KvSendEvent {
  readonly t: number;
  readonly type: 'kvSend';
  readonly id: number;
  readonly msg: { readonly type: string; readonly from: NodeId | string; readonly to: NodeId | string };
}

export type KvContractEvent = ClientTraceEvent | WatchTraceEvent | LeaseTraceEvent | RecipeTraceEvent | KvSendEvent;

const KV_TYPES = new Set(['client', 'watch', 'lease', 'recipe', 'kvSend']);

/** Whether a listener event is one of the key-value layer's. */
export function isKvContractEvent(event: { readonly type: string }): event is KvContractEvent {
  return KV_TYPES.has(event.type);
}
