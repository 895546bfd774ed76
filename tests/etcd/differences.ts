/**
 * Where Flotilla answers differently from etcd 3.4 on purpose (docs/kv.md, "Differences from etcd"). Each entry
 * runs a script on both and states exactly how etcd's answers follow from Flotilla's, so the difference is
 * pinned: if either side changes, the test fails.
 */
import type { Outcome } from '../../src/kv/index.ts';
import { minLeaseTtlMsFor } from '../../src/kv/index.ts';
import { ELECTION_TIMEOUT_MS } from './etcdCluster.ts';
import { FlotillaClusterTarget } from './flotillaClusterTarget.ts';
import { FlotillaDirectTarget } from './flotillaDirectTarget.ts';
import type { Script } from './script.ts';

export interface IntendedDifference {
  readonly script: Script;
  /** Why Flotilla differs. */
  readonly why: string;
  /** The Flotilla target to compare (its configuration may be the point). */
  readonly flotilla: () => FlotillaDirectTarget;
  /** The same, as a simulated cluster through a client: it must differ from etcd in exactly the same way. */
  readonly cluster: () => FlotillaClusterTarget;
  /** etcd's answers, computed from Flotilla's by undoing the difference. */
  readonly etcdFromFlotilla: (answers: Outcome<unknown>[]) => Outcome<unknown>[];
}

type WatchAnswer = { header: { revision: number }; events: { type: string; kv: { modRevision: number } }[] };

export const DIFFERENCES: readonly IntendedDifference[] = [
  {
    script: {
      name: 'watch-at-compacted-revision-sees-its-delete',
      about: 'a watch starting exactly at the compacted revision',
      actions: [
        { do: 'put', key: 'k', value: '1' }, { do: 'put', key: 'j', value: '1' }, { do: 'delete', key: 'k' }, { do: 'put', key: 'j', value: '2' },
        { do: 'compact', revision: 4 }, { do: 'watch', key: '', prefix: true, startRevision: 4 },
      ],
    },
    why: 'etcd\'s compaction drops a tombstone made at the compacted revision itself, so a watch allowed to start there '
      + 'misses that DELETE. Flotilla keeps such a tombstone until the next compaction: a watch it accepts has no gap.',
    flotilla: () => new FlotillaDirectTarget(2000),
    cluster: () => new FlotillaClusterTarget(),
    etcdFromFlotilla: (answers) => answers.map((answer, i) => {
      if (i !== 5 || !answer.ok) return answer;
      const watch = answer.result as WatchAnswer;
      return { ok: true, result: { ...watch, events: watch.events.filter((e) => !(e.type === 'DELETE' && e.kv.modRevision === 4)) } };
    }),
  },
  {
    script: {
      name: 'minimum-lease-ttl-not-rounded-to-seconds',
      about: 'a grant below the minimum TTL',
      actions: [{ do: 'grant', lease: 'L1', ttlMs: 1000 }],
    },
    why: 'etcd\'s minimum TTL is ceil(1.5 × election timeout) rounded up to whole seconds (TTLs are seconds in etcd): '
      + `2000 ms for a ${ELECTION_TIMEOUT_MS} ms election timeout. Flotilla's TTLs are milliseconds, so its minimum is `
      + `ceil(1.5 × election timeout) itself: ${minLeaseTtlMsFor(ELECTION_TIMEOUT_MS)} ms.`,
    flotilla: () => new FlotillaDirectTarget(minLeaseTtlMsFor(ELECTION_TIMEOUT_MS)),
    // etcd's own election timeout and tick: the cluster's minimum TTL is then 1.5 s.
    cluster: () => new FlotillaClusterTarget(ELECTION_TIMEOUT_MS, 10),
    etcdFromFlotilla: (answers) => answers.map((answer) => (answer.ok ? { ok: true, result: { ...(answer.result as object), ttlMs: 2000 } } : answer)),
  },
];
