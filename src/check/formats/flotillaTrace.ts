import { HistoryRecorder } from '../historyRecorder.ts';
import type { Operation } from '../model.ts';
import {
  UNKNOWN_KV_OUTPUT,
  type KvCompare,
  type KvCompareOp,
  type KvCompareTarget,
  type KvOutput,
  type KvPair,
  type KvRequest,
  type KvResponse,
} from '../models/etcdKv.ts';
import { keyRangeOf, type KeyRange } from '../../kv/index.ts';

/**
 * Reads the client operations of a Flotilla trace (docs/trace-format.md, "Client, watch and lease events") as a history for the etcd
 * model. Times are positions in the trace: the trace lists events in the order they happened (scenario-and-
 * trace.md), so an operation that completed before another was invoked in the same virtual millisecond still
 * precedes it, exactly as the simulated world ordered them.
 *
 * What is checked: get (linearizable reads only), put, delete and txn, and lease revokes (a client's, and the
 * leader's after an `expired` lease event, whose effect time is unknown until a `revoked` event for the lease
 * shows it applied). Serializable reads and reads at a past
 * revision are stale by design and constrain nothing; leases' grant and keepalive, watches and compaction do not
 * change keys and are left to their own checks.
 */
export function traceToKvHistory(events: readonly object[]): Operation<KvRequest, KvOutput>[] {
  const leases = leaseNames(events);
  const recorder = new HistoryRecorder<KvRequest, KvOutput>({
    isReadOnly: (request) => request.kind === 'range',
    unknownOutput: UNKNOWN_KV_OUTPUT,
  });
  // Per (client, id): the request being tracked; null for an operation this checker does not model.
  const tracked = new Map<string, KvRequest | null>();
  // Per lease: the expiry revoke not yet known to have been applied (its recorder client id).
  const pendingExpiries = new Map<string, string>();
  events.forEach((raw, index) => {
    const event = raw as Record<string, unknown>;
    const where = `event ${index + 1}`;
    if (event.type === 'lease' && event.event === 'expired') {
      const lease = leaseName(event.lease, leases, `${where}: lease`);
      // A lease is revoked once: while one expiry revoke of it is pending, a later one (a new leader deciding
      // again) adds nothing the first could not do at the same point, so it is not tracked twice.
      if (lease === null || pendingExpiries.has(lease)) return;
      // The leader decided the lease expired; the revoke it proposes may commit at any later time, or never...
      const clientId = `lease-expiry#${index}`;
      recorder.invoke(clientId, { kind: 'revokeLease', lease }, index, where);
      pendingExpiries.set(lease, clientId);
      return;
    }
    if (event.type === 'lease' && event.event === 'revoked') {
      // ...but once a `revoked` event shows the lease revoked (a revoke was applied by the node that proposed
      // it, so it was committed), no expiry revoke can take effect later: each ends there, its output unknown.
      const lease = leaseName(event.lease, leases, `${where}: lease`);
      if (lease === null) return;
      const clientId = pendingExpiries.get(lease);
      if (clientId !== undefined) recorder.complete(clientId, { type: 'ok', output: UNKNOWN_KV_OUTPUT }, index, where);
      pendingExpiries.delete(lease);
      return;
    }
    if (event.type !== 'client') return;
    const client = String(event.client);
    const clientId = `${client}#${String(event.id)}`;
    if (event.phase === 'invoke') {
      const request = requestOf(event.op, leases, `${where}: op`);
      tracked.set(clientId, request);
      if (request !== null) recorder.invoke(clientId, request, index, where);
      return;
    }
    const request = tracked.get(clientId);
    if (request === undefined) throw new Error(`${where}: client ${client} completes operation ${String(event.id)} it never invoked`);
    tracked.delete(clientId);
    if (request === null) return;
    if (event.phase === 'ok') {
      const result = object(event.result, `${where}: result`);
      const header = object(result.header, `${where}: result.header`);
      const revision = integer(header.revision, `${where}: result.header.revision`);
      const output: KvOutput = { kind: 'ok', revision, response: responseOf(request, result, leases, `${where}: result`) };
      recorder.complete(clientId, { type: 'ok', output }, index, where);
    } else if (event.phase === 'fail' || event.phase === 'info') {
      recorder.complete(clientId, { type: event.phase }, index, where);
    } else {
      throw new Error(`${where}: phase must be invoke, ok, fail or info, not ${JSON.stringify(event.phase)}`);
    }
  });
  return recorder.operations();
}

/** Whether a client operation's `op` is a read the checker must ignore (stale by design). */
export function isStaleReadOp(op: unknown): boolean {
  const fields = op as Record<string, unknown> | null;
  return fields !== null && typeof fields === 'object' && fields.do === 'get'
    && (fields.serializable === true || (typeof fields.revision === 'number' && fields.revision > 0));
}

/**
 * Lease names by id, from `lease` events and grant results: a put names the scenario's lease name, a result
 * shows the lease id, and the model compares them by name.
 */
function leaseNames(events: readonly object[]): Map<string, string> {
  const byId = new Map<string, string>();
  const granting = new Map<string, string>();
  for (const raw of events) {
    const event = raw as Record<string, unknown>;
    if (event.type === 'lease' && typeof event.lease === 'string' && typeof event.id === 'string') {
      byId.set(event.id, event.lease);
    } else if (event.type === 'client') {
      const key = `${String(event.client)}#${String(event.id)}`;
      const op = event.op as Record<string, unknown> | undefined;
      if (event.phase === 'invoke' && op?.do === 'grant' && typeof op.lease === 'string') granting.set(key, op.lease);
      const result = event.result as Record<string, unknown> | undefined;
      if (event.phase === 'ok' && granting.has(key) && typeof result?.id === 'string') byId.set(result.id, granting.get(key)!);
    }
  }
  return byId;
}

/** A lease as the model names it: null for none ("0", 0, absent); an id with a known name becomes the name. */
function leaseName(value: unknown, names: Map<string, string>, where: string): string | null {
  if (value === undefined || value === null || value === 0 || value === '0' || value === '') return null;
  if (typeof value !== 'string') throw new Error(`${where} must be a lease name or id`);
  return names.get(value) ?? value;
}

/** The lease a result shows: null for none, the name when known, undefined when the id cannot be named. */
function shownLease(value: unknown, names: Map<string, string>): string | null | undefined {
  if (value === undefined || value === null || value === '0' || value === 0) return null;
  return typeof value === 'string' ? names.get(value) : undefined;
}

function requestOf(raw: unknown, leases: Map<string, string>, where: string): KvRequest | null {
  const op = object(raw, where);
  switch (op.do) {
    case 'get':
      return isStaleReadOp(op) ? null : rangeRequest(op, where);
    case 'put':
      return putRequest(op, leases, where);
    case 'delete':
      return deleteRequest(op, where);
    case 'txn': {
      const compares = array(op.compare ?? [], `${where}.compare`).map((c, i) => compareOf(c, leases, `${where}.compare[${i}]`));
      const branch = (name: 'success' | 'failure') =>
        array(op[name] ?? [], `${where}.${name}`).map((item, i) => txnRequest(item, leases, `${where}.${name}[${i}]`));
      return { kind: 'txn', compares, success: branch('success'), failure: branch('failure') };
    }
    case 'revoke': {
      const lease = leaseName(op.lease, leases, `${where}.lease`);
      return lease === null ? null : { kind: 'revokeLease', lease };
    }
    default:
      // grant, keepalive, watch, cancelWatch and compact change no key directly. Anything else is not a client
      // operation (docs/clients.md): a history with it would be checked without it, so it is refused instead.
      if (typeof op.do === 'string' && UNMODELLED_OPS.includes(op.do)) return null;
      throw new Error(`${where}.do: unknown client operation ${JSON.stringify(op.do) ?? 'undefined'} (known: ${[...MODELLED_OPS, ...UNMODELLED_OPS].join(', ')})`);
  }
}

/** The client operations the etcd model checks (see requestOf). */
const MODELLED_OPS: readonly string[] = ['get', 'put', 'delete', 'txn', 'revoke'];
/** The client operations that change no key: valid in a trace, left to their own checks. */
const UNMODELLED_OPS: readonly string[] = ['grant', 'keepalive', 'watch', 'cancelWatch', 'compact'];

function rangeRequest(op: Record<string, unknown>, where: string): KvRequest {
  return {
    kind: 'range',
    range: keyRange(op, where),
    limit: op.limit === undefined ? 0 : integer(op.limit, `${where}.limit`),
    countOnly: op.countOnly === true || op.count === true,
    keysOnly: op.keysOnly === true,
    verify: !isStaleReadOp({ ...op, do: 'get' }),
  };
}

function putRequest(op: Record<string, unknown>, leases: Map<string, string>, where: string): KvRequest {
  return {
    kind: 'put',
    key: string(op.key, `${where}.key`),
    value: string(op.value ?? '', `${where}.value`),
    lease: leaseName(op.lease, leases, `${where}.lease`),
    prevKv: op.prevKv === true,
  };
}

function deleteRequest(op: Record<string, unknown>, where: string): KvRequest {
  return { kind: 'deleteRange', range: keyRange(op, where), prevKv: op.prevKv === true };
}

function txnRequest(raw: unknown, leases: Map<string, string>, where: string): KvRequest {
  const item = object(raw, where);
  if (item.put !== undefined) return putRequest(object(item.put, `${where}.put`), leases, `${where}.put`);
  if (item.get !== undefined) return rangeRequest(object(item.get, `${where}.get`), `${where}.get`);
  if (item.delete !== undefined) return deleteRequest(object(item.delete, `${where}.delete`), `${where}.delete`);
  throw new Error(`${where} must be {"put": ...}, {"get": ...} or {"delete": ...}`);
}

const COMPARE_TARGETS: readonly KvCompareTarget[] = ['version', 'createRevision', 'modRevision', 'value', 'lease'];
const COMPARE_OPS: readonly KvCompareOp[] = ['=', '!=', '>', '<'];

function compareOf(raw: unknown, leases: Map<string, string>, where: string): KvCompare {
  const c = object(raw, where);
  const target = c.target as KvCompareTarget;
  if (!COMPARE_TARGETS.includes(target)) throw new Error(`${where}.target must be one of ${COMPARE_TARGETS.join(', ')}`);
  const op = c.op as KvCompareOp;
  if (!COMPARE_OPS.includes(op)) throw new Error(`${where}.op must be one of ${COMPARE_OPS.join(' ')}`);
  const key = string(c.key, `${where}.key`);
  if (target === 'lease') return { key, target, op, value: leaseName(c.value, leases, `${where}.value`) };
  if (target === 'value') return { key, target, op, value: string(c.value, `${where}.value`) };
  return { key, target, op, value: integer(c.value, `${where}.value`) };
}

function keyRange(op: Record<string, unknown>, where: string): KeyRange {
  const key = string(op.key, `${where}.key`);
  const rangeEnd = op.rangeEnd === undefined ? undefined : string(op.rangeEnd, `${where}.rangeEnd`);
  return keyRangeOf(key, rangeEnd, op.prefix === true);
}

function responseOf(request: KvRequest, raw: Record<string, unknown>, leases: Map<string, string>, where: string): KvResponse {
  switch (request.kind) {
    case 'range':
      return {
        ...(raw.kvs !== undefined ? { kvs: pairs(raw.kvs, leases, `${where}.kvs`) } : {}),
        ...(raw.count !== undefined ? { count: integer(raw.count, `${where}.count`) } : {}),
      };
    case 'put':
      // A result may carry "prevKv": null although the request did not ask for it; only an asked-for one counts.
      if (!request.prevKv || raw.prevKv === undefined) return {};
      return { prevKv: raw.prevKv === null ? null : pair(raw.prevKv, leases, `${where}.prevKv`) };
    case 'deleteRange':
      return {
        ...(raw.deleted !== undefined ? { deleted: integer(raw.deleted, `${where}.deleted`) } : {}),
        ...(request.prevKv && raw.prevKvs !== undefined ? { prevKvs: pairs(raw.prevKvs, leases, `${where}.prevKvs`) } : {}),
      };
    case 'txn': {
      if (typeof raw.succeeded !== 'boolean') throw new Error(`${where}.succeeded must be true or false`);
      const branch = raw.succeeded ? request.success : request.failure;
      if (raw.responses === undefined) return { succeeded: raw.succeeded };
      const responses = array(raw.responses, `${where}.responses`).map((item, i) => {
        const wrapped = object(item, `${where}.responses[${i}]`);
        const sub = branch[i];
        if (sub === undefined) throw new Error(`${where}.responses has more entries than the txn branch has ops`);
        const name = sub.kind === 'range' ? 'get' : sub.kind === 'put' ? 'put' : 'delete';
        return responseOf(sub, object(wrapped[name] ?? {}, `${where}.responses[${i}].${name}`), leases, `${where}.responses[${i}].${name}`);
      });
      return { succeeded: raw.succeeded, responses };
    }
    case 'revokeLease':
      return {};
  }
}

function pairs(raw: unknown, leases: Map<string, string>, where: string): KvPair[] {
  return array(raw, where).map((item, i) => pair(item, leases, `${where}[${i}]`));
}

function pair(raw: unknown, leases: Map<string, string>, where: string): KvPair {
  const kv = object(raw, where);
  return {
    key: string(kv.key, `${where}.key`),
    value: string(kv.value ?? '', `${where}.value`),
    createRevision: integer(kv.createRevision, `${where}.createRevision`),
    modRevision: integer(kv.modRevision, `${where}.modRevision`),
    version: integer(kv.version, `${where}.version`),
    lease: shownLease(kv.lease, leases),
  };
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where} must be an object`);
  return value as Record<string, unknown>;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where} must be an array`);
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where} must be a string`);
  return value;
}

function integer(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error(`${where} must be an integer`);
  return value;
}

