/**
 * Single-client compatibility scripts: lists of operations in the contract's action shapes
 * (docs/scenarios.md, "Clients and the key-value store", without `at` and `client`), run one after another against a target,
 * and the normalized answers they get. The same scripts run against real etcd (etcdTarget.ts) and against
 * Flotilla (flotillaDirectTarget.ts today; a simulated cluster through clients later), and must get the same
 * answers.
 *
 * Lease names: scripts name leases ("L1") as scenarios do; runScript turns names into the ids the target
 * granted, and ids in answers back into names, so etcd's random ids and Flotilla's chosen ones compare equal.
 */
import type { CompareOp, CompareTarget, GetRequest, Outcome } from '../../src/kv/index.ts';

export interface ScriptPut { readonly key: string; readonly value: string; readonly lease?: string; readonly prevKv?: boolean }
export interface ScriptDelete { readonly key: string; readonly rangeEnd?: string; readonly prefix?: boolean; readonly prevKv?: boolean }
/** A txn compare; for target `lease`, `value` is a lease name or 0. */
export interface ScriptCompare { readonly key: string; readonly target: CompareTarget; readonly op: CompareOp; readonly value: number | string }
export type ScriptTxnOp = { readonly put: ScriptPut } | { readonly get: GetRequest } | { readonly delete: ScriptDelete };
export interface ScriptWatch {
  readonly key: string; readonly rangeEnd?: string; readonly prefix?: boolean;
  /** A past revision: the answer holds every event from it up to the revision at the time of the action. */
  readonly startRevision: number;
  readonly prevKv?: boolean;
}

export type ScriptAction =
  | ({ readonly do: 'put' } & ScriptPut)
  | ({ readonly do: 'get' } & GetRequest)
  | ({ readonly do: 'delete' } & ScriptDelete)
  | { readonly do: 'txn'; readonly compare: readonly ScriptCompare[]; readonly success: readonly ScriptTxnOp[]; readonly failure: readonly ScriptTxnOp[] }
  | { readonly do: 'grant'; readonly lease: string; readonly ttlMs: number }
  | { readonly do: 'revoke'; readonly lease: string }
  | { readonly do: 'compact'; readonly revision: number }
  | ({ readonly do: 'watch' } & ScriptWatch);

export interface Script {
  readonly name: string;
  /** What the script shows, in one line. */
  readonly about: string;
  readonly actions: readonly ScriptAction[];
}

/** An action with lease names replaced by lease ids: what a target executes. Grants carry no id: the target picks it. */
export type TargetAction =
  | ({ readonly do: 'put' } & ScriptPut)
  | ({ readonly do: 'get' } & GetRequest)
  | ({ readonly do: 'delete' } & ScriptDelete)
  | { readonly do: 'txn'; readonly compare: readonly ScriptCompare[]; readonly success: readonly ScriptTxnOp[]; readonly failure: readonly ScriptTxnOp[] }
  | { readonly do: 'grant'; readonly ttlMs: number }
  | { readonly do: 'revoke'; readonly id: string }
  | { readonly do: 'compact'; readonly revision: number }
  | ({ readonly do: 'watch' } & ScriptWatch);

/** Something scripts run against. Results are in the contract's shapes, with header.revision only. */
export interface ScriptTarget {
  readonly name: string;
  /** Called before each script: from here on the target must behave like a fresh store at revision 1. */
  reset(): Promise<void>;
  execute(action: TargetAction): Promise<Outcome<unknown>>;
}

/** A lease id no target ever grants (etcd's are random 63-bit numbers), for names a script never granted. */
const NEVER_GRANTED_ID = '7e57000000000001';

/** Runs a script on a fresh target; returns one normalized answer per action. */
export async function runScript(target: ScriptTarget, script: Script): Promise<Outcome<unknown>[]> {
  await target.reset();
  const idOf = new Map<string, string>();
  const nameOf = new Map<string, string>();
  const lease = (name: string | undefined) => (name === undefined || name === '0' ? name : idOf.get(name) ?? NEVER_GRANTED_ID);
  const answers: Outcome<unknown>[] = [];
  for (const action of script.actions) {
    const outcome = await target.execute(resolveLeases(action, lease));
    if (action.do === 'grant' && outcome.ok) {
      const id = (outcome.result as { id: string }).id;
      idOf.set(action.lease, id);
      nameOf.set(id, action.lease);
    }
    answers.push(normalize(outcome, nameOf));
  }
  return answers;
}

function resolveLeases(action: ScriptAction, lease: (name: string | undefined) => string | undefined): TargetAction {
  const put = (p: ScriptPut): ScriptPut => (p.lease === undefined ? p : { ...p, lease: lease(p.lease) });
  const ops = (list: readonly ScriptTxnOp[]) => list.map((op) => ('put' in op ? { put: put(op.put) } : op));
  switch (action.do) {
    case 'put': return { ...action, ...put(action) };
    case 'txn': return {
      ...action,
      compare: action.compare.map((c) => (c.target === 'lease' ? { ...c, value: lease(String(c.value))! } : c)),
      success: ops(action.success),
      failure: ops(action.failure),
    };
    case 'grant': return { do: 'grant', ttlMs: action.ttlMs };
    case 'revoke': return { do: 'revoke', id: lease(action.lease)! };
    default: return action;
  }
}

/** A plain-JSON copy of the answer with every lease id replaced by its script name. */
function normalize(outcome: Outcome<unknown>, nameOf: Map<string, string>): Outcome<unknown> {
  return JSON.parse(JSON.stringify(outcome), (field, value) => {
    if ((field === 'lease' || field === 'id') && typeof value === 'string' && value !== '0') return nameOf.get(value) ?? `unnamed:${value}`;
    return value;
  });
}
