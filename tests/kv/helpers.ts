/** Shared helpers for the kv tests: a state machine plus a log index counter, and unwrapping outcomes. */
import { expect } from 'vitest';
import {
  KvStateMachine, type ApplyResult, type DeleteRequest, type DeleteResult, type GetRequest, type GetResult, type GrantResult,
  type KvRequest, type KvResult, type KvStateMachineOptions, type Outcome, type PutRequest, type PutResult, type TxnRequest,
  type TxnResult,
} from '../../src/kv/index.ts';

/** A state machine fed like a node feeds it: one entry per request, indexes 1, 2, 3... */
export class Harness {
  readonly sm: KvStateMachine;
  private index = 0;
  nowMs = 0;

  constructor(options: KvStateMachineOptions = {}) {
    this.sm = new KvStateMachine(options);
  }

  /** Applies a request from an anonymous client (no deduplication). */
  apply(request: KvRequest): ApplyResult {
    return this.sm.applyCommand({ clientId: '', requestId: 0, request }, { index: ++this.index, nowMs: this.nowMs });
  }

  /** Applies a request from a client with a request id. */
  applyAs(clientId: string, requestId: number, request: KvRequest): ApplyResult {
    return this.sm.applyCommand({ clientId, requestId, request }, { index: ++this.index, nowMs: this.nowMs });
  }

  /** Applies and returns the ok result (typed by the caller), failing the test on an error. */
  ok<R extends KvResult>(request: KvRequest): R {
    return okOf(this.apply(request).outcome) as R;
  }

  put(key: string, value: string, extra: Partial<PutRequest> = {}): PutResult {
    return this.ok<PutResult>({ do: 'put', key, value, ...extra });
  }

  get(key: string, extra: Partial<GetRequest> = {}): GetResult {
    return okOf(this.sm.get({ key, ...extra }));
  }

  del(key: string, extra: Partial<DeleteRequest> = {}): DeleteResult {
    return this.ok<DeleteResult>({ do: 'delete', key, ...extra });
  }

  txn(request: Partial<TxnRequest>): TxnResult {
    return this.ok<TxnResult>({ do: 'txn', compare: [], success: [], failure: [], ...request });
  }

  grant(id: string, ttlMs: number): GrantResult {
    return this.ok<GrantResult>({ do: 'grant', id, ttlMs });
  }

  /** Applies and returns the error, failing the test if it succeeded. */
  error(request: KvRequest): string {
    const outcome = this.apply(request).outcome;
    if (outcome.ok) throw new Error(`expected an error, got ${JSON.stringify(outcome.result)}`);
    return outcome.error;
  }
}

export function okOf<R>(outcome: Outcome<R>): R {
  if (!outcome.ok) expect.fail(`expected ok, got error: ${outcome.error}`);
  return outcome.result;
}

/** A KeyValue literal with lease "0" unless given. */
export function kv(key: string, value: string, createRevision: number, modRevision: number, version: number, lease = '0') {
  return { key, value, createRevision, modRevision, version, lease };
}
