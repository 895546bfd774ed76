/**
 * The compatibility scripts: each a short single-client session in the contract's action shapes. Together they
 * cover every operation (put, get, delete, txn, grant, revoke, compact, watch from a past revision) and every
 * txn compare target (version, createRevision, modRevision, value, lease) with every operator.
 *
 * Lease compares use only = and != here: etcd picks random lease ids, so < and > between two leases depend on
 * the ids drawn (the state machine's own tests cover them).
 */
import type { Script } from './script.ts';

export const SCRIPTS: readonly Script[] = [
  {
    name: 'put-then-get',
    about: 'the first write of a fresh store is revision 2; createRevision = modRevision, version 1',
    actions: [{ do: 'put', key: 'a', value: '1' }, { do: 'get', key: 'a' }, { do: 'get', key: 'missing' }],
  },
  {
    name: 'overwrite-versions',
    about: 'overwrites keep createRevision, move modRevision, count versions; past revisions stay readable',
    actions: [
      { do: 'put', key: 'a', value: '1' }, { do: 'put', key: 'b', value: 'x' }, { do: 'put', key: 'a', value: '2' }, { do: 'put', key: 'a', value: '2' },
      { do: 'get', key: 'a' }, { do: 'get', key: 'a', revision: 2 }, { do: 'get', key: 'a', revision: 3 }, { do: 'get', key: 'a', revision: 4 },
    ],
  },
  {
    name: 'put-prev-kv',
    about: 'put returns the replaced version only when asked, and nothing for a new key',
    actions: [
      { do: 'put', key: 'a', value: '1', prevKv: true }, { do: 'put', key: 'a', value: '2', prevKv: true },
      { do: 'put', key: 'a', value: '3' }, { do: 'put', key: 'b', value: '1', prevKv: true },
    ],
  },
  {
    name: 'delete-single',
    about: 'delete returns the count and, when asked, the deleted versions; deleting nothing keeps the revision',
    actions: [
      { do: 'put', key: 'a', value: '1' }, { do: 'put', key: 'a', value: '2' },
      { do: 'delete', key: 'a', prevKv: true }, { do: 'get', key: 'a' }, { do: 'delete', key: 'a' }, { do: 'delete', key: 'never', prevKv: true },
      { do: 'get', key: 'a', revision: 3 },
    ],
  },
  {
    name: 'tombstone-new-generation',
    about: 'a put after a delete starts a new generation: new createRevision, version 1',
    actions: [
      { do: 'put', key: 'k', value: 'a' }, { do: 'put', key: 'k', value: 'b' }, { do: 'delete', key: 'k' },
      { do: 'put', key: 'k', value: 'c' }, { do: 'put', key: 'k', value: 'd', prevKv: true },
      { do: 'get', key: 'k' }, { do: 'get', key: 'k', revision: 4 }, { do: 'get', key: 'k', revision: 3 },
    ],
  },
  {
    name: 'delete-prefix',
    about: 'a prefix delete removes the keys in key order in one revision',
    actions: [
      { do: 'put', key: 'p/2', value: 'x' }, { do: 'put', key: 'p/1', value: 'y' }, { do: 'put', key: 'p', value: 'z' }, { do: 'put', key: 'q', value: 'w' },
      { do: 'delete', key: 'p/', prefix: true, prevKv: true }, { do: 'get', key: '', prefix: true },
    ],
  },
  {
    name: 'delete-interval-and-open-end',
    about: 'delete [key, rangeEnd), then every key >= key with rangeEnd "\\0"',
    actions: [
      ...['a', 'b', 'c', 'd', 'e'].map((key) => ({ do: 'put' as const, key, value: key })),
      { do: 'delete', key: 'b', rangeEnd: 'd', prevKv: true }, { do: 'delete', key: 'd', rangeEnd: '\0' },
      { do: 'get', key: '', rangeEnd: '\0' },
    ],
  },
  {
    name: 'range-forms',
    about: 'single key, prefix, empty prefix (everything), interval, open interval, empty and inverted intervals',
    actions: [
      ...['a', 'b', 'b/1', 'b/2', 'ba', 'c'].map((key) => ({ do: 'put' as const, key, value: key.toUpperCase() })),
      { do: 'get', key: 'b' }, { do: 'get', key: 'b/', prefix: true }, { do: 'get', key: 'b', prefix: true }, { do: 'get', key: '', prefix: true },
      { do: 'get', key: 'b', rangeEnd: 'c' }, { do: 'get', key: 'b/2', rangeEnd: '\0' }, { do: 'get', key: 'c', rangeEnd: 'c' }, { do: 'get', key: 'c', rangeEnd: 'a' },
    ],
  },
  {
    name: 'range-limit-count',
    about: 'limit cuts kvs but count counts every key; countOnly returns just the count',
    actions: [
      ...['k1', 'k2', 'k3', 'k4'].map((key) => ({ do: 'put' as const, key, value: key })),
      { do: 'get', key: 'k', prefix: true, limit: 2 }, { do: 'get', key: 'k', prefix: true, limit: 10 },
      { do: 'get', key: 'k', prefix: true, countOnly: true }, { do: 'get', key: 'k2', rangeEnd: '\0', limit: 1 },
    ],
  },
  {
    name: 'range-past-revisions',
    about: 'a range at a past revision sees keys as they were, including deleted and not-yet-created keys',
    actions: [
      { do: 'put', key: 'x/a', value: '1' }, { do: 'put', key: 'x/b', value: '1' }, { do: 'delete', key: 'x/a' }, { do: 'put', key: 'x/c', value: '1' },
      { do: 'get', key: 'x/', prefix: true, revision: 2 }, { do: 'get', key: 'x/', prefix: true, revision: 3 },
      { do: 'get', key: 'x/', prefix: true, revision: 4 }, { do: 'get', key: 'x/', prefix: true, revision: 1 },
      { do: 'get', key: 'x/', prefix: true, countOnly: true, revision: 3 },
    ],
  },
  {
    name: 'range-future-revision',
    about: 'a read above the current revision is refused',
    actions: [{ do: 'put', key: 'a', value: '1' }, { do: 'get', key: 'a', revision: 3 }, { do: 'get', key: 'a', revision: 2 }],
  },
  {
    name: 'utf8-key-order',
    about: 'keys sort by UTF-8 bytes: U+1F600 after U+FFFF after U+E000 after U+00E9 after ASCII',
    actions: [
      { do: 'put', key: '\u{1F600}', value: 'emoji' }, { do: 'put', key: '\uFFFF', value: 'max-bmp' }, { do: 'put', key: '\uE000', value: 'private' },
      { do: 'put', key: '\u00e9', value: 'e-acute' }, { do: 'put', key: 'z', value: 'ascii' },
      { do: 'get', key: '', prefix: true }, { do: 'get', key: 'z', rangeEnd: '\uFFFF' }, { do: 'get', key: '\uFFFF', rangeEnd: '\0' },
      { do: 'delete', key: '\uE000', rangeEnd: '\u{1F600}', prevKv: true },
    ],
  },
  {
    name: 'utf8-values',
    about: 'values survive as UTF-8 text, and value compares use byte order',
    actions: [
      { do: 'put', key: 'v', value: '\u{1F600} caf\u00e9' },
      { do: 'txn', compare: [{ key: 'v', target: 'value', op: '>', value: '\uFFFF' }], success: [{ get: { key: 'v' } }], failure: [] },
    ],
  },
  {
    name: 'compact-and-read',
    about: 'after compaction, reads below the compacted revision fail, at and above it succeed',
    actions: [
      { do: 'put', key: 'a', value: '1' }, { do: 'put', key: 'a', value: '2' }, { do: 'put', key: 'b', value: '1' }, { do: 'put', key: 'a', value: '3' },
      { do: 'compact', revision: 4 }, { do: 'get', key: 'a', revision: 3 }, { do: 'get', key: 'a', revision: 4 },
      { do: 'get', key: '', prefix: true, revision: 4 }, { do: 'get', key: 'a' },
    ],
  },
  {
    name: 'compact-errors',
    about: 'compacting at or below the compacted revision, or in the future, is refused',
    actions: [
      { do: 'put', key: 'a', value: '1' }, { do: 'put', key: 'a', value: '2' },
      { do: 'compact', revision: 2 }, { do: 'compact', revision: 2 }, { do: 'compact', revision: 5 }, { do: 'compact', revision: 3 },
      { do: 'get', key: 'a', revision: 2 },
    ],
  },
  {
    name: 'txn-version',
    about: 'create-if-absent on version = 0: succeeds once, then the failure branch reads the winner',
    actions: [
      ...[1, 2].map(() => ({
        do: 'txn' as const,
        compare: [{ key: 'lock', target: 'version' as const, op: '=' as const, value: 0 }],
        success: [{ put: { key: 'lock', value: 'me' } }], failure: [{ get: { key: 'lock' } }],
      })),
      { do: 'put', key: 'lock', value: 'again' },
      ...(['=', '!=', '<', '>'] as const).map((op) => ({ do: 'txn' as const, compare: [{ key: 'lock', target: 'version' as const, op, value: 2 }], success: [], failure: [] })),
    ],
  },
  {
    name: 'txn-create-revision',
    about: 'every operator on createRevision',
    actions: [
      { do: 'put', key: 'other', value: 'x' }, { do: 'put', key: 'k', value: 'v' }, { do: 'put', key: 'k', value: 'w' },
      ...(['=', '!=', '<', '>'] as const).flatMap((op) => [2, 3, 4].map((value) => ({
        do: 'txn' as const, compare: [{ key: 'k', target: 'createRevision' as const, op, value }], success: [], failure: [],
      }))),
    ],
  },
  {
    name: 'txn-mod-revision-cas',
    about: 'compare-and-swap on modRevision, and every operator on it',
    actions: [
      { do: 'put', key: 'k', value: 'v1' },
      { do: 'txn', compare: [{ key: 'k', target: 'modRevision', op: '=', value: 2 }], success: [{ put: { key: 'k', value: 'v2', prevKv: true } }], failure: [{ get: { key: 'k' } }] },
      { do: 'txn', compare: [{ key: 'k', target: 'modRevision', op: '=', value: 2 }], success: [{ put: { key: 'k', value: 'v3' } }], failure: [{ get: { key: 'k' } }] },
      ...(['!=', '<', '>'] as const).flatMap((op) => [2, 3, 4].map((value) => ({
        do: 'txn' as const, compare: [{ key: 'k', target: 'modRevision' as const, op, value }], success: [], failure: [],
      }))),
    ],
  },
  {
    name: 'txn-value',
    about: 'every operator on value; a value compare on a missing key is false whatever the operator',
    actions: [
      { do: 'put', key: 'k', value: 'm' },
      ...(['=', '!=', '<', '>'] as const).flatMap((op) => ['l', 'm', 'n', 'mm'].map((value) => ({
        do: 'txn' as const, compare: [{ key: 'k', target: 'value' as const, op, value }], success: [], failure: [],
      }))),
      ...(['=', '!=', '<', '>'] as const).map((op) => ({
        do: 'txn' as const, compare: [{ key: 'missing', target: 'value' as const, op, value: '' }], success: [], failure: [],
      })),
    ],
  },
  {
    name: 'txn-lease',
    about: 'lease compares with = and != against a lease name and against 0',
    actions: [
      { do: 'grant', lease: 'L1', ttlMs: 60_000 }, { do: 'put', key: 'held', value: 'x', lease: 'L1' }, { do: 'put', key: 'free', value: 'y' },
      ...(['=', '!='] as const).flatMap((op) => ['held', 'free', 'missing'].flatMap((key) => (['L1', 0] as const).map((value) => ({
        do: 'txn' as const, compare: [{ key, target: 'lease' as const, op, value }], success: [], failure: [],
      })))),
      { do: 'revoke', lease: 'L1' },
    ],
  },
  {
    name: 'txn-missing-key-zeros',
    about: 'a missing key compares as zeros on version, createRevision and modRevision',
    actions: [
      { do: 'put', key: 'other', value: 'x' },
      ...(['version', 'createRevision', 'modRevision'] as const).flatMap((target) => (['=', '<', '>'] as const).map((op) => ({
        do: 'txn' as const, compare: [{ key: 'missing', target, op, value: op === '<' ? 1 : 0 }], success: [{ get: { key: 'other' } }], failure: [],
      }))),
    ],
  },
  {
    name: 'txn-many-ops-one-revision',
    about: 'all writes of a txn share one revision; a get inside sees the txn\'s own writes; responses in op order',
    actions: [
      { do: 'put', key: 'a', value: '0' }, { do: 'put', key: 'z', value: '0' },
      {
        do: 'txn',
        compare: [{ key: 'a', target: 'value', op: '=', value: '0' }, { key: 'z', target: 'version', op: '=', value: 1 }],
        success: [
          { put: { key: 'b', value: '1' } }, { put: { key: 'a', value: '1', prevKv: true } }, { delete: { key: 'z', prevKv: true } },
          { get: { key: '', prefix: true } }, { get: { key: 'a', revision: 2 } },
        ],
        failure: [],
      },
      { do: 'get', key: '', prefix: true },
    ],
  },
  {
    name: 'txn-failure-branch',
    about: 'a failing compare runs the failure branch, which may write too',
    actions: [
      { do: 'put', key: 'a', value: '1' },
      {
        do: 'txn', compare: [{ key: 'a', target: 'value', op: '=', value: 'nope' }, { key: 'a', target: 'version', op: '=', value: 1 }],
        success: [{ put: { key: 'never', value: '!' } }],
        failure: [{ put: { key: 'fallback', value: 'yes' } }, { delete: { key: 'a', prevKv: true } }, { get: { key: '', prefix: true } }],
      },
      { do: 'get', key: '', prefix: true },
    ],
  },
  {
    name: 'txn-read-only',
    about: 'a txn that only reads (or writes nothing) does not move the revision',
    actions: [
      { do: 'put', key: 'a', value: '1' },
      { do: 'txn', compare: [], success: [{ get: { key: 'a' } }, { delete: { key: 'nothing-here' } }], failure: [] },
      { do: 'txn', compare: [], success: [], failure: [] },
      { do: 'put', key: 'a', value: '2' },
    ],
  },
  {
    name: 'txn-duplicate-key',
    about: 'a txn writing one key twice is refused, even in the branch that would not run',
    actions: [
      { do: 'txn', compare: [], success: [{ put: { key: 'a', value: '1' } }, { put: { key: 'a', value: '2' } }], failure: [] },
      { do: 'txn', compare: [], success: [], failure: [{ delete: { key: 'p/', prefix: true } }, { put: { key: 'p/x', value: '1' } }] },
      { do: 'txn', compare: [], success: [{ delete: { key: 'a' } }, { delete: { key: 'a' } }], failure: [] },
      { do: 'get', key: '', prefix: true },
    ],
  },
  {
    name: 'lease-not-found',
    about: 'a put naming a lease never granted, or revoked, fails with no effect; so does revoking it',
    actions: [
      { do: 'put', key: 'a', value: '1', lease: 'ghost' }, { do: 'revoke', lease: 'ghost' },
      { do: 'grant', lease: 'L1', ttlMs: 60_000 }, { do: 'revoke', lease: 'L1' },
      { do: 'put', key: 'a', value: '1', lease: 'L1' }, { do: 'revoke', lease: 'L1' }, { do: 'get', key: 'a' },
    ],
  },
  {
    name: 'txn-missing-lease-atomic',
    about: 'a txn whose chosen branch puts with a missing lease fails as a whole; the other branch does not matter',
    actions: [
      { do: 'put', key: 'a', value: '1' },
      { do: 'txn', compare: [], success: [{ put: { key: 'b', value: '1' } }, { delete: { key: 'a' } }, { put: { key: 'c', value: '1', lease: 'ghost' } }], failure: [] },
      { do: 'get', key: '', prefix: true },
      { do: 'txn', compare: [], success: [{ put: { key: 'b', value: '1' } }], failure: [{ put: { key: 'c', value: '1', lease: 'ghost' } }] },
    ],
  },
  {
    name: 'lease-revoke-deletes',
    about: 'revoking a lease deletes its keys in key order in one revision; other keys stay; watchers see the deletes',
    actions: [
      { do: 'grant', lease: 'L1', ttlMs: 60_000 }, { do: 'grant', lease: 'L2', ttlMs: 30_000 },
      { do: 'put', key: 'svc/b', value: 'B', lease: 'L1' }, { do: 'put', key: 'svc/a', value: 'A', lease: 'L1' },
      { do: 'put', key: 'svc/c', value: 'C', lease: 'L2' }, { do: 'put', key: 'plain', value: 'P' },
      { do: 'get', key: '', prefix: true }, { do: 'revoke', lease: 'L1' }, { do: 'get', key: '', prefix: true },
      { do: 'watch', key: 'svc/', prefix: true, startRevision: 2, prevKv: true },
      { do: 'revoke', lease: 'L2' }, { do: 'get', key: '', prefix: true },
    ],
  },
  {
    name: 'lease-detach',
    about: 'overwriting without the lease or with another detaches the key; deleting it does too',
    actions: [
      { do: 'grant', lease: 'L1', ttlMs: 60_000 }, { do: 'grant', lease: 'L2', ttlMs: 60_000 },
      { do: 'put', key: 'moved', value: '1', lease: 'L1' }, { do: 'put', key: 'moved', value: '2', lease: 'L2' },
      { do: 'put', key: 'dropped', value: '1', lease: 'L1' }, { do: 'put', key: 'dropped', value: '2' },
      { do: 'put', key: 'deleted', value: '1', lease: 'L1' }, { do: 'delete', key: 'deleted' }, { do: 'put', key: 'deleted', value: '3' },
      { do: 'put', key: 'kept', value: '1', lease: 'L1' }, { do: 'put', key: 'kept', value: '2', lease: 'L1' },
      { do: 'revoke', lease: 'L1' }, { do: 'get', key: '', prefix: true },
    ],
  },
  {
    name: 'lease-grant-ttl',
    about: 'grant answers the TTL as granted, raised to the minimum TTL when asked for less',
    actions: [
      { do: 'grant', lease: 'L1', ttlMs: 5000 }, { do: 'grant', lease: 'L2', ttlMs: 1000 }, { do: 'grant', lease: 'L3', ttlMs: 2000 }, { do: 'put', key: 'k', value: 'v', lease: 'L2', prevKv: true },
      { do: 'get', key: 'k' }, { do: 'revoke', lease: 'L2' }, { do: 'revoke', lease: 'L1' }, { do: 'revoke', lease: 'L3' },
    ],
  },
  {
    name: 'watch-replay-prefix',
    about: 'a watch from a past revision replays PUTs and DELETEs on a prefix in revision order, with prevKv',
    actions: [
      { do: 'put', key: 'w/a', value: '1' }, { do: 'put', key: 'x', value: 'outside' }, { do: 'put', key: 'w/a', value: '2' },
      { do: 'delete', key: 'w/a' }, { do: 'put', key: 'w/b', value: '1' },
      { do: 'watch', key: 'w/', prefix: true, startRevision: 2, prevKv: true },
      { do: 'watch', key: 'w/', prefix: true, startRevision: 4 },
      { do: 'watch', key: 'w/a', startRevision: 1 },
    ],
  },
  {
    name: 'watch-txn-order',
    about: 'events of one revision come in the order the txn made them',
    actions: [
      { do: 'put', key: 'b', value: '0' },
      { do: 'txn', compare: [], success: [{ put: { key: 'c', value: '1' } }, { delete: { key: 'b' } }, { put: { key: 'a', value: '1' } }], failure: [] },
      { do: 'watch', key: '', prefix: true, startRevision: 3, prevKv: true },
    ],
  },
  {
    name: 'watch-interval-and-open-range',
    about: 'a watch on [key, rangeEnd) or on every key >= key sees only those keys',
    actions: [
      ...['a', 'b', 'c', 'd'].map((key) => ({ do: 'put' as const, key, value: key })),
      { do: 'delete', key: 'a', rangeEnd: '\0' },
      { do: 'watch', key: 'b', rangeEnd: 'd', startRevision: 2 }, { do: 'watch', key: 'c', rangeEnd: '\0', startRevision: 5 },
    ],
  },
  {
    name: 'watch-compacted',
    about: 'a watch from below the compacted revision is cancelled with the compaction error; at it, it replays',
    actions: [
      { do: 'put', key: 'k', value: '1' }, { do: 'put', key: 'k', value: '2' }, { do: 'put', key: 'k', value: '3' },
      { do: 'compact', revision: 3 }, { do: 'watch', key: 'k', startRevision: 2 }, { do: 'watch', key: 'k', startRevision: 3, prevKv: true },
    ],
  },
];
