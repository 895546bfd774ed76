/**
 * The rules of a txn that do not touch the store (etcd server/etcdserver/apply.go and api/v3rpc/key.go):
 * evaluating a compare against a key's current version, and rejecting a branch that writes one key twice.
 */
import { compareLeaseIds } from './leaseId.ts';
import { compareKeys, keyRangeOf, rangeContains, type KeyRange } from './keyOrder.ts';
import { NO_LEASE, type KeyValue } from './keyValue.ts';
import type { Compare, TxnOp } from './requests.ts';

/**
 * Whether a compare holds for the key's current version (null = the key does not exist). A missing key
 * compares as a zero KeyValue: version, createRevision and modRevision 0, lease "0"; a `value` compare on a
 * missing key is false whatever the operator (etcd applyCompare: "if the key doesn't exist, only compare
 * against 0 for CREATE/MOD/VERSION").
 */
export function compareHolds(compare: Compare, kv: KeyValue | null): boolean {
  let order: number;
  switch (compare.target) {
    case 'version':
      order = (kv?.version ?? 0) - (compare.value as number);
      break;
    case 'createRevision':
      order = (kv?.createRevision ?? 0) - (compare.value as number);
      break;
    case 'modRevision':
      order = (kv?.modRevision ?? 0) - (compare.value as number);
      break;
    case 'lease':
      order = compareLeaseIds(kv?.lease ?? NO_LEASE, compare.value as string);
      break;
    case 'value':
      if (kv === null) return false;
      // Values are compared as bytes, like keys (etcd bytes.Compare).
      order = compareKeys(kv.value, compare.value as string);
      break;
  }
  switch (compare.op) {
    case '=': return order === 0;
    case '!=': return order !== 0;
    case '<': return order < 0;
    case '>': return order > 0;
  }
}

/**
 * Whether a branch writes some key twice: two puts of one key, or a put of a key a delete of the same branch
 * covers (etcd checkIntervals; it returns ErrGRPCDuplicateKey). Deletes may overlap each other. etcd checks
 * both branches before evaluating the compares, and so does the caller.
 */
export function writesKeyTwice(ops: readonly TxnOp[]): boolean {
  const putKeys = new Set<string>();
  const deleteRanges: KeyRange[] = [];
  for (const op of ops) {
    if ('put' in op) {
      if (putKeys.has(op.put.key)) return true;
      putKeys.add(op.put.key);
    } else if ('delete' in op) {
      deleteRanges.push(keyRangeOf(op.delete.key, op.delete.rangeEnd, op.delete.prefix));
    }
  }
  for (const key of putKeys) {
    if (deleteRanges.some((range) => rangeContains(range, key))) return true;
  }
  return false;
}
