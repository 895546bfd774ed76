/**
 * An invariant check that fires in the core (docs/raft-core.md, "Invariant checks") is a failed node, like any
 * throw in a worker (docs/workers.md): the worker answers with the error, the host records the failure, and the
 * node takes no more input.
 */
import { describe, expect, it } from 'vitest';
import type { NodeConfig } from '../../src/sim/host.ts';
import { WorkerHost } from '../../src/worker/workerHost.ts';
import { spawnInProcessWorker } from './inProcessWorker.ts';

const config: NodeConfig = {
  id: 1, peers: [1, 2, 3], electionTick: 10, heartbeatTick: 1, preVote: false, checkQuorum: false, readOnly: 'safe',
  maxInflight: 8, maxEntriesPerMsg: 8, disableProposalForwarding: false,
  unsafe: { forgetVote: false, commitOldTerm: false, skipUpToDateCheck: false, noTruncate: false },
};

describe('invariant failures in a worker', () => {
  it('a node whose core finds an invariant broken fails, naming the invariant', async () => {
    const host = new WorkerHost({ spawn: () => spawnInProcessWorker() });
    await host.create(1, { config, randomSeed: 1, tickMs: 10 });
    // A forged append of term 1 carrying an entry of term 9: no real leader sends one. The node stores it, so its
    // log now holds a term later than its own, and when it wins term 2 it is not a current leader.
    await host.step(1, {
      kind: 'message',
      message: { type: 'MsgApp', from: 2, to: 1, term: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [{ index: 1, term: 9, data: null }], commit: 0 },
    });
    await host.step(1, { kind: 'timeout' });
    const won = host.step(1, { kind: 'message', message: { type: 'MsgVoteResp', from: 2, to: 1, term: 2, reject: false } });
    await expect(won).rejects.toThrow(/node 1 failed: .*invariant violated: becomeLeader: term 2 is not current \(last log term 9/);
    expect(host.failure(1)).toMatch(/invariant violated/);
    await expect(host.step(1, { kind: 'tick' })).rejects.toThrow(/invariant violated/);
  });
});
