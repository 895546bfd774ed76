import { describe, expect, it } from 'vitest';
import { decodeInlineScenario, encodeInlineScenario, formatRunUrl, parseRunUrl, type RunSpec } from '../../src/store/runUrl.ts';
import { effectiveScenario, parseScenarioText } from '../../src/store/scenarioSource.ts';
import { resolveScenario } from '../../src/sim/scenario.ts';

describe('run URL', () => {
  it('round-trips a full run description', () => {
    const spec: RunSpec = {
      scenario: 'examples/leader-crash.json', seed: 7, host: 'inline',
      overrides: { nodes: 9, electionTimeoutMs: 800, heartbeatMs: 80, latencyMs: [5, 40], dropRate: 0.1, duplicateRate: 0.05, preVote: false, checkQuorum: true, unsafe: ['noTruncate'] },
      actions: [{ at: 1201, do: 'crash', node: 3 }, { at: 2000, do: 'propose', node: 'leader', data: 'x=1&y=2' }],
      position: 1234,
      runToEnd: true,
    };
    const url = formatRunUrl(spec);
    expect(url).toContain('scenario=examples/leader-crash.json');
    expect(parseRunUrl(url)).toEqual({ spec, errors: [] });
  });

  it('reads the issue-4 form ?scenario=examples/NAME.json&seed=N&host=worker', () => {
    const { spec, errors } = parseRunUrl('?scenario=examples/basic-election.json&seed=3&host=worker');
    expect(errors).toEqual([]);
    expect(spec).toMatchObject({ scenario: 'examples/basic-election.json', seed: 3, host: 'worker', actions: [], position: null, runToEnd: false });
  });

  it('names each bad parameter and keeps the rest', () => {
    const { spec, errors } = parseRunUrl('?seed=-1&host=gpu&nodes=12&lat=30-10&actions=[1]&scenario=../../etc/passwd&et=200');
    expect(errors.map((e) => e.split(':')[0]).sort()).toEqual(['actions[0]', 'host', 'lat', 'nodes', 'scenario', 'seed']);
    expect(spec.overrides.electionTimeoutMs).toBe(200);
    expect(spec.seed).toBeNull();
  });

  it('carries a whole scenario inline, unicode included', () => {
    const json = JSON.stringify({ name: 'café ✓', nodes: 3 });
    const param = encodeInlineScenario(json);
    expect(param).toMatch(/^inline:[A-Za-z0-9_-]+$/);
    expect(decodeInlineScenario(param)).toBe(json);
    expect(parseRunUrl('?scenario=' + param).spec.scenario).toBe(param);
  });
});

describe('run URL: hostile actions (issue 10, bug 4 and 5)', () => {
  const names = ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'];

  it.each(names)('an action named %s is refused, naming actions[i].do, by the link and by the scenario resolver', (name) => {
    const { spec, errors } = parseRunUrl(`?actions=${encodeURIComponent(JSON.stringify([{ at: 1, do: name }]))}`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^actions\\[0\\]\\.do: unknown action "${name}"`));
    const scenario = effectiveScenario({ nodes: 3, until: 100 }, spec.seed, spec.overrides, [{ at: 1, do: name }]);
    expect(() => resolveScenario(scenario)).toThrow(new RegExp(`^actions\\[0\\]\\.do: unknown action "${name}"`));
  });

  it('refuses a key given twice in an action, naming it', () => {
    const { spec, errors } = parseRunUrl('?actions=' + encodeURIComponent('[{"at":1,"do":"crash","node":1,"node":2}]'));
    expect(errors).toEqual(['actions[0].node: duplicate key "node" (give each key once)']);
    expect(spec.actions).toEqual([]);
  });

  it('an inline scenario or an imported file with a key given twice is refused, naming its path', () => {
    expect(() => parseScenarioText('{"nodes": 3, "until": 10, "config": {"preVote": true, "preVote": false}}'))
      .toThrow('config.preVote: duplicate key "preVote"');
    const inline = encodeInlineScenario('{"nodes": 3, "nodes": 5, "until": 10}');
    expect(() => parseScenarioText(decodeInlineScenario(inline))).toThrow(/^nodes: duplicate key "nodes"/);
    expect(() => parseScenarioText('[1]')).toThrow('(scenario): must be a JSON object, got an array');
    expect(parseScenarioText('{"nodes": 3, "until": 10}')).toEqual({ nodes: 3, until: 10 });
  });
});
