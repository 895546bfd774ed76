/**
 * Lease ids: etcd's int64 ids written as lowercase hex without leading zeros (the contract's form); "0" is
 * "no lease". Ids are compared as the numbers they are, which a txn compare on `lease` needs for < and >.
 */
import type { RandomSource } from '../raft/types.ts';
import { NO_LEASE, type LeaseId } from './keyValue.ts';

const LEASE_ID = /^(0|[1-9a-f][0-9a-f]{0,15})$/;

/** Whether `id` is a well-formed lease id (at most 16 hex digits, lowercase, no leading zeros; "0" allowed). */
export function isLeaseId(id: unknown): id is LeaseId {
  return typeof id === 'string' && LEASE_ID.test(id) && (id.length < 16 || id[0] <= '7');
}

/** Numeric order of two well-formed ids: with no leading zeros, a longer id is a larger number. */
export function compareLeaseIds(a: LeaseId, b: LeaseId): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether `id` names a lease (is not "0"). */
export function hasLease(id: LeaseId): boolean {
  return id !== NO_LEASE;
}

/**
 * A fresh lease id drawn from the node's seeded source: 16 hex digits, the first 1..7 so it is a positive
 * int64 as etcd's are. The proposer draws it and carries it in the grant command, so every replica grants the
 * same id; a collision with a live lease is answered "lease already exists" and the proposer draws again.
 */
export function drawLeaseId(random: RandomSource): LeaseId {
  let id = (1 + random.int(7)).toString(16);
  for (let i = 0; i < 15; i++) id += random.int(16).toString(16);
  return id;
}
