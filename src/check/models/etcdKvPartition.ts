/**
 * Partitioning the etcd model's history (P-compositionality): operations are grouped by the keys they touch; an
 * operation that touches several keys (a range or prefix read or delete, a multi-key txn, a lease revoke that
 * deletes the lease's keys) joins their groups into one, so in the worst case the whole store is one partition.
 * Single-key gets, puts, deletes and txns whose compares and ops name one key (compare-and-set: etcd's recipes'
 * campaign and lock txns) stay in that key's partition. Apart from the model (etcdKv.ts): the model says what
 * one key's history may do, this file which operations share a history.
 */
import type { Partition } from '../model.ts';
import { compareKeys, rangeContains } from '../../kv/index.ts';
import type { KvOperation, KvOutput, KvRequest } from './etcdKv.ts';

/** The keys a history names exactly (sorted), and the keys ever put with each lease. */
interface HistoryKeys {
  readonly universe: readonly string[];
  readonly leaseKeys: ReadonlyMap<string, ReadonlySet<string>>;
}

function historyKeys(operations: readonly KvOperation[]): HistoryKeys {
  const exactKeys = new Set<string>();
  const leaseKeys = new Map<string, Set<string>>();
  const collect = (request: KvRequest) => {
    switch (request.kind) {
      case 'range':
      case 'deleteRange':
        if (request.range.kind === 'single') exactKeys.add(request.range.key);
        break;
      case 'put':
        exactKeys.add(request.key);
        if (request.lease !== null) {
          const keys = leaseKeys.get(request.lease) ?? new Set<string>();
          keys.add(request.key);
          leaseKeys.set(request.lease, keys);
        }
        break;
      case 'txn':
        for (const compare of request.compares) exactKeys.add(compare.key);
        request.success.forEach(collect);
        request.failure.forEach(collect);
        break;
      case 'revokeLease':
        break;
    }
  };
  for (const op of operations) collect(op.input);
  return { universe: [...exactKeys].sort(compareKeys), leaseKeys };
}

/** Appends to `into` the keys of the history that `request` touches. */
function touchedKeys(request: KvRequest, keys: HistoryKeys, into: string[]): void {
  switch (request.kind) {
    case 'range':
    case 'deleteRange':
      for (const key of keys.universe) if (rangeContains(request.range, key)) into.push(key);
      break;
    case 'put':
      into.push(request.key);
      break;
    case 'txn':
      for (const compare of request.compares) into.push(compare.key);
      for (const sub of [...request.success, ...request.failure]) touchedKeys(sub, keys, into);
      break;
    case 'revokeLease':
      into.push(...(keys.leaseKeys.get(request.lease) ?? []));
      break;
  }
}

/**
 * Groups operations by the keys they touch (union-find over keys). A range touches every key of the history in
 * it; a revoke touches every key ever put with its lease. Operations that touch no key of the history form one
 * more partition (a range over no key must still return nothing).
 */
export function partitionByKeys(operations: readonly KvOperation[]): Partition<KvRequest, KvOutput>[] {
  const keys = historyKeys(operations);
  const parent = new Map<string, string>(keys.universe.map((key) => [key, key]));
  const find = (key: string): string => {
    let root = key;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(key, root);
    return root;
  };
  const touchedByOp = operations.map((op) => {
    const touched: string[] = [];
    touchedKeys(op.input, keys, touched);
    for (let i = 1; i < touched.length; i++) {
      const a = find(touched[0]);
      const b = find(touched[i]);
      if (a !== b) parent.set(b, a);
    }
    return touched;
  });

  const groups = new Map<string, KvOperation[]>();
  operations.forEach((op, index) => {
    const touched = touchedByOp[index];
    const root = touched.length > 0 ? find(touched[0]) : '';
    const list = groups.get(root);
    if (list) list.push(op);
    else groups.set(root, [op]);
  });
  const members = new Map<string, string[]>();
  for (const key of keys.universe) {
    const root = find(key);
    members.set(root, [...(members.get(root) ?? []), key]);
  }
  return [...groups].map(([root, ops]) => ({
    label: root === '' ? '(no keys)' : labelOf(members.get(root) ?? [root]),
    operations: ops,
  }));
}

function labelOf(keys: readonly string[]): string {
  const shown = keys.slice(0, 5).map((key) => JSON.stringify(key)).join(', ');
  return keys.length > 5 ? `keys ${shown} and ${keys.length - 5} more` : keys.length === 1 ? `key ${shown}` : `keys ${shown}`;
}
