import { combineHash, hashString } from '../hashing.ts';
import type { Model, Operation, StepResult } from '../model.ts';
import { compareKeys, rangeContains, type KeyRange } from '../../kv/index.ts';
import type { CompareOp, CompareTarget } from '../../kv/index.ts';
import { describeKvOperation } from './etcdKvDescribe.ts';
import { partitionByKeys } from './etcdKvPartition.ts';

/**
 * The sequential specification of Flotilla's etcd-like store, as far as a client's history can check it: values
 * and per-key metadata (version, createRevision, modRevision, lease) of every key, and a lower bound on the
 * store's revision. Revisions are global in etcd, so a part of a history that covers some keys cannot know them in
 * advance; instead it learns them from what the history shows (a put's `header.revision` is its modRevision) and
 * requires them to be consistent: revisions of writes strictly increase along the linearization, a read's
 * `header.revision` is never below a write linearized before it, and a key's metadata in a read matches what the
 * linearized writes made it.
 *
 * The history is checked per group of keys (P-compositionality, etcdKvPartition.ts), and operations are described
 * for a verdict's report in etcdKvDescribe.ts.
 */

/** A revision the history has not shown (a write of unknown outcome, or a metadata field never read back). */
export const UNKNOWN_REVISION = -1;

/** A key-value pair as a result shows it. `lease`: the lease's canonical name, null for none, undefined if unknown. */
export interface KvPair {
  readonly key: string;
  readonly value: string;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly version: number;
  readonly lease: string | null | undefined;
}

/** The compare targets and operators are the state machine's own (etcd's Compare). */
export type KvCompareTarget = CompareTarget;
export type KvCompareOp = CompareOp;

/** One txn compare. `value` is a number for revisions and version, a string for value, a lease name or null. */
export interface KvCompare {
  readonly key: string;
  readonly target: KvCompareTarget;
  readonly op: KvCompareOp;
  readonly value: string | number | null;
}

/** A request that reads or writes keys (a txn's branches hold range, put and deleteRange requests). */
export type KvRequest =
  | {
      readonly kind: 'range';
      readonly range: KeyRange;
      /** 0: no limit. */
      readonly limit: number;
      /** Only `count` is returned. */
      readonly countOnly: boolean;
      /** Values are not returned. */
      readonly keysOnly: boolean;
      /** False for a read at a past revision inside a txn: it is not a read of the current state. */
      readonly verify: boolean;
    }
  | {
      readonly kind: 'put';
      readonly key: string;
      readonly value: string;
      readonly lease: string | null;
      /** Whether the request asked for the previous pair (only then is a result's `prevKv` meaningful). */
      readonly prevKv: boolean;
    }
  | { readonly kind: 'deleteRange'; readonly range: KeyRange; readonly prevKv: boolean }
  | {
      readonly kind: 'txn';
      readonly compares: readonly KvCompare[];
      readonly success: readonly KvRequest[];
      readonly failure: readonly KvRequest[];
    }
  /** A lease revoke (a client's, or the leader's on expiry): deletes every key attached to the lease. */
  | { readonly kind: 'revokeLease'; readonly lease: string };

/** What a successful request returned; fields absent when the response does not carry them. */
export interface KvResponse {
  readonly kvs?: readonly KvPair[];
  readonly count?: number;
  /** A put's previous pair: null when the key was absent (only when the request asked for it). */
  readonly prevKv?: KvPair | null;
  readonly deleted?: number;
  readonly prevKvs?: readonly KvPair[];
  readonly succeeded?: boolean;
  /** One response per executed txn op. */
  readonly responses?: readonly KvResponse[];
}

export type KvOutput =
  | { readonly kind: 'ok'; readonly revision: number; readonly response: KvResponse }
  /** The outcome is unknown: the request may have taken effect at any time after its call. */
  | { readonly kind: 'unknown' };

export const UNKNOWN_KV_OUTPUT: KvOutput = { kind: 'unknown' };

/** A present key. Invariant: `hash` is `recordHash` of the other fields. */
export interface KeyRecord {
  readonly key: string;
  readonly value: string;
  readonly version: number;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly lease: string | null;
  readonly hash: number;
}

export interface KvState {
  /** Present keys of the partition, sorted by `compareKeys`. */
  readonly records: readonly KeyRecord[];
  /** The store's revision is at least this here. Invariant: never decreases along a linearization. */
  readonly revisionFloor: number;
}

export type KvOperation = Operation<KvRequest, KvOutput>;

function makeRecord(fields: Omit<KeyRecord, 'hash'>): KeyRecord {
  let h = hashString(fields.key);
  h = combineHash(h, hashString(fields.value));
  h = combineHash(h, fields.version);
  h = combineHash(h, fields.createRevision);
  h = combineHash(h, fields.modRevision);
  h = combineHash(h, fields.lease === null ? 0 : hashString(fields.lease));
  return { ...fields, hash: h };
}

/** A mutable working copy of a state while one request (or txn) is applied. */
interface Working {
  records: KeyRecord[];
  /** Whether anything was written (the request then takes a new revision). */
  wrote: boolean;
}

/**
 * Applies one non-txn request at revision `revision` (UNKNOWN_REVISION when unknown), checking its response when
 * given. Returns false when the response contradicts the state.
 */
function applyRequest(work: Working, request: KvRequest, revision: number, response: KvResponse | undefined): boolean {
  switch (request.kind) {
    case 'range': {
      if (response === undefined || !request.verify) return true;
      const inRange = work.records.filter((record) => rangeContains(request.range, record.key));
      if (response.count !== undefined && response.count !== inRange.length) return false;
      if (request.countOnly || response.kvs === undefined) return true;
      const shown = request.limit > 0 ? inRange.slice(0, request.limit) : inRange;
      if (response.kvs.length !== shown.length) return false;
      for (let i = 0; i < shown.length; i++) {
        const learned = matchPair(shown[i], response.kvs[i], !request.keysOnly);
        if (learned === null) return false;
        if (learned !== shown[i]) replaceRecord(work, learned);
      }
      return true;
    }
    case 'put': {
      const index = work.records.findIndex((record) => record.key === request.key);
      const previous = index >= 0 ? work.records[index] : undefined;
      if (request.prevKv && response !== undefined && response.prevKv !== undefined) {
        if (response.prevKv === null ? previous !== undefined : previous === undefined || matchPair(previous, response.prevKv, true) === null) {
          return false;
        }
      }
      const record = makeRecord({
        key: request.key,
        value: request.value,
        version: previous ? previous.version + 1 : 1,
        createRevision: previous ? previous.createRevision : revision,
        modRevision: revision,
        lease: request.lease,
      });
      if (previous) work.records[index] = record;
      else insertRecord(work, record);
      work.wrote = true;
      return true;
    }
    case 'deleteRange': {
      const doomed = work.records.filter((record) => rangeContains(request.range, record.key));
      if (response !== undefined) {
        if (response.deleted !== undefined && response.deleted !== doomed.length) return false;
        if (request.prevKv && response.prevKvs !== undefined) {
          if (response.prevKvs.length !== doomed.length) return false;
          for (let i = 0; i < doomed.length; i++) if (matchPair(doomed[i], response.prevKvs[i], true) === null) return false;
        }
      }
      if (doomed.length > 0) {
        work.records = work.records.filter((record) => !rangeContains(request.range, record.key));
        work.wrote = true;
      }
      return true;
    }
    case 'revokeLease': {
      const kept = work.records.filter((record) => record.lease !== request.lease);
      if (kept.length !== work.records.length) {
        work.records = kept;
        work.wrote = true;
      }
      return true;
    }
    case 'txn':
      throw new Error('etcd model: a txn cannot nest in a txn');
  }
}

/**
 * Checks a pair a result shows against the state's record; returns the record (with revisions it did not know
 * yet filled in from the pair) or null on a mismatch.
 */
function matchPair(record: KeyRecord, pair: KvPair, checkValue: boolean): KeyRecord | null {
  if (pair.key !== record.key || pair.version !== record.version) return null;
  if (checkValue && pair.value !== record.value) return null;
  if (pair.lease !== undefined && pair.lease !== record.lease) return null;
  const known = (field: number, shown: number) => field === UNKNOWN_REVISION || field === shown;
  if (!known(record.createRevision, pair.createRevision) || !known(record.modRevision, pair.modRevision)) return null;
  if (record.createRevision === pair.createRevision && record.modRevision === pair.modRevision) return record;
  return makeRecord({ ...record, createRevision: pair.createRevision, modRevision: pair.modRevision });
}

function replaceRecord(work: Working, record: KeyRecord): void {
  const index = work.records.findIndex((r) => r.key === record.key);
  work.records[index] = record;
}

function insertRecord(work: Working, record: KeyRecord): void {
  let index = work.records.length;
  while (index > 0 && compareKeys(work.records[index - 1].key, record.key) > 0) index--;
  work.records.splice(index, 0, record);
}

/** A compare's outcome: true, false, or undefined when it depends on a revision the history has not shown. */
function evaluateCompare(records: readonly KeyRecord[], compare: KvCompare): boolean | undefined {
  const record = records.find((r) => r.key === compare.key);
  let actual: number | string | null;
  switch (compare.target) {
    case 'value':
      // etcd: a value compare on a missing key is false whatever the operator.
      if (record === undefined) return false;
      actual = record.value;
      break;
    case 'lease':
      actual = record?.lease ?? null;
      if (compare.op === '=') return actual === compare.value;
      if (compare.op === '!=') return actual !== compare.value;
      return undefined; // ordering lease ids needs the ids themselves
    case 'version':
      actual = record?.version ?? 0;
      break;
    case 'createRevision':
    case 'modRevision':
      actual = record === undefined ? 0 : record[compare.target];
      if (actual === UNKNOWN_REVISION) return undefined;
      break;
  }
  const expected = compare.value;
  if (typeof actual === 'string' && typeof expected === 'string') {
    const order = compareKeys(actual, expected);
    return compare.op === '=' ? order === 0 : compare.op === '!=' ? order !== 0 : compare.op === '>' ? order > 0 : order < 0;
  }
  if (typeof actual === 'number' && typeof expected === 'number') {
    return compare.op === '=' ? actual === expected : compare.op === '!=' ? actual !== expected
      : compare.op === '>' ? actual > expected : actual < expected;
  }
  return false;
}

/** Applies `request` to `state` with the output it had; the state after it, or null when it could not happen. */
function applyTo(state: KvState, request: KvRequest, output: KvOutput, succeeded?: boolean): KvState | null {
  const revision = output.kind === 'ok' ? output.revision : UNKNOWN_REVISION;
  const response = output.kind === 'ok' ? output.response : undefined;
  const work: Working = { records: state.records.slice(), wrote: false };
  if (request.kind === 'txn') {
    const branch = succeeded ? request.success : request.failure;
    const responses = response?.responses;
    if (responses !== undefined && responses.length !== branch.length) return null;
    for (let i = 0; i < branch.length; i++) {
      if (!applyRequest(work, branch[i], revision, responses?.[i])) return null;
    }
  } else if (!applyRequest(work, request, revision, response)) {
    return null;
  }
  // The revision: a write takes a new one, above everything linearized before it; a read sees the current one.
  let floor = state.revisionFloor;
  if (output.kind === 'ok') {
    if (work.wrote ? output.revision <= floor : output.revision < floor) return null;
    floor = output.revision;
  } else if (work.wrote) {
    floor += 1;
  }
  return { records: work.records, revisionFloor: floor };
}

export const etcdKvModel: Model<KvState, KvRequest, KvOutput> = {
  // etcd's store starts at revision 1 with no keys.
  init: () => ({ records: [], revisionFloor: 1 }),

  step(state, request, output): StepResult<KvState> {
    if (request.kind !== 'txn') {
      const next = applyTo(state, request, output);
      return next === null ? { ok: false, next: state } : { ok: true, next };
    }
    let outcome: boolean | undefined = true;
    for (const compare of request.compares) {
      const result = evaluateCompare(state.records, compare);
      if (result === false) {
        outcome = false;
        break;
      }
      if (result === undefined) outcome = undefined;
    }
    const shown = output.kind === 'ok' ? output.response.succeeded : undefined;
    const branches = outcome === undefined ? [true, false] : [outcome];
    const nexts: KvState[] = [];
    for (const branch of branches) {
      if (shown !== undefined && shown !== branch) continue;
      const next = applyTo(state, request, output, branch);
      if (next !== null) nexts.push(next);
    }
    return nexts;
  },

  equal(a, b) {
    if (a.revisionFloor !== b.revisionFloor || a.records.length !== b.records.length) return false;
    for (let i = 0; i < a.records.length; i++) {
      const x = a.records[i];
      const y = b.records[i];
      if (x !== y && (x.hash !== y.hash || x.key !== y.key || x.value !== y.value || x.version !== y.version
        || x.createRevision !== y.createRevision || x.modRevision !== y.modRevision || x.lease !== y.lease)) {
        return false;
      }
    }
    return true;
  },

  hash(state) {
    let h = state.revisionFloor;
    for (const record of state.records) h = combineHash(h, record.hash);
    return h;
  },

  partition: partitionByKeys,
  describe: describeKvOperation,
};
