/**
 * The key-value state machine one node applies committed entries to: MVCC store, leases, and the
 * exactly-once table, with etcd v3's semantics (server/etcdserver/apply.go). Deterministic: given the same
 * entries in the same order, every replica reaches the same state and answers (see digest()). The lease
 * clock (lessor.ts) is the one node-local part; it only observes grants and revokes.
 *
 * The node using it: applies each committed entry with applyEntryData (leader's empty entries included,
 * they are no-ops), hands the returned events to its WatchHub, answers the client with the outcome (adding
 * header.raftTerm), serves serializable reads with get(), and drives the lessor (promote when it becomes
 * leader, demote when it stops, renew on keepalive, expired → propose revokes).
 */
import type { LogIndex } from '../raft/types.ts';
import { decodeCommand, type Command, type KvRequest } from './command.ts';
import { ClientSessions, DEFAULT_MAX_CLIENTS } from './clientSessions.ts';
import { Digest } from './digest.ts';
import { ERR_DUPLICATE_KEY, ERR_LEASE_EXISTS, ERR_LEASE_NOT_FOUND, ERR_STALE_REQUEST } from './errors.ts';
import { hasLease } from './leaseId.ts';
import { keyRangeOf } from './keyOrder.ts';
import { NO_LEASE, type KeyValue, type Revision, type StoreEvent } from './keyValue.ts';
import { LeaseTable } from './leaseTable.ts';
import { DEFAULT_REVOKE_RETRY_MS, Lessor } from './lessor.ts';
import { MvccStore, type WriteTxn } from './mvccStore.ts';
import type {
  DeleteRequest, DeleteResult, GetRequest, GetResult, GrantResult, HeaderResult, Outcome, PutRequest, PutResult, TxnOp,
  TxnOpResult, TxnRequest, TxnResult,
} from './requests.ts';
import { compareHolds, writesKeyTwice } from './txnRules.ts';

/** Any request's result. */
export type KvResult = PutResult | GetResult | DeleteResult | TxnResult | GrantResult | HeaderResult;

/** Where and when an entry is applied. */
export interface ApplyContext {
  /** The entry's log index. Invariant: strictly increasing across calls. */
  readonly index: LogIndex;
  /** Virtual time of the apply, in ms: starts a granted lease's TTL on the leader's lessor. */
  readonly nowMs: number;
}

/** What applying one entry did. */
export interface ApplyResult {
  /** The answer for the client (a definite error means the command had no effect). */
  readonly outcome: Outcome<KvResult>;
  /** The changes made, in order, all at one revision: hand them to the WatchHub. Empty if nothing changed. */
  readonly events: readonly StoreEvent[];
  /** True when the command was a retry of the client's last applied request: answered from the cache. */
  readonly duplicate: boolean;
  /** Lease granted or revoked by this entry (for `lease` trace events), if any. */
  readonly leaseChange?: { readonly kind: 'granted' | 'revoked'; readonly id: string };
}

export interface KvStateMachineOptions {
  /** Grants below this TTL are raised to it (etcd: ceil(1.5 × election timeout); see minLeaseTtlMsFor). Default 0. */
  readonly minLeaseTtlMs?: number;
  readonly maxClients?: number;
  readonly revokeRetryMs?: number;
}

const NOTHING_CHANGED: readonly StoreEvent[] = [];

export class KvStateMachine {
  readonly store = new MvccStore();
  readonly leases = new LeaseTable();
  /** This node's lease clock: node-local, not part of the digest. */
  readonly lessor: Lessor;
  readonly sessions: ClientSessions;
  private readonly minLeaseTtlMs: number;
  // Invariant: the index of the last applied entry; entries are applied in log order.
  private lastAppliedIndex: LogIndex = 0;

  constructor(options: KvStateMachineOptions = {}) {
    this.minLeaseTtlMs = options.minLeaseTtlMs ?? 0;
    this.sessions = new ClientSessions(options.maxClients ?? DEFAULT_MAX_CLIENTS);
    this.lessor = new Lessor(this.leases, options.revokeRetryMs ?? DEFAULT_REVOKE_RETRY_MS);
  }

  /** The index of the last entry applied (0 before any). */
  get appliedIndex(): LogIndex {
    return this.lastAppliedIndex;
  }

  /** The store's revision. */
  get revision(): Revision {
    return this.store.revision;
  }

  /**
   * Applies a committed entry's data: null (a leader's empty entry) and data that is not a command are
   * no-ops, the latter answered with an error naming the problem.
   */
  applyEntryData(data: string | null, context: ApplyContext): ApplyResult {
    if (data === null) {
      this.advanceIndex(context.index);
      return { outcome: { ok: true, result: this.header() }, events: NOTHING_CHANGED, duplicate: false };
    }
    const decoded = decodeCommand(data);
    if (!decoded.ok) {
      this.advanceIndex(context.index);
      return { outcome: decoded, events: NOTHING_CHANGED, duplicate: false };
    }
    return this.applyCommand(decoded.result, context);
  }

  /** Applies one command, at most once per (clientId, requestId) (Raft thesis §6.3). */
  applyCommand(command: Command, context: ApplyContext): ApplyResult {
    this.advanceIndex(context.index);
    const deduplicate = command.clientId !== '';
    if (deduplicate) {
      const last = this.sessions.lookup(command.clientId);
      if (last !== undefined && command.requestId === last.requestId) {
        return { outcome: last.outcome as Outcome<KvResult>, events: NOTHING_CHANGED, duplicate: true };
      }
      if (last !== undefined && command.requestId < last.requestId) {
        return { outcome: { ok: false, error: ERR_STALE_REQUEST }, events: NOTHING_CHANGED, duplicate: true };
      }
    }
    const applied = this.execute(command.request, context.nowMs);
    if (deduplicate) this.sessions.remember(command.clientId, command.requestId, applied.outcome, context.index);
    return applied;
  }

  /** A serializable read of the local state (possibly stale on a follower), as etcd's Range. */
  get(request: GetRequest): Outcome<GetResult> {
    const problem = this.store.checkReadRevision(request.revision ?? 0);
    if (problem !== undefined) return { ok: false, error: problem };
    return { ok: true, result: { header: this.header().header, ...this.readRange(request) } };
  }

  /**
   * A hash of the replicated state: revisions, every key's recorded versions, leases with their keys, and the
   * exactly-once table. Equal on replicas that applied the same entries; the lessor's clock is excluded.
   */
  digest(): string {
    const digest = new Digest().number(this.store.revision).number(this.store.compactRevision);
    this.store.forEachHistory((key, history) => {
      digest.string(key);
      for (const { kv, sub } of history.entries()) {
        digest.string(kv.value).number(kv.createRevision).number(kv.modRevision).number(kv.version).string(kv.lease).number(sub);
      }
    });
    const leases = [...this.leases.all()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const lease of leases) {
      digest.string(lease.id).number(lease.ttlMs);
      for (const key of this.leases.keysOf(lease.id)) digest.string(key);
    }
    for (const [clientId, session] of this.sessions.entries()) {
      digest.string(clientId).number(session.requestId).number(session.index).string(JSON.stringify(session.outcome));
    }
    return digest.hex();
  }

  private advanceIndex(index: number): void {
    if (index <= this.lastAppliedIndex) {
      throw new Error(`KvStateMachine: entry ${index} applied after entry ${this.lastAppliedIndex}; entries apply once, in log order`);
    }
    this.lastAppliedIndex = index;
  }

  private header(): HeaderResult {
    return { header: { revision: this.store.revision } };
  }

  private execute(request: KvRequest, nowMs: number): ApplyResult {
    switch (request.do) {
      case 'put': return this.executePut(request);
      case 'get': return readOnly(this.get(request));
      case 'delete': return this.executeDelete(request);
      case 'txn': return this.executeTxn(request);
      case 'grant': return this.executeGrant(request.id, request.ttlMs, nowMs);
      case 'revoke': return this.executeRevoke(request.id);
      case 'compact': {
        const problem = this.store.compact(request.revision);
        return readOnly(problem === undefined ? { ok: true, result: this.header() } : { ok: false, error: problem });
      }
    }
  }

  private executePut(request: PutRequest): ApplyResult {
    if (!this.leaseUsable(request.lease)) return readOnly({ ok: false, error: ERR_LEASE_NOT_FOUND });
    const write = this.store.beginWrite();
    const prevKv = this.put(write, request);
    const events = write.end();
    return { outcome: { ok: true, result: { header: { revision: this.store.revision }, prevKv } }, events, duplicate: false };
  }

  private executeDelete(request: DeleteRequest): ApplyResult {
    const write = this.store.beginWrite();
    const result = this.delete(write, request);
    const events = write.end();
    return { outcome: { ok: true, result: { header: { revision: this.store.revision }, ...result } }, events, duplicate: false };
  }

  private executeTxn(request: TxnRequest): ApplyResult {
    // etcd rejects a txn writing a key twice in either branch before looking at the compares.
    if (writesKeyTwice(request.success) || writesKeyTwice(request.failure)) return readOnly({ ok: false, error: ERR_DUPLICATE_KEY });
    const succeeded = request.compare.every((compare) => compareHolds(compare, this.store.get(compare.key)));
    const ops = succeeded ? request.success : request.failure;
    // Everything that could fail is checked before the first write, so a failing txn has no effect at all.
    const problem = this.checkTxnOps(ops);
    if (problem !== undefined) return readOnly({ ok: false, error: problem });
    const write = this.store.beginWrite();
    const responses: TxnOpResult[] = ops.map((op) => {
      if ('put' in op) return { put: { prevKv: this.put(write, op.put) } };
      if ('get' in op) return { get: this.readRange(op.get) };
      return { delete: this.delete(write, op.delete) };
    });
    const events = write.end();
    const result: TxnResult = { header: { revision: this.store.revision }, succeeded, responses };
    return { outcome: { ok: true, result }, events, duplicate: false };
  }

  private checkTxnOps(ops: readonly TxnOp[]): string | undefined {
    for (const op of ops) {
      if ('put' in op && !this.leaseUsable(op.put.lease)) return ERR_LEASE_NOT_FOUND;
      if ('get' in op) {
        const problem = this.store.checkReadRevision(op.get.revision ?? 0);
        if (problem !== undefined) return problem;
      }
    }
    return undefined;
  }

  private executeGrant(id: string, requestedTtlMs: number, nowMs: number): ApplyResult {
    if (this.leases.has(id)) return readOnly({ ok: false, error: ERR_LEASE_EXISTS });
    const lease = this.leases.grant(id, Math.max(requestedTtlMs, this.minLeaseTtlMs));
    this.lessor.onGranted(id, nowMs);
    const result: GrantResult = { header: { revision: this.store.revision }, id, ttlMs: lease.ttlMs };
    return { outcome: { ok: true, result }, events: NOTHING_CHANGED, duplicate: false, leaseChange: { kind: 'granted', id } };
  }

  /** Revoking deletes every attached key, in key order, in one revision (etcd lessor.Revoke). */
  private executeRevoke(id: string): ApplyResult {
    if (!this.leases.has(id)) return readOnly({ ok: false, error: ERR_LEASE_NOT_FOUND });
    const keys = this.leases.revoke(id);
    this.lessor.onRevoked(id);
    const write = this.store.beginWrite();
    write.deleteKeys(keys);
    const events = write.end();
    return { outcome: { ok: true, result: this.header() }, events, duplicate: false, leaseChange: { kind: 'revoked', id } };
  }

  /** A put inside an open write, keeping lease attachments in step; returns prevKv when asked, else null. */
  private put(write: WriteTxn, request: PutRequest): KeyValue | null {
    const lease = request.lease ?? NO_LEASE;
    const prevKv = write.put(request.key, request.value, lease);
    if (prevKv !== null && hasLease(prevKv.lease) && prevKv.lease !== lease) this.leases.detach(prevKv.lease, request.key);
    if (hasLease(lease)) this.leases.attach(lease, request.key);
    return request.prevKv ? prevKv : null;
  }

  private delete(write: WriteTxn, request: DeleteRequest): { deleted: number; prevKvs?: KeyValue[] } {
    const deleted = write.deleteRange(keyRangeOf(request.key, request.rangeEnd, request.prefix));
    for (const kv of deleted) if (hasLease(kv.lease)) this.leases.detach(kv.lease, kv.key);
    return request.prevKv ? { deleted: deleted.length, prevKvs: deleted } : { deleted: deleted.length };
  }

  private readRange(request: GetRequest): { kvs: readonly KeyValue[]; count: number } {
    return this.store.range(keyRangeOf(request.key, request.rangeEnd, request.prefix), request);
  }

  private leaseUsable(lease: string | undefined): boolean {
    return lease === undefined || !hasLease(lease) || this.leases.has(lease);
  }
}

/** An outcome that changed nothing. */
function readOnly(outcome: Outcome<KvResult>): ApplyResult {
  return { outcome, events: NOTHING_CHANGED, duplicate: false };
}
