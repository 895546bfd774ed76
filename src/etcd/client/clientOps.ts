/**
 * The client actions of a scenario (docs/scenarios.md, "Clients and the key-value store") and their validation: errors name the
 * field, as for every other action. An action is parsed once into a typed ClientAction; ClientEndpoint runs it.
 */
import { isLeaseId, type Compare, type CompareOp, type CompareTarget, type DeleteRequest, type GetRequest, type Revision } from '../../kv/index.ts';
import type { NodeId } from '../../raft/types.ts';
import { FieldError } from '../fieldError.ts';
import type { WatchSpec } from './watchStreams.ts';

/** Where a client connects: one node, like an etcd client with one endpoint, or any node (it moves when its node stops answering). */
export type ClientVia = NodeId | 'any';

/** Key-value and lease operations a client runs one at a time, in the contract's shapes (lease *names*). */
export type ClientActionName =
  | 'put' | 'get' | 'delete' | 'txn' | 'grant' | 'keepalive' | 'revoke' | 'watch' | 'cancelWatch' | 'compact';

/** Every action that names a client. */
export const CLIENT_ACTION_NAMES = ['client', 'killClient', 'put', 'get', 'delete', 'txn', 'grant', 'keepalive', 'revoke', 'watch', 'cancelWatch', 'compact'] as const;
export type AnyClientActionName = (typeof CLIENT_ACTION_NAMES)[number];

/** `client`: creates a client endpoint. */
export interface ClientSpec {
  readonly client: string;
  readonly via: ClientVia;
  /** etcd's WithRequireLeader: "etcdserver: no leader" at once on a node that knows no leader. */
  readonly requireLeader: boolean;
  /** How long a request may take before it ends as info (writes) or fail (reads). Default: 5000 + 2 × ET (etcd). */
  readonly timeoutMs?: number;
  /** How long one attempt waits before the request is sent again (to another node with via "any"). Default: ET. */
  readonly retryMs?: number;
}

/**
 * A lease as the scenario names it: the client learns its id from the grant and sends ids (leaseKeeper.ts). Never
 * empty, never "0", never shaped like an id.
 */
export type LeaseName = string;

/** The fields of a put as written: `lease` names a lease. */
export interface PutFields {
  readonly key: string;
  readonly value: string;
  readonly lease?: LeaseName;
  readonly prevKv?: boolean;
}

/** One operation of a txn branch as written (a put names its lease). */
export type TxnOpAction = { readonly put: PutFields } | { readonly get: GetRequest } | { readonly delete: DeleteRequest };

/**
 * A client action as written, minus `at` and `client`, validated: the trace's `op` (docs/clients.md, "The
 * contract"). Its fields keep the author's order, which the trace writes. A compare on `lease` names the lease
 * (0 or "0": none); a txn's absent lists are empty.
 */
export type ClientAction =
  | ({ readonly do: 'put' } & PutFields)
  | ({ readonly do: 'get'; readonly serializable?: boolean } & GetRequest)
  | ({ readonly do: 'delete' } & DeleteRequest)
  | {
    readonly do: 'txn'; readonly compare?: readonly Compare[]; readonly success?: readonly TxnOpAction[];
    readonly failure?: readonly TxnOpAction[];
  }
  | { readonly do: 'grant'; readonly lease: LeaseName; readonly ttlMs: number }
  | { readonly do: 'keepalive' | 'revoke'; readonly lease: LeaseName }
  | ({ readonly do: 'watch' } & WatchSpec)
  | { readonly do: 'cancelWatch'; readonly watch: string }
  | { readonly do: 'compact'; readonly revision: Revision };

export type WatchAction = Extract<ClientAction, { readonly do: 'watch' }>;
export type CancelWatchAction = Extract<ClientAction, { readonly do: 'cancelWatch' }>;
/** The actions that are one request each (a watch has its own protocol: watchStreams.ts). */
export type KvAction = Exclude<ClientAction, WatchAction | CancelWatchAction>;

/** A client operation as written, validated: the client that runs it, and the operation. */
export interface ClientOpAction {
  readonly client: string;
  readonly op: ClientAction;
}

type Fields = Readonly<Record<string, unknown>>;

const OP_FIELDS: Record<ClientActionName, { required: string[]; optional: string[] }> = {
  put: { required: ['key', 'value'], optional: ['lease', 'prevKv'] },
  get: { required: ['key'], optional: ['prefix', 'rangeEnd', 'serializable', 'revision', 'limit', 'countOnly'] },
  delete: { required: ['key'], optional: ['prefix', 'rangeEnd', 'prevKv'] },
  txn: { required: [], optional: ['compare', 'success', 'failure'] },
  grant: { required: ['lease', 'ttlMs'], optional: [] },
  keepalive: { required: ['lease'], optional: [] },
  revoke: { required: ['lease'], optional: [] },
  watch: { required: ['watch', 'key'], optional: ['prefix', 'rangeEnd', 'startRevision', 'prevKv'] },
  cancelWatch: { required: ['watch'], optional: [] },
  compact: { required: ['revision'], optional: [] },
};

const COMPARE_TARGETS: readonly CompareTarget[] = ['version', 'createRevision', 'modRevision', 'value', 'lease'];
const COMPARE_OPS: readonly CompareOp[] = ['=', '!=', '<', '>'];

export function isClientActionName(name: unknown): name is AnyClientActionName {
  return typeof name === 'string' && (CLIENT_ACTION_NAMES as readonly string[]).includes(name);
}

/** The fields each client action takes besides `at` and `do` (for the scenario validator's table). */
export function clientActionFields(name: AnyClientActionName): { required: string[]; optional: string[] } {
  if (name === 'client') return { required: ['client', 'via'], optional: ['requireLeader', 'timeoutMs', 'retryMs'] };
  if (name === 'killClient') return { required: ['client'], optional: [] };
  const spec = OP_FIELDS[name];
  return { required: ['client', ...spec.required], optional: spec.optional };
}

/** Validates a `client` action's fields. */
export function resolveClientSpec(raw: Fields, path: string, nodes: number): ClientSpec {
  const client = clientName(raw.client, `${path}.client`);
  let via: ClientVia;
  if (raw.via === 'any') via = 'any';
  else if (typeof raw.via === 'number' && Number.isInteger(raw.via) && raw.via >= 1 && raw.via <= nodes) via = raw.via;
  else throw new FieldError(`${path}.via`, `must be a node id 1..${nodes} or "any", got ${JSON.stringify(raw.via)}`);
  const requireLeader = raw.requireLeader === undefined ? false : bool(raw.requireLeader, `${path}.requireLeader`);
  const timeoutMs = raw.timeoutMs === undefined ? undefined : int(raw.timeoutMs, `${path}.timeoutMs`, 1);
  const retryMs = raw.retryMs === undefined ? undefined : int(raw.retryMs, `${path}.retryMs`, 1);
  return { client, via, requireLeader, ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(retryMs !== undefined ? { retryMs } : {}) };
}

/**
 * Parses a client operation (the shapes of docs/clients.md, "The contract") into its typed form, once: the
 * endpoint runs it as is. `path` prefixes field names in errors.
 */
export function resolveClientOp(name: ClientActionName, raw: Fields, path: string): ClientOpAction {
  const client = clientName(raw.client, `${path}.client`);
  const { at: _at, client: _client, ...op } = raw;
  return { client, op: inWrittenOrder(op, parseOp(name, op, path)) };
}

/** The action's fields, each validated (in a fixed order, so the first bad field is the one reported). */
function parseOp(name: ClientActionName, op: Fields, path: string): ClientAction {
  const f = (field: string) => `${path}.${field}`;
  switch (name) {
    case 'put':
      return { do: name, ...putFields(op, path) };
    case 'get':
      return { do: name, ...getFields(op, path) };
    case 'delete':
      return { do: name, ...deleteFields(op, path) };
    case 'txn': {
      const compares = list(op.compare, f('compare')).map((c, i) => compare(c, `${path}.compare[${i}]`));
      const [success, failure] = (['success', 'failure'] as const).map((branch) =>
        list(op[branch], f(branch)).map((o, i) => txnOp(o, `${path}.${branch}[${i}]`)));
      // An absent list stays absent (inWrittenOrder keeps only the fields written).
      return { do: name, compare: compares, success, failure };
    }
    case 'grant':
      return { do: name, lease: leaseName(op.lease, f('lease')), ttlMs: int(op.ttlMs, f('ttlMs'), 1) };
    case 'keepalive':
    case 'revoke':
      return { do: name, lease: leaseName(op.lease, f('lease')) };
    case 'watch':
      return {
        do: name, watch: str(op.watch, f('watch')), ...rangeFields(op, path), startRevision: optInt(op.startRevision, f('startRevision'), 0),
        prevKv: optBool(op.prevKv, f('prevKv')),
      };
    case 'cancelWatch':
      return { do: name, watch: str(op.watch, f('watch')) };
    case 'compact':
      return { do: name, revision: int(op.revision, f('revision'), 1) };
  }
}

function putFields(op: Fields, path: string): PutFields {
  return {
    key: key(op.key, `${path}.key`), value: str(op.value, `${path}.value`),
    lease: op.lease === undefined ? undefined : leaseName(op.lease, `${path}.lease`), prevKv: optBool(op.prevKv, `${path}.prevKv`),
  };
}

function getFields(op: Fields, path: string): GetRequest & { readonly serializable?: boolean } {
  return {
    ...rangeFields(op, path), serializable: optBool(op.serializable, `${path}.serializable`), revision: optInt(op.revision, `${path}.revision`, 0),
    limit: optInt(op.limit, `${path}.limit`, 0), countOnly: optBool(op.countOnly, `${path}.countOnly`),
  };
}

function deleteFields(op: Fields, path: string): DeleteRequest {
  return { ...rangeFields(op, path), prevKv: optBool(op.prevKv, `${path}.prevKv`) };
}

function rangeFields(op: Fields, path: string): { key: string; prefix?: boolean; rangeEnd?: string } {
  const k = str(op.key, `${path}.key`);
  const prefix = optBool(op.prefix, `${path}.prefix`);
  const rangeEnd = op.rangeEnd === undefined ? undefined : str(op.rangeEnd, `${path}.rangeEnd`);
  if (k === '' && prefix !== true && (rangeEnd === undefined || rangeEnd === '')) {
    throw new FieldError(`${path}.key`, 'must not be empty without prefix or rangeEnd');
  }
  return { key: k, prefix, rangeEnd };
}

function compare(value: unknown, path: string): Compare {
  const c = obj(value, path);
  for (const field of Object.keys(c)) {
    if (!['key', 'target', 'op', 'value'].includes(field)) throw new FieldError(`${path}.${field}`, 'unknown field for a compare (allowed: key, target, op, value)');
  }
  const k = key(c.key, `${path}.key`);
  const target = COMPARE_TARGETS.find((t) => t === c.target);
  if (target === undefined) throw new FieldError(`${path}.target`, `must be one of ${COMPARE_TARGETS.join(', ')}, got ${JSON.stringify(c.target)}`);
  const op = COMPARE_OPS.find((o) => o === c.op);
  if (op === undefined) throw new FieldError(`${path}.op`, `must be one of = != < >, got ${JSON.stringify(c.op)}`);
  let compared: number | string;
  if (target === 'value') compared = str(c.value, `${path}.value`);
  else if (target === 'lease') compared = c.value === 0 || c.value === '0' ? c.value : leaseName(c.value, `${path}.value`);
  else compared = int(c.value, `${path}.value`, 0);
  return inWrittenOrder(c, { key: k, target, op, value: compared });
}

function txnOp(value: unknown, path: string): TxnOpAction {
  const o = obj(value, path);
  const kinds = Object.keys(o);
  const kind = kinds.length === 1 ? (['put', 'get', 'delete'] as const).find((k) => k === kinds[0]) : undefined;
  if (kind === undefined) throw new FieldError(path, 'must be {"put": {...}}, {"get": {...}} or {"delete": {...}}');
  const inner = obj(o[kind], `${path}.${kind}`);
  const allowed = OP_FIELDS[kind];
  for (const field of Object.keys(inner)) {
    if (![...allowed.required, ...allowed.optional].includes(field) || field === 'serializable') {
      throw new FieldError(`${path}.${kind}.${field}`, `unknown field for a txn ${kind}`);
    }
  }
  for (const field of allowed.required) if (inner[field] === undefined) throw new FieldError(`${path}.${kind}.${field}`, `required by a txn ${kind}`);
  const at = `${path}.${kind}`;
  if (kind === 'put') return { put: inWrittenOrder(inner, putFields(inner, at)) };
  if (kind === 'get') return { get: inWrittenOrder(inner, getFields(inner, at)) };
  return { delete: inWrittenOrder(inner, deleteFields(inner, at)) };
}

/**
 * `parsed` with the fields `raw` has, in `raw`'s order: the trace writes an action as its author wrote it (the
 * invoke event's `op`, the request in the `send` event), so the pinned traces' bytes depend on that order.
 * Every field of `parsed` is read from the field of `raw` of the same name.
 */
function inWrittenOrder<T extends object>(raw: Fields, parsed: T): T {
  return Object.fromEntries(Object.keys(raw).filter((k) => Object.hasOwn(parsed, k)).map((k) => [k, Reflect.get(parsed, k)])) as T;
}

function clientName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(value)) {
    throw new FieldError(field, `must be a client name (a letter or _, then letters, digits, _ . -; at most 32), got ${JSON.stringify(value)}`);
  }
  return value;
}

function leaseName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '' || value === '0') throw new FieldError(field, `must be a lease name (a non-empty string), got ${JSON.stringify(value)}`);
  if (isLeaseId(value) && /^[0-9a-f]{16}$/.test(value)) throw new FieldError(field, `looks like a lease id; scenarios name leases (e.g. "L1")`);
  return value;
}

function key(value: unknown, field: string): string {
  const k = str(value, field);
  if (k === '') throw new FieldError(field, 'must not be empty');
  return k;
}

function str(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new FieldError(field, `must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new FieldError(field, `must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function optBool(value: unknown, field: string): boolean | undefined {
  return value === undefined ? undefined : bool(value, field);
}

function optInt(value: unknown, field: string, min: number): number | undefined {
  return value === undefined ? undefined : int(value, field, min);
}

function int(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new FieldError(field, `must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function obj(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FieldError(field, `must be a JSON object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

function list(value: unknown, field: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new FieldError(field, `must be an array, got ${JSON.stringify(value)}`);
  return value;
}
