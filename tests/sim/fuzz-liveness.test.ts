/**
 * The fuzzer's liveness checks can fail, and their bounds follow the mechanism (docs/scenarios.md, "Fuzzing"):
 * a client operation stuck in the healthy stretch fails the seed, naming it; the convergence bound grows with the
 * backlog a lagging node must fetch; the leader bound with how few nodes can win an election.
 */
import { describe, expect, it } from 'vitest';
import { runFuzzSeed } from '../../src/sim/fuzz/fuzz.ts';
import { backlog, catchUpAllowanceMs, electable } from '../../src/sim/fuzz/liveness.ts';
import type { NodeHost, StepResult } from '../../src/sim/host.ts';
import { InlineHost } from '../../src/sim/inlineHost.ts';
import type { KvBusMsg } from '../../src/etcd/server/messages.ts';
import { DEFAULT_CONFIG, resolveScenario } from '../../src/sim/scenario.ts';
import { World } from '../../src/sim/world.ts';

/** A host whose nodes never answer a linearizable read (each reply to one is lost in the node). */
function readsNeverAnswered(): NodeHost {
  const inline = new InlineHost();
  const reads = new Set<string>();
  const strip = (result: StepResult): StepResult => {
    if (!result.kv) return result;
    const messages = result.kv.messages.filter((m: KvBusMsg) => !(m.type === 'ClientResponse' && reads.has(`${m.to}#${m.id}`)));
    return { ...result, kv: { ...result.kv, messages } };
  };
  return {
    create: (node, init) => inline.create(node, init),
    crash: (node) => inline.crash(node),
    status: (node) => inline.status(node),
    step: (node, input) => {
      if (input.kind === 'kv' && input.message.type === 'ClientRequest' && input.message.op.do === 'get' && !input.message.op.serializable) {
        reads.add(`${input.message.session}#${input.message.id}`);
      }
      return strip(inline.step(node, input));
    },
  };
}

describe('client liveness', () => {
  it('a read that never completes in the healthy stretch fails the seed, naming the operation and the bound', () => {
    const healthy = runFuzzSeed(5, { events: 5000 });
    expect(healthy.ok, healthy.livenessFailure).toBe(true);
    const stuck = runFuzzSeed(5, { events: 5000, host: readsNeverAnswered() });
    expect(stuck.ok).toBe(false);
    expect(stuck.violation).toBeUndefined();
    expect(stuck.livenessFailure).toMatch(/^clients: client operation c\d+#\d+ \(\{"do":"get",.*\) invoked at \d+ ms in the healthy stretch .* past the bound of 3 election timeouts/);
  });
});

describe('the convergence bound', () => {
  it('allows a backlog fetched maxInflight x maxEntriesPerMsg entries per round trip, twice over', () => {
    // An old seed (2006 of `--events 20000`): 577 entries behind, 4 appends of 1 entry in flight, 32 ms one way.
    // It caught up at that rate (about 9 s), past the fixed 50 election timeouts (9 s).
    const config = { ...DEFAULT_CONFIG, electionTimeoutMs: 180, maxInflight: 4, maxEntriesPerMsg: 1 };
    const measuredMs = Math.ceil(577 / 4) * (2 * 31);
    expect(catchUpAllowanceMs(577, config, 32)).toBeGreaterThanOrEqual(2 * measuredMs);
    expect(catchUpAllowanceMs(0, config, 32)).toBe(0);
    expect(catchUpAllowanceMs(577, { ...config, maxEntriesPerMsg: 64 }, 32)).toBeLessThan(catchUpAllowanceMs(577, config, 32));
  });
});

describe('the leader bound', () => {
  it('counts the nodes whose log is at least as up to date as a majority\'s (only they can win, Raft §5.4.1)', () => {
    // Last entries: nodes 1 and 2 at term 3, node 3 at term 2, nodes 4 and 5 one entry of term 1.
    const logs: Record<number, number[]> = { 1: [1, 3], 2: [1, 3], 3: [1, 2], 4: [1], 5: [1] };
    const world = new World({
      scenario: resolveScenario({ nodes: 5, until: 0 }),
      check: false,
      initialState: (node) => ({
        hardState: { term: 3, vote: 0, commit: 1 },
        entries: logs[node]!.map((term, i) => ({ index: i + 1, term, data: null })),
      }),
    });
    world.runUntil(0, new InlineHost());
    expect(electable(world)).toBe(3);
    expect(backlog(world)).toBe(1);
  });
});
