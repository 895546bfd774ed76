/**
 * The translation of a client action (clientOps.ts) into what goes on the wire and into the trace: the request a
 * node receives (lease names replaced by the ids the client learned) and the invoke event's `op` (the action as
 * written, with the lease id next to a lease name). Separate from the endpoint because it is pure: the same
 * action and the same lease ids give the same request.
 */
import type { LeaseId } from '../../kv/index.ts';
import type { ClientOp } from '../server/messages.ts';
import type { ClientAction, KvAction, PutFields, TxnOpAction } from './clientOps.ts';

/** What the translation needs to know about leases (leaseKeeper.ts). */
export interface LeaseIds {
  /** The id a request carries for a lease name ("0" for none). */
  requestIdOf(name: string | number | undefined): LeaseId;
  /** The id learned for a lease name, if its grant succeeded. */
  idOf(name: string): LeaseId | undefined;
}

/**
 * The request an action becomes. Key order matters (the `send` event writes the request): `do` first, then the
 * fields as written, a put's lease id last.
 */
export function requestOf(action: KvAction, leases: LeaseIds): ClientOp {
  switch (action.do) {
    case 'put':
      return putRequest(action, leases);
    case 'txn': {
      const branch = (ops: readonly TxnOpAction[] | undefined) => (ops ?? []).map((op) =>
        'put' in op ? { put: putRequest(op.put, leases) } : 'get' in op ? { get: op.get } : { delete: op.delete });
      const compare = (action.compare ?? []).map((c) => (c.target === 'lease' ? { ...c, value: leases.requestIdOf(c.value) } : c));
      return { do: 'txn', compare, success: branch(action.success), failure: branch(action.failure) };
    }
    case 'grant':
      return { do: 'grant', ttlMs: action.ttlMs, name: action.lease };
    case 'revoke':
    case 'keepalive':
      return { do: action.do, id: leases.requestIdOf(action.lease) };
    case 'get': {
      const { do: _do, ...fields } = action;
      return { do: 'get', ...fields };
    }
    case 'delete': {
      const { do: _do, ...fields } = action;
      return { do: 'delete', ...fields };
    }
    case 'compact': {
      const { do: _do, ...fields } = action;
      return { do: 'compact', ...fields };
    }
  }
}

/** A put's request (inside a txn too, where it keeps its `do`, as the trace has always shown it). */
function putRequest(fields: PutFields & { readonly do?: 'put' }, leases: LeaseIds): Extract<ClientOp, { do: 'put' }> {
  const { do: _do, lease, ...rest } = fields;
  return { do: 'put', ...rest, ...(lease !== undefined ? { lease: leases.requestIdOf(lease) } : {}) };
}

/** The trace's `op`: the action as written, plus the lease id next to a lease name (a grant has none yet). */
export function traceOpOf(action: ClientAction, leases: LeaseIds): Readonly<Record<string, unknown>> {
  if ((action.do === 'put' || action.do === 'keepalive' || action.do === 'revoke') && action.lease !== undefined) {
    return { ...action, leaseId: leases.idOf(action.lease) ?? null };
  }
  return { ...action };
}
