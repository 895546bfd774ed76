import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, DEFAULT_NETWORK, parseScenario, FieldError } from '../../src/sim/scenario.ts';

const base = { name: 'x', nodes: 5, seed: 42, until: 20000 };

/** The error a bad scenario raises (the test fails if it is accepted). */
function rejection(scenario: unknown): FieldError {
  try {
    parseScenario(typeof scenario === 'string' ? scenario : JSON.stringify(scenario));
  } catch (error) {
    if (error instanceof FieldError) return error;
    throw error;
  }
  throw new Error('scenario was accepted');
}

describe('scenario validation', () => {
  it('a number too large for JSON (1e400 reads as Infinity) is named as such, not as null', () => {
    expect(rejection('{"nodes": 3, "until": 1e400}').message).toBe('until: must be an integer, got Infinity (a number too large for JSON\'s doubles)');
  });

  it('accepts the contract example and fills in the documented defaults', () => {
    const s = parseScenario(JSON.stringify({
      ...base,
      config: { electionTimeoutMs: 1000, heartbeatMs: 100, preVote: true, checkQuorum: true },
      network: { latencyMs: [10, 30], dropRate: 0, duplicateRate: 0 },
      actions: [
        { at: 3000, do: 'crash', node: 'leader' },
        { at: 6000, do: 'restart', node: 1 },
        { at: 6500, do: 'partition', groups: [[1, 2], [3, 4, 5]] },
        { at: 6500, do: 'isolate', node: 'leader' },
        { at: 9000, do: 'heal' },
        { at: 7000, do: 'cut', from: 1, to: 2 },
        { at: 7500, do: 'restore', from: 1, to: 2 },
        { at: 8000, do: 'propose', node: 'leader', data: 'x=1' },
        { at: 8000, do: 'timeout', node: 2 },
        { at: 8000, do: 'transfer', to: 4 },
        { at: 8000, do: 'network', latencyMs: [5, 50], dropRate: 0.1, duplicateRate: 0.05 },
      ],
    }));
    expect(s.config).toEqual(DEFAULT_CONFIG);
    expect(s.network).toEqual(DEFAULT_NETWORK);
    // Sorted by `at`, file order kept on ties (the contract's tie rule).
    expect(s.actions.map((a) => `${a.at}:${a.do}`)).toEqual([
      '3000:crash', '6000:restart', '6500:partition', '6500:isolate', '7000:cut', '7500:restore',
      '8000:propose', '8000:timeout', '8000:transfer', '8000:network', '9000:heal',
    ]);
    // `written` is the action as written, for the trace.
    expect(s.actions[0]!.written).toEqual({ at: 3000, do: 'crash', node: 'leader' });
  });

  it('defaults seed, name, description, config, network and actions', () => {
    const s = parseScenario('{"nodes": 3, "until": 100, "description": "why"}');
    expect(s).toMatchObject({ nodes: 3, until: 100, seed: 1, name: '', description: 'why', actions: [] });
  });

  it('lets --seed override the file seed', () => {
    expect(parseScenario(JSON.stringify(base), 7).seed).toBe(7);
  });

  it.each([
    ['malformed JSON', '{"nodes": 3,', '(file)', /malformed JSON/],
    ['unknown node', { ...base, actions: [{ at: 1, do: 'crash', node: 9 }] }, 'actions[0].node', /unknown node 9 \(cluster has nodes 1..5\)/],
    ['unknown node name', { ...base, actions: [{ at: 1, do: 'crash', node: 'follower' }] }, 'actions[0].node', /unknown node "follower"/],
    ['unknown action', { ...base, actions: [{ at: 1, do: 'explode' }] }, 'actions[0].do', /unknown action "explode"/],
    ['missing action name', { ...base, actions: [{ at: 1 }] }, 'actions[0].do', /required/],
    ['negative time', { ...base, actions: [{ at: -5, do: 'heal' }] }, 'actions[0].at', /must not be negative/],
    ['fractional time', { ...base, actions: [{ at: 1.5, do: 'heal' }] }, 'actions[0].at', /integer/],
    ['time as a string', { ...base, actions: [{ at: '100', do: 'heal' }] }, 'actions[0].at', /integer/],
    ['missing at', { ...base, actions: [{ do: 'heal' }] }, 'actions[0].at', /required/],
    ['negative until', { ...base, until: -1 }, 'until', /must not be negative/],
    ['missing nodes', { until: 5 }, 'nodes', /required/],
    ['zero nodes', { ...base, nodes: 0 }, 'nodes', /at least 1/],
    ['unknown top-level field', { ...base, speed: 2 }, 'speed', /unknown field/],
    ['unknown action field', { ...base, actions: [{ at: 1, do: 'heal', node: 1 }] }, 'actions[0].node', /unknown field for action "heal"/],
    ['missing propose data', { ...base, actions: [{ at: 1, do: 'propose', node: 1 }] }, 'actions[0].data', /required/],
    ['non-string data', { ...base, actions: [{ at: 1, do: 'propose', node: 1, data: 5 }] }, 'actions[0].data', /string/],
    ['self link', { ...base, actions: [{ at: 1, do: 'cut', from: 2, to: 2 }] }, 'actions[0].to', /two different nodes/],
    ['node twice in a partition', { ...base, actions: [{ at: 1, do: 'partition', groups: [[1, 2], [2, 3]] }] }, 'actions[0].groups[1][0]', /already in/],
    ['bad group member', { ...base, actions: [{ at: 1, do: 'partition', groups: [[1, 6]] }] }, 'actions[0].groups[0][1]', /unknown node 6/],
    ['drop rate above 1', { ...base, network: { dropRate: 1.5 } }, 'network.dropRate', /probability/],
    ['inverted latency', { ...base, network: { latencyMs: [30, 10] } }, 'network.latencyMs', /less than min/],
    ['bad latency in an action', { ...base, actions: [{ at: 1, do: 'network', latencyMs: [1] }] }, 'actions[0].latencyMs', /\[minMs, maxMs\]/],
    ['typo in a network action', { ...base, actions: [{ at: 1, do: 'network', dropRte: 0.1 }] }, 'actions[0].dropRte', /unknown field/],
    ['unknown config field', { ...base, config: { electionTimeout: 5 } }, 'config.electionTimeout', /unknown field/],
    ['boolean as string', { ...base, config: { preVote: 'yes' } }, 'config.preVote', /true or false/],
    ['timeout not a tick multiple', { ...base, config: { electionTimeoutMs: 1005 } }, 'config.electionTimeoutMs', /multiple of tickMs/],
    ['heartbeat not below timeout', { ...base, config: { heartbeatMs: 1000 } }, 'config.heartbeatMs', /less than electionTimeoutMs/],
    ['lease reads without CheckQuorum', { ...base, config: { readOnly: 'lease', checkQuorum: false } }, 'config.readOnly', /checkQuorum/],
    ['unknown unsafe switch', { ...base, config: { unsafe: ['fast'] } }, 'config.unsafe[0]', /forgetVote/],
    ['scenario not an object', [1, 2], '(scenario)', /JSON object/],
    ['actions not an array', { ...base, actions: {} }, 'actions', /array/],
  ])('rejects %s, naming the field', (_what, scenario, field, problem) => {
    const error = rejection(scenario);
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(error.message).toMatch(problem);
  });
});
