/**
 * The errors a request can end with, worded as etcd words them (docs/clients.md, "The contract": "Errors carry
 * etcd's wording where etcd has one"). Errors are plain strings in results, so they survive a trace unchanged.
 */

/** A read or compaction at a revision below the compacted one (etcd mvcc.ErrCompacted). */
export const ERR_COMPACTED = 'mvcc: required revision has been compacted';
/** A read or compaction at a revision the store has not reached (etcd mvcc.ErrFutureRev). */
export const ERR_FUTURE_REV = 'mvcc: required revision is a future revision';
/** A put, revoke or keepalive naming a lease that was never granted, was revoked or expired (etcd lease.ErrLeaseNotFound). */
export const ERR_LEASE_NOT_FOUND = 'lease not found';
/** A grant whose id is already in use (etcd lease.ErrLeaseExists). */
export const ERR_LEASE_EXISTS = 'lease already exists';
/** A keepalive sent to a lessor that is not the leader's (etcd lease.ErrNotPrimary). */
export const ERR_NOT_PRIMARY = 'not a primary lessor';
/** A txn that writes one key twice, or puts a key it also deletes (etcd rpctypes.ErrGRPCDuplicateKey). */
export const ERR_DUPLICATE_KEY = 'etcdserver: duplicate key given in txn request';
/** A retried write older than the client's latest one: its result is no longer kept (Raft thesis §6.3). */
export const ERR_STALE_REQUEST = 'etcdserver: request is older than the last one applied for this client';
/** Prefix of the error for entry data that is not a well-formed command (it is applied as a no-op). */
export const ERR_INVALID_COMMAND = 'invalid command';
