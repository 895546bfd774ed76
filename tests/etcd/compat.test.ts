/**
 * etcd compatibility: every script of scripts.ts runs against a real three-member etcd cluster (through its
 * JSON gateway) and against Flotilla twice (its state machine alone, and a simulated three-node cluster through
 * a client on the bus), and all must give the same answers: revisions, createRevision,
 * modRevision, version, values, txn outcomes, deleted counts, prevKv, the deletes of a lease revoke, and
 * watch events from a past revision. Skips, saying why, when no etcd binary is installed (`npm test` and .ci/run
 * install Debian's etcd-server when they may).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ETCD_MIN_LEASE_TTL_MS, findEtcd, startEtcdCluster, type EtcdCluster } from './etcdCluster.ts';
import { EtcdTarget } from './etcdTarget.ts';
import { FlotillaClusterTarget } from './flotillaClusterTarget.ts';
import { FlotillaDirectTarget } from './flotillaDirectTarget.ts';
import { DIFFERENCES } from './differences.ts';
import { runScript } from './script.ts';
import { SCRIPTS } from './scripts.ts';
import { titleWithSkipReason } from '../skipReason.ts';

const etcd = findEtcd();
const skipReason = etcd === undefined
  ? 'no etcd binary: install Debian\'s etcd-server (npm test and .ci/run do when run as root with apt-get) or set ETCD_BIN'
  : undefined;

describe.skipIf(skipReason !== undefined)(titleWithSkipReason('Flotilla answers like etcd 3.4 (real 3-member cluster)', skipReason), () => {
  let cluster: EtcdCluster;
  let etcdTarget: EtcdTarget;
  const flotilla = new FlotillaDirectTarget(ETCD_MIN_LEASE_TTL_MS);
  const simulated = new FlotillaClusterTarget();

  beforeAll(async () => {
    cluster = await startEtcdCluster(etcd!);
    etcdTarget = new EtcdTarget(cluster.clientUrls[0]);
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('has at least 25 scripts, covering every operation and compare target', () => {
    expect(SCRIPTS.length).toBeGreaterThanOrEqual(25);
    const actions = SCRIPTS.flatMap((s) => s.actions);
    expect(new Set(actions.map((a) => a.do))).toEqual(new Set(['put', 'get', 'delete', 'txn', 'grant', 'revoke', 'compact', 'watch']));
    const targets = actions.flatMap((a) => (a.do === 'txn' ? a.compare.map((c) => `${c.target} ${c.op}`) : []));
    for (const target of ['version', 'createRevision', 'modRevision', 'value']) {
      for (const op of ['=', '!=', '<', '>']) expect(targets, `${target} ${op}`).toContain(`${target} ${op}`);
    }
    expect(targets).toEqual(expect.arrayContaining(['lease =', 'lease !=']));
    expect(new Set(SCRIPTS.map((s) => s.name)).size).toBe(SCRIPTS.length);
  });

  for (const script of SCRIPTS) {
    it(`${script.name}: ${script.about}`, async () => {
      const expected = await runScript(etcdTarget, script);
      const actual = await runScript(flotilla, script);
      expect(actual).toEqual(expected);
      const throughCluster = await runScript(simulated, script);
      expect(throughCluster, 'through a simulated cluster').toEqual(expected);
    });
  }

  for (const difference of DIFFERENCES) {
    it(`differs on purpose: ${difference.script.name} (${difference.script.about})`, async () => {
      const etcdAnswers = await runScript(etcdTarget, difference.script);
      const flotillaAnswers = await runScript(difference.flotilla(), difference.script);
      // The difference is real (the answers are not equal) and is exactly the one documented.
      expect(flotillaAnswers, difference.why).not.toEqual(etcdAnswers);
      expect(difference.etcdFromFlotilla(flotillaAnswers), difference.why).toEqual(etcdAnswers);
      expect(await runScript(difference.cluster(), difference.script), 'a simulated cluster differs the same way').toEqual(flotillaAnswers);
    });
  }
});
