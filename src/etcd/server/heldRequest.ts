/**
 * A request a node has taken on, and who waits for its answer. Every part of the server passes these around
 * (dispatch holds them, proposals and reads keep them until they can answer), so they live apart from all of them.
 */
import type { NodeId } from '../../raft/types.ts';
import type { ClientName, ClientOp } from './messages.ts';

/** Who waits for a request's answer on this node. */
export type Waiter =
  | { readonly kind: 'client'; readonly client: ClientName; readonly id: number }
  /** A follower that forwarded a lease request: answer it, it relays to its client. */
  | { readonly kind: 'peer'; readonly node: NodeId; readonly client: ClientName; readonly id: number };

export interface HeldRequest {
  readonly session: string;
  readonly id: number;
  /** The client's attempt (ClientRequestMsg.attempt); absent for a lease request a follower forwarded. */
  readonly attempt?: number;
  readonly op: ClientOp;
  readonly waiter: Waiter;
  readonly requireLeader: boolean;
  readonly timeoutMs: number;
  /** Local ms after which the request is dropped (its client has given up). */
  readonly deadlineMs: number;
}

/** Names one attempt of one request: its copies on the bus share it. */
export function attemptKey(session: string, id: number, attempt: number): string {
  return `${session}#${id}#${attempt}`;
}

export function sameWaiter(a: Waiter, b: Waiter): boolean {
  return a.kind === b.kind && a.client === b.client && a.id === b.id && (a.kind !== 'peer' || (b.kind === 'peer' && a.node === b.node));
}
