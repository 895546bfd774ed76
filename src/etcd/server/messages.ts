/**
 * The key-value layer's messages on the bus, next to Raft's own (raft/types.ts Message): what clients send to
 * nodes and get back (`type` starting with `Client`, as the contract asks), and what a follower and the leader
 * say to each other about leases (a keepalive is answered by the leader alone, outside the log, and followers
 * forward every lease request to it, as etcd's leasehttp does). Plain data: they cross a Web Worker boundary and
 * the trace unchanged.
 *
 * A client endpoint is named by its scenario name (a string); nodes by their ids.
 */
import type { Compare, DeleteRequest, GetRequest, LeaseId, Outcome, PutRequest, Revision, TxnOp, WatchEvent } from '../../kv/index.ts';
import type { NodeId, Term } from '../../raft/types.ts';

/** A client's name, as the scenario's `client` field gives it. */
export type ClientName = string;

/**
 * One operation as a node receives it: the contract's action with lease names already turned into ids by the
 * client (a grant carries the author's name instead, for the trace's `lease` events).
 */
export type ClientOp =
  | ({ readonly do: 'put' } & PutRequest)
  | ({ readonly do: 'get'; readonly serializable?: boolean } & GetRequest)
  | ({ readonly do: 'delete' } & DeleteRequest)
  | { readonly do: 'txn'; readonly compare: readonly Compare[]; readonly success: readonly TxnOp[]; readonly failure: readonly TxnOp[] }
  | { readonly do: 'compact'; readonly revision: Revision }
  | { readonly do: 'grant'; readonly ttlMs: number; readonly name: string }
  | { readonly do: 'revoke'; readonly id: LeaseId }
  | { readonly do: 'keepalive'; readonly id: LeaseId }
  | {
    readonly do: 'watch'; readonly stream: string; readonly key: string; readonly rangeEnd?: string; readonly prefix?: boolean;
    readonly startRevision: Revision; readonly prevKv?: boolean;
  }
  | { readonly do: 'cancelWatch'; readonly stream: string }
  /** Does this node still hold the stream? (A restarted node lost it; the client then opens it again.) */
  | { readonly do: 'watchProgress'; readonly stream: string };

/** The lease operations a follower forwards to the leader. */
export function isLeaseOp(op: ClientOp): op is Extract<ClientOp, { do: 'grant' | 'revoke' | 'keepalive' }> {
  return op.do === 'grant' || op.do === 'revoke' || op.do === 'keepalive';
}

/** A client's request to the node it is attached to. A retry resends it unchanged (same `id`). */
export interface ClientRequestMsg {
  readonly type: 'ClientRequest';
  readonly from: ClientName;
  readonly to: NodeId;
  /** The key of the exactly-once table: the client's name, or `name/lane` for a request lane run alongside. */
  readonly session: string;
  /** The client's request number (also the trace's operation id). Invariant: increasing per session for logged ops. */
  readonly id: number;
  /**
   * Which sending of the request this is (1, 2, ... for the client's retries). The bus may deliver one attempt
   * twice; a node answers both copies of an attempt alike (docs/clients.md, "One attempt, one answer").
   */
  readonly attempt: number;
  readonly op: ClientOp;
  /** etcd's WithRequireLeader: fail at once with "etcdserver: no leader" on a node that knows no leader. */
  readonly requireLeader: boolean;
  /** How long the node may hold the request before giving up on it (the client's timeout). */
  readonly timeoutMs: number;
}

/** Why a node did not take a request on (it certainly had no effect through this node). */
export type Refusal = 'noLeader' | 'notLeader';

/** etcd's errors for requests that never reached a leader (the error of a refusal). */
export const ERR_NO_LEADER = 'etcdserver: no leader';
export const ERR_NOT_LEADER = 'etcdserver: not leader';

/** A node's answer to a request. */
export interface ClientResponseMsg {
  readonly type: 'ClientResponse';
  readonly from: NodeId;
  readonly to: ClientName;
  readonly id: number;
  /** The result (with header.raftTerm) or the error. */
  readonly outcome: Outcome<unknown>;
  /** Set when the node refused the request without proposing or forwarding it. */
  readonly refused?: Refusal;
  /** The leader the node knows, when it refused (0 = none). */
  readonly leader?: NodeId;
}

/**
 * Events of one watch stream, pushed by the node. Each opening of a stream has its own `instance` name (the
 * create answer gives it) and numbers its messages from 1 (the create answer, which carries the replay of
 * history, is number 0), so the client takes only the instance it was answered, puts its messages back in order
 * and notices a lost one. `canceled` ends the stream with an error (the compaction error).
 */
export interface ClientWatchEventsMsg {
  readonly type: 'ClientWatchEvents';
  readonly from: NodeId;
  readonly to: ClientName;
  readonly stream: string;
  readonly instance: string;
  readonly seq: number;
  readonly events: readonly WatchEvent[];
  readonly canceled?: string;
}

/** A follower forwards a client's lease request to the leader it knows. */
export interface LeaseForwardMsg {
  readonly type: 'MsgLeaseForward';
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: Term;
  readonly client: ClientName;
  readonly session: string;
  readonly id: number;
  readonly op: Extract<ClientOp, { do: 'grant' | 'revoke' | 'keepalive' }>;
  readonly timeoutMs: number;
}

/** The leader's answer to a forwarded lease request, relayed by the follower to its client. */
export interface LeaseForwardRespMsg {
  readonly type: 'MsgLeaseForwardResp';
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: Term;
  readonly client: ClientName;
  readonly id: number;
  readonly outcome: Outcome<unknown>;
}

/** Messages a node receives from a client. */
export type ToNodeFromClient = ClientRequestMsg;
/** Messages a node sends to a client. */
export type ToClientMsg = ClientResponseMsg | ClientWatchEventsMsg;
/** Key-value messages between nodes. */
export type KvPeerMsg = LeaseForwardMsg | LeaseForwardRespMsg;
/** Every key-value message on the bus. */
export type KvBusMsg = ToNodeFromClient | ToClientMsg | KvPeerMsg;

/** A lease's life as the trace's `lease` events tell it (docs/trace-format.md, "Client, watch and lease events"). */
export interface LeaseNote {
  readonly node: NodeId;
  /** The scenario's name for the lease (from its grant), or the id when no name is known. */
  readonly lease: string;
  readonly id: LeaseId;
  readonly event: 'granted' | 'revoked' | 'renewed' | 'expired';
  /** The TTL granted or renewed (granted, renewed). */
  readonly ttlMs?: number;
}

/** What a node's key-value layer produced in one step, next to the Raft Ready batch. */
export interface KvStepOutput {
  /** To clients and to peers, in the order produced. */
  readonly messages: readonly KvBusMsg[];
  readonly leases: readonly LeaseNote[];
  /** The node's store revision after the step (for the UI; not traced). */
  readonly revision: Revision;
}
