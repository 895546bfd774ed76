/**
 * Requests and results of the key-value API, in the contract's shapes (docs/clients.md, "The contract": "Precise rules" and
 * the scenario actions of the same names). Lease fields here are real lease ids: the client layer turns a
 * scenario's lease names into ids before a request reaches the state machine.
 */
import type { KeyValue, LeaseId, Revision } from './keyValue.ts';

/** Range (etcd RangeRequest): one key, a prefix, or [key, rangeEnd). */
export interface GetRequest {
  readonly key: string;
  /** Exclusive end; "\0" = every key >= key; absent or "" = the single key. Ignored when `prefix`. */
  readonly rangeEnd?: string;
  /** Every key starting with `key` (an empty key: every key). */
  readonly prefix?: boolean;
  /** Read the store as of this revision; 0 or absent = the current one. */
  readonly revision?: Revision;
  /** At most this many kvs (in key order); 0 or absent = no limit. `count` still counts them all. */
  readonly limit?: number;
  /** Return only `count`, no kvs. */
  readonly countOnly?: boolean;
}

export interface PutRequest {
  readonly key: string;
  readonly value: string;
  /** Attach the key to this lease ("0" or absent = none; a put without a lease detaches any old one). */
  readonly lease?: LeaseId;
  /** Return the version this put replaced. */
  readonly prevKv?: boolean;
}

export interface DeleteRequest {
  readonly key: string;
  readonly rangeEnd?: string;
  readonly prefix?: boolean;
  /** Return the deleted versions. */
  readonly prevKv?: boolean;
}

/** What a txn compare looks at (etcd Compare.CompareTarget). */
export type CompareTarget = 'version' | 'createRevision' | 'modRevision' | 'value' | 'lease';
export type CompareOp = '=' | '!=' | '<' | '>';

/**
 * One txn guard. `value` is a number for version/createRevision/modRevision, a string for value, and a lease
 * id (string; "0" = none) for lease.
 */
export interface Compare {
  readonly key: string;
  readonly target: CompareTarget;
  readonly op: CompareOp;
  readonly value: number | string;
}

/** One txn operation, keyed by its kind as in the contract. */
export type TxnOp = { readonly put: PutRequest } | { readonly get: GetRequest } | { readonly delete: DeleteRequest };

export interface TxnRequest {
  readonly compare: readonly Compare[];
  readonly success: readonly TxnOp[];
  readonly failure: readonly TxnOp[];
}

export interface GrantRequest {
  /** Chosen by the proposer, carried in the log so every replica grants the same id. Never "0". */
  readonly id: LeaseId;
  readonly ttlMs: number;
}

export interface RevokeRequest {
  readonly id: LeaseId;
}

export interface CompactRequest {
  readonly revision: Revision;
}

/** Every ok result carries the header; `raftTerm` is filled by the node that answers, not the state machine. */
export interface ResponseHeader {
  /** The store's revision after the request. */
  readonly revision: Revision;
  readonly raftTerm?: number;
}

export interface PutResult {
  readonly header: ResponseHeader;
  /** The replaced version when asked and the key existed; null otherwise. */
  readonly prevKv: KeyValue | null;
}

export interface GetResult {
  readonly header: ResponseHeader;
  readonly kvs: readonly KeyValue[];
  /** Every key in the range, whatever `limit` says. */
  readonly count: number;
}

export interface DeleteResult {
  readonly header: ResponseHeader;
  readonly deleted: number;
  /** Present only when asked. */
  readonly prevKvs?: readonly KeyValue[];
}

/** One executed txn op's result, keyed like the op, without a header. */
export type TxnOpResult =
  | { readonly put: { readonly prevKv: KeyValue | null } }
  | { readonly get: { readonly kvs: readonly KeyValue[]; readonly count: number } }
  | { readonly delete: { readonly deleted: number; readonly prevKvs?: readonly KeyValue[] } };

export interface TxnResult {
  readonly header: ResponseHeader;
  /** Whether every compare held, so the success branch ran. */
  readonly succeeded: boolean;
  readonly responses: readonly TxnOpResult[];
}

export interface GrantResult {
  readonly header: ResponseHeader;
  readonly id: LeaseId;
  /** The TTL as granted (raised to the minimum TTL if the request asked for less). */
  readonly ttlMs: number;
}

/** Revoke and compact: just the header. */
export interface HeaderResult {
  readonly header: ResponseHeader;
}

/** What a request ends with: a result, or a definite error (the request had no effect). */
export type Outcome<R> = { readonly ok: true; readonly result: R } | { readonly ok: false; readonly error: string };
