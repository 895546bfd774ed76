/**
 * The MVCC data model, as etcd's `mvccpb.KeyValue` and `mvccpb.Event` (api/mvccpb/kv.proto), in camelCase.
 * Plain data: these objects go into results, watch events and traces unchanged, and are never mutated.
 */

/** A revision of the store: 1 for an empty store, +1 per write that changes something (etcd's main revision). */
export type Revision = number;

/** A lease id: lowercase hex without leading zeros; "0" means "no lease". */
export type LeaseId = string;

/** The lease id that means "no lease". */
export const NO_LEASE: LeaseId = '0';

/** One version of one key. */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
  /** Revision of the put that started this generation of the key. 0 only in a DELETE event's kv. */
  readonly createRevision: Revision;
  /** Revision of the last change (the delete itself in a DELETE event's kv). */
  readonly modRevision: Revision;
  /** Puts since createRevision, counting that one: 1 on create. 0 only in a DELETE event's kv. */
  readonly version: number;
  readonly lease: LeaseId;
}

/** A change as watchers see it. */
export interface WatchEvent {
  readonly type: 'PUT' | 'DELETE';
  /** PUT: the new version. DELETE: only `key` and `modRevision` (the delete's revision) are set, as in etcd. */
  readonly kv: KeyValue;
  /** The key's previous version, present only when the watcher asked for it and the key existed. */
  readonly prevKv?: KeyValue;
}

/** A change as the store records it: the watch event plus the previous version, always (null when absent). */
export interface StoreEvent {
  readonly type: 'PUT' | 'DELETE';
  readonly kv: KeyValue;
  readonly prevKv: KeyValue | null;
}

/** The kv a DELETE event carries: key and the delete's revision, every other field zero. */
export function tombstoneOf(key: string, revision: Revision): KeyValue {
  return { key, value: '', createRevision: 0, modRevision: revision, version: 0, lease: NO_LEASE };
}

/** Whether a recorded version is a tombstone (a delete) rather than a live value. */
export function isTombstone(kv: KeyValue): boolean {
  return kv.version === 0;
}
