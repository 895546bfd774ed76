/**
 * The seams of a client endpoint (clientEndpoint.ts): what it needs from the world (ClientBus), how one of its
 * requests is asked for and how it ends (RequestOptions, ClientOutcome), and what its parts, the watch streams
 * (watchStreams.ts) and the lease keeper (leaseKeeper.ts), use of it (ClientCore). Separate so that each part
 * depends on these few signatures, not on the endpoint class.
 */
import type { NodeId } from '../../raft/types.ts';
import type { ClientOp, ToNodeFromClient } from '../server/messages.ts';
import type { ClientEndpoint } from './clientEndpoint.ts';
import type { ClientTraceEvent } from './clientTrace.ts';

/** What a client needs from the world. */
export interface ClientBus {
  /** Virtual time now. */
  readonly nowMs: number;
  /** Puts a request on the bus (traced, then delivered, dropped or duplicated like any message). */
  send(msg: ToNodeFromClient): void;
  /** Calls `client.fire(timer)` at `atMs` (unless the client was killed). `timer` is the client's token. */
  setTimer(atMs: number, client: ClientEndpoint, timer: number): void;
  /** Writes a trace event. */
  emit(event: ClientTraceEvent): void;
  /** A node for a client attached to "any", other than `avoid` when there is a choice (seeded draw). */
  pickNode(avoid: NodeId): NodeId;
}

/** How a request ended, as the trace reports it. */
export type ClientOutcome =
  | { readonly phase: 'ok'; readonly result: Readonly<Record<string, unknown>>; /** The node that answered. */ readonly node: NodeId }
  | { readonly phase: 'fail' | 'info'; readonly error: string };

/** Options of one request. */
export interface RequestOptions {
  /** The `op` written in the invoke event; null for the client's own bookkeeping (not traced as an operation). */
  readonly traceOp: Readonly<Record<string, unknown>> | null;
  /**
   * The exactly-once lane: requests of one lane must run one at a time (the state machine keeps one result per
   * lane). Default: the client's main lane (its scenario actions). Recipes running writes alongside use their own.
   */
  readonly lane?: string;
  /** Called once, when the request ends (not called when the client is killed first). */
  readonly onDone?: (outcome: ClientOutcome) => void;
  /** Send once, never again (bookkeeping that a timer repeats anyway). */
  readonly once?: boolean;
  /** What the ok event shows of the result (default: all of it). */
  readonly traceResult?: (result: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>;
}

/** What a client's parts use of it: its identity, where it is attached, its requests and its timers. */
export interface ClientCore {
  readonly name: string;
  /** The node it talks to now (it moves with via "any"). */
  currentNode(): NodeId;
  readonly retryMs: number;
  readonly bus: ClientBus;
  /** Sends a request and follows it to its end (see ClientEndpoint.request). */
  request(op: ClientOp, options: RequestOptions): number;
  /** Runs `action` at `atMs` unless the client is killed by then; returns the timer's token. */
  after(atMs: number, action: () => void): number;
  /** Traces an operation that fails before anything is sent; `onOutcome` runs later, never synchronously. */
  failNow(traceOp: Readonly<Record<string, unknown>>, error: string, onOutcome?: (outcome: ClientOutcome) => void): void;
}
