/**
 * The client actions of a scenario (docs/scenarios.md, "Clients and the key-value store") and their validation: errors name the
 * field, as for every other action. The actions are plain data; ClientEndpoint runs them.
 */
import { isLeaseId } from '../../kv/index.ts';
import type { NodeId } from '../../raft/types.ts';
import { FieldError } from '../fieldError.ts';

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

/** A client operation as written (minus `at`, `do`, `client`), validated. */
export interface ClientOpAction {
  readonly do: ClientActionName;
  readonly client: string;
  /** The fields as written, minus `at` and `client`: the trace's `op`. */
  readonly op: Readonly<Record<string, unknown>>;
}

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
export function resolveClientSpec(raw: Readonly<Record<string, unknown>>, path: string, nodes: number): ClientSpec {
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

/** Validates a client operation's fields (the shapes of docs/clients.md, "The contract"); `path` prefixes field names in errors. */
export function resolveClientOp(name: ClientActionName, raw: Readonly<Record<string, unknown>>, path: string): ClientOpAction {
  const client = clientName(raw.client, `${path}.client`);
  const { at: _at, client: _client, ...op } = raw;
  validateOpFields(name, op, path);
  return { do: name, client, op };
}

function validateOpFields(name: ClientActionName, op: Readonly<Record<string, unknown>>, path: string): void {
  const f = (field: string) => `${path}.${field}`;
  switch (name) {
    case 'put':
      key(op.key, f('key'));
      str(op.value, f('value'));
      if (op.lease !== undefined) leaseName(op.lease, f('lease'));
      optBool(op.prevKv, f('prevKv'));
      return;
    case 'get':
      rangeFields(op, path);
      optBool(op.serializable, f('serializable'));
      if (op.revision !== undefined) int(op.revision, f('revision'), 0);
      if (op.limit !== undefined) int(op.limit, f('limit'), 0);
      optBool(op.countOnly, f('countOnly'));
      return;
    case 'delete':
      rangeFields(op, path);
      optBool(op.prevKv, f('prevKv'));
      return;
    case 'txn':
      list(op.compare, f('compare')).forEach((c, i) => compare(c, `${path}.compare[${i}]`));
      for (const branch of ['success', 'failure'] as const) list(op[branch], f(branch)).forEach((o, i) => txnOp(o, `${path}.${branch}[${i}]`));
      return;
    case 'grant':
      leaseName(op.lease, f('lease'));
      int(op.ttlMs, f('ttlMs'), 1);
      return;
    case 'keepalive':
    case 'revoke':
      leaseName(op.lease, f('lease'));
      return;
    case 'watch':
      str(op.watch, f('watch'));
      rangeFields(op, path);
      if (op.startRevision !== undefined) int(op.startRevision, f('startRevision'), 0);
      optBool(op.prevKv, f('prevKv'));
      return;
    case 'cancelWatch':
      str(op.watch, f('watch'));
      return;
    case 'compact':
      int(op.revision, f('revision'), 1);
      return;
  }
}

function rangeFields(op: Readonly<Record<string, unknown>>, path: string): void {
  const k = str(op.key, `${path}.key`);
  const prefix = optBool(op.prefix, `${path}.prefix`);
  if (op.rangeEnd !== undefined) str(op.rangeEnd, `${path}.rangeEnd`);
  if (k === '' && prefix !== true && (op.rangeEnd === undefined || op.rangeEnd === '')) {
    throw new FieldError(`${path}.key`, 'must not be empty without prefix or rangeEnd');
  }
}

function compare(value: unknown, path: string): void {
  const c = obj(value, path);
  for (const field of Object.keys(c)) {
    if (!['key', 'target', 'op', 'value'].includes(field)) throw new FieldError(`${path}.${field}`, 'unknown field for a compare (allowed: key, target, op, value)');
  }
  key(c.key, `${path}.key`);
  const targets = ['version', 'createRevision', 'modRevision', 'value', 'lease'];
  if (!targets.includes(c.target as string)) throw new FieldError(`${path}.target`, `must be one of ${targets.join(', ')}, got ${JSON.stringify(c.target)}`);
  if (!['=', '!=', '<', '>'].includes(c.op as string)) throw new FieldError(`${path}.op`, `must be one of = != < >, got ${JSON.stringify(c.op)}`);
  if (c.target === 'value') str(c.value, `${path}.value`);
  else if (c.target === 'lease') {
    if (c.value !== 0 && c.value !== '0') leaseName(c.value, `${path}.value`);
  } else int(c.value, `${path}.value`, 0);
}

function txnOp(value: unknown, path: string): void {
  const o = obj(value, path);
  const kinds = Object.keys(o);
  if (kinds.length !== 1 || !['put', 'get', 'delete'].includes(kinds[0]!)) {
    throw new FieldError(path, 'must be {"put": {...}}, {"get": {...}} or {"delete": {...}}');
  }
  const kind = kinds[0] as 'put' | 'get' | 'delete';
  const inner = obj(o[kind], `${path}.${kind}`);
  const allowed = OP_FIELDS[kind];
  for (const field of Object.keys(inner)) {
    if (![...allowed.required, ...allowed.optional].includes(field) || field === 'serializable') {
      throw new FieldError(`${path}.${kind}.${field}`, `unknown field for a txn ${kind}`);
    }
  }
  for (const field of allowed.required) if (inner[field] === undefined) throw new FieldError(`${path}.${kind}.${field}`, `required by a txn ${kind}`);
  validateOpFields(kind, inner, `${path}.${kind}`);
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
