/**
 * The compatibility scripts through a simulated Flotilla cluster and its clients answer exactly as the state
 * machine alone does (which compat.test.ts holds to real etcd's answers): Raft replication, ReadIndex reads,
 * lease forwarding, exactly-once retries and watch replays add nothing and lose nothing. Runs without etcd.
 */
import { describe, expect, it } from 'vitest';
import { checkTraceHistory } from '../../src/check/index.ts';
import { ETCD_MIN_LEASE_TTL_MS } from './etcdCluster.ts';
import { FlotillaClusterTarget } from './flotillaClusterTarget.ts';
import { FlotillaDirectTarget } from './flotillaDirectTarget.ts';
import { runScript } from './script.ts';
import { SCRIPTS } from './scripts.ts';

describe('scripts through a simulated cluster', () => {
  const cluster = new FlotillaClusterTarget();
  const direct = new FlotillaDirectTarget(ETCD_MIN_LEASE_TTL_MS);

  for (const script of SCRIPTS) {
    it(`${script.name}: same answers as the state machine`, async () => {
      const expected = await runScript(direct, script);
      const actual = await runScript(cluster, script);
      expect(actual).toEqual(expected);
      // Every script was a real client history on the cluster: it checks linearizable.
      expect(checkTraceHistory(cluster.events).linearizable).toBe(true);
    });
  }
});
