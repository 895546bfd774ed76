/**
 * Commands: what a node proposes and what every replica applies, carried as a JSON string in a Raft entry's
 * `data`. A command is a request (the contract's action shapes, lease names already turned into ids) plus the
 * client's (clientId, requestId) for exactly-once application (clientSessions.ts).
 *
 * decodeCommand validates everything a replica relies on, so a malformed entry is rejected the same way on
 * every replica (applied as a no-op with an error naming the bad field) rather than crashing one of them.
 *
 * A lease command (grant, revoke) also carries who proposed it and the scenario's name for the lease
 * (LeaseProposal): the state machine ignores them, the node's server reports the change with them. They sit
 * inside the request, after its own fields, because that is where the log has always carried them: the entry's
 * bytes (and so the pinned example traces) stay as they were.
 */
import type { NodeId } from '../raft/types.ts';
import { ERR_INVALID_COMMAND } from './errors.ts';
import { isLeaseId } from './leaseId.ts';
import type {
  CompactRequest, Compare, DeleteRequest, GetRequest, GrantRequest, Outcome, PutRequest, RevokeRequest, TxnOp, TxnRequest,
} from './requests.ts';

/** A request as a command carries it, tagged like the scenario action of the same name. */
export type KvRequest =
  | ({ readonly do: 'put' } & PutRequest)
  | ({ readonly do: 'get' } & GetRequest)
  | ({ readonly do: 'delete' } & DeleteRequest)
  | ({ readonly do: 'txn' } & TxnRequest)
  | ({ readonly do: 'grant' } & GrantRequest & LeaseProposal)
  | ({ readonly do: 'revoke' } & RevokeRequest & LeaseProposal)
  | ({ readonly do: 'compact' } & CompactRequest);

/** A lease command as a lease request proposed through Raft. */
export type LeaseRequest = Extract<KvRequest, { do: 'grant' | 'revoke' }>;

/**
 * What a lease command carries for the trace, not for the state machine: the proposing node (`by`: it alone
 * reports the change as a `lease` event when it applies it) and the scenario's name for the lease (a grant's).
 */
export interface LeaseProposal {
  readonly by?: NodeId;
  readonly name?: string;
}

export interface Command {
  /** The client that sent it; "" for a command no client retries (e.g. the leader revoking an expired lease). */
  readonly clientId: string;
  /** The client's request number: a retry reuses it. Ignored when clientId is "". */
  readonly requestId: number;
  readonly request: KvRequest;
}

/**
 * A lease request as a node proposes it: the request's own fields, then its proposer, then (a grant's) the
 * lease's name, the field order of the entry data since lease commands were first logged.
 */
export function proposedLeaseRequest(request: LeaseRequest, by: NodeId, name?: string): LeaseRequest {
  return { ...request, by, ...(name !== undefined ? { name } : {}) };
}

/** The entry data for a command. */
export function encodeCommand(command: Command): string {
  return JSON.stringify(command);
}

/** Parses and validates entry data; the error names the first bad field. */
export function decodeCommand(data: string): Outcome<Command> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return invalid('entry data is not JSON');
  }
  try {
    return { ok: true, result: validateCommand(parsed) };
  } catch (e) {
    if (e instanceof InvalidField) return invalid(e.message);
    throw e;
  }
}

/** Validates a parsed command (also for commands built in memory, e.g. by tests and the etcd harness). */
export function validateCommand(value: unknown): Command {
  const command = object(value, 'command');
  const clientId = string(command.clientId, 'clientId');
  const requestId = integer(command.requestId, 'requestId', 0);
  return { clientId, requestId, request: validateRequest(command.request, 'request') };
}

function invalid(reason: string): Outcome<Command> {
  return { ok: false, error: `${ERR_INVALID_COMMAND}: ${reason}` };
}

class InvalidField extends Error {}

type Fields = Record<string, unknown>;

function object(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidField(`${path} must be an object`);
  return value as Fields;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new InvalidField(`${path} must be a string`);
  return value;
}

function integer(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidField(`${path} must be an integer >= ${min}`);
  }
  return value;
}

function optionalInteger(value: unknown, path: string): number | undefined {
  return value === undefined ? undefined : integer(value, path, 0);
}

function optionalBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new InvalidField(`${path} must be a boolean`);
  return value;
}

function leaseId(value: unknown, path: string): string {
  if (!isLeaseId(value)) throw new InvalidField(`${path} must be a lease id (lowercase hex, no leading zeros, "0" = none)`);
  return value;
}

function validateRequest(value: unknown, path: string): KvRequest {
  const request = object(value, path);
  switch (request.do) {
    case 'put': return { do: 'put', ...validatePut(request, path) };
    case 'get': return { do: 'get', ...validateGet(request, path) };
    case 'delete': return { do: 'delete', ...validateDelete(request, path) };
    case 'txn': return { do: 'txn', ...validateTxn(request, path) };
    case 'grant': {
      const id = leaseId(request.id, `${path}.id`);
      if (id === '0') throw new InvalidField(`${path}.id must not be "0"`);
      return { do: 'grant', id, ttlMs: integer(request.ttlMs, `${path}.ttlMs`, 1), ...validateLeaseProposal(request, path) };
    }
    case 'revoke': return { do: 'revoke', id: leaseId(request.id, `${path}.id`), ...validateLeaseProposal(request, path) };
    case 'compact': return { do: 'compact', revision: integer(request.revision, `${path}.revision`, 1) };
    default: throw new InvalidField(`${path}.do must be one of put, get, delete, txn, grant, revoke, compact`);
  }
}

/** The proposer and name of a lease command, each only when present (as the proposer wrote them). */
function validateLeaseProposal(request: Fields, path: string): LeaseProposal {
  const by = request.by === undefined ? undefined : integer(request.by, `${path}.by`, 1);
  const name = request.name === undefined ? undefined : string(request.name, `${path}.name`);
  return { ...(by !== undefined ? { by } : {}), ...(name !== undefined ? { name } : {}) };
}

function nonEmptyKey(value: unknown, path: string): string {
  const k = string(value, path);
  // etcd rejects an empty key ("etcdserver: key is not provided") except as the start of a prefix or range.
  if (k === '') throw new InvalidField(`${path} must not be empty`);
  return k;
}

function validatePut(request: Fields, path: string): PutRequest {
  return {
    key: nonEmptyKey(request.key, `${path}.key`),
    value: string(request.value, `${path}.value`),
    lease: request.lease === undefined ? undefined : leaseId(request.lease, `${path}.lease`),
    prevKv: optionalBoolean(request.prevKv, `${path}.prevKv`),
  };
}

function rangeEnd(value: unknown, path: string): string | undefined {
  return value === undefined ? undefined : string(value, path);
}

/** A range's key may be empty only with `prefix` (every key) or a range end ("" to "\0" is every key). */
function rangeKey(request: Fields, path: string): string {
  const k = string(request.key, `${path}.key`);
  if (k === '' && request.prefix !== true && (request.rangeEnd === undefined || request.rangeEnd === '')) {
    throw new InvalidField(`${path}.key must not be empty without prefix or rangeEnd`);
  }
  return k;
}

/** The key range a get or a delete names: key, then rangeEnd or prefix (shared by both, field for field). */
function validateRange(request: Fields, path: string): Pick<GetRequest, 'key' | 'rangeEnd' | 'prefix'> {
  return {
    key: rangeKey(request, path),
    rangeEnd: rangeEnd(request.rangeEnd, `${path}.rangeEnd`),
    prefix: optionalBoolean(request.prefix, `${path}.prefix`),
  };
}

function validateGet(request: Fields, path: string): GetRequest {
  return {
    ...validateRange(request, path),
    revision: optionalInteger(request.revision, `${path}.revision`),
    limit: optionalInteger(request.limit, `${path}.limit`),
    countOnly: optionalBoolean(request.countOnly, `${path}.countOnly`),
  };
}

function validateDelete(request: Fields, path: string): DeleteRequest {
  return {
    ...validateRange(request, path),
    prevKv: optionalBoolean(request.prevKv, `${path}.prevKv`),
  };
}

const COMPARE_TARGETS = new Set(['version', 'createRevision', 'modRevision', 'value', 'lease']);
const COMPARE_OPS = new Set(['=', '!=', '<', '>']);

function validateCompare(value: unknown, path: string): Compare {
  const compare = object(value, path);
  const target = string(compare.target, `${path}.target`);
  if (!COMPARE_TARGETS.has(target)) throw new InvalidField(`${path}.target must be one of ${[...COMPARE_TARGETS].join(', ')}`);
  const op = string(compare.op, `${path}.op`);
  if (!COMPARE_OPS.has(op)) throw new InvalidField(`${path}.op must be one of = != < >`);
  let against: number | string;
  if (target === 'value') against = string(compare.value, `${path}.value`);
  else if (target === 'lease') against = leaseId(compare.value, `${path}.value`);
  else against = integer(compare.value, `${path}.value`, 0);
  return { key: nonEmptyKey(compare.key, `${path}.key`), target: target as Compare['target'], op: op as Compare['op'], value: against };
}

function validateTxnOp(value: unknown, path: string): TxnOp {
  const op = object(value, path);
  const kinds = Object.keys(op);
  if (kinds.length !== 1) throw new InvalidField(`${path} must have exactly one of put, get, delete`);
  if ('put' in op) return { put: validatePut(object(op.put, `${path}.put`), `${path}.put`) };
  if ('get' in op) return { get: validateGet(object(op.get, `${path}.get`), `${path}.get`) };
  if ('delete' in op) return { delete: validateDelete(object(op.delete, `${path}.delete`), `${path}.delete`) };
  throw new InvalidField(`${path} must have exactly one of put, get, delete`);
}

function list<T>(value: unknown, path: string, item: (v: unknown, p: string) => T): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidField(`${path} must be an array`);
  return value.map((v, i) => item(v, `${path}[${i}]`));
}

function validateTxn(request: Fields, path: string): TxnRequest {
  return {
    compare: list(request.compare, `${path}.compare`, validateCompare),
    success: list(request.success, `${path}.success`, validateTxnOp),
    failure: list(request.failure, `${path}.failure`, validateTxnOp),
  };
}
