/**
 * Names every object inherits ("constructor", "toString", "hasOwnProperty", "__proto__", "valueOf") are not
 * actions, fields or flags: each entry point that looks a name up in a table refuses them, naming the field,
 * instead of matching Object.prototype (issue 10, bug 4: `"do": "constructor"` crashed `flotilla sim`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkClientHistory } from '../../src/etcd/client/clientHistoryCheck.ts';
import { runScenario } from '../../src/sim/run.ts';
import { parseAction, parseScenario, resolveScenario, FieldError } from '../../src/sim/scenario.ts';
import { parseRecipeAction } from '../../src/etcd/recipes/recipeActions.ts';
import { resolveClientOp } from '../../src/etcd/client/clientOps.ts';

export const INHERITED_NAMES = ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'] as const;

function scenarioError(run: () => unknown): FieldError {
  try {
    run();
  } catch (error) {
    if (error instanceof FieldError) return error;
    throw new Error(`expected a FieldError, got ${(error as Error).stack}`);
  }
  throw new Error('expected a FieldError, got none');
}

describe.each(INHERITED_NAMES)('the inherited name %s', (name) => {
  it('is an unknown action in a scenario file, naming actions[i].do', () => {
    const text = JSON.stringify({ nodes: 3, until: 100, actions: [{ at: 1, do: 'heal' }, { at: 2, do: name }] });
    const error = scenarioError(() => parseScenario(text));
    expect(error.field).toBe('actions[1].do');
    expect(error.message).toBe(`actions[1].do: unknown action "${name}" (known: ${error.problem.split('(known: ')[1]}`);
  });

  it('is an unknown action for parseAction (UI commands, fuzzer faults)', () => {
    expect(scenarioError(() => parseAction({ at: 1, do: name, node: 1 }, 3)).message).toMatch(new RegExp(`^action\\.do: unknown action "${name}"`));
  });

  it('is an unknown field of a scenario, its config, its network and an action', () => {
    // JSON.parse makes "__proto__" an own key, as every other key.
    const field = (json: string) => scenarioError(() => parseScenario(json)).field;
    expect(field(`{"nodes": 3, "until": 1, "${name}": 1}`)).toBe(name);
    expect(field(`{"nodes": 3, "until": 1, "config": {"${name}": 1}}`)).toBe(`config.${name}`);
    expect(field(`{"nodes": 3, "until": 1, "network": {"${name}": 1}}`)).toBe(`network.${name}`);
    expect(field(`{"nodes": 3, "until": 1, "actions": [{"at": 1, "do": "crash", "node": 1, "${name}": 1}]}`)).toBe(`actions[0].${name}`);
  });

  it('is not a node reference, a client name or a recipe action', () => {
    expect(scenarioError(() => parseAction({ at: 1, do: 'crash', node: name }, 3)).field).toBe('action.node');
    expect(scenarioError(() => parseRecipeAction({ at: 1, do: name, client: 'c1' }, 'actions[0]')).field).toBe('actions[0].do');
    const cut = scenarioError(() => resolveScenario({ nodes: 3, until: 1, actions: [{ at: 1, do: 'cut', from: name, to: 1 }] }));
    expect(cut.field).toBe('actions[0].from');
  });

  it('is not a field of a client operation or of a txn branch', () => {
    // A computed key makes an own property, "__proto__" included (as JSON.parse does).
    expect(scenarioError(() => parseAction({ at: 1, do: 'put', client: 'c1', key: 'k', value: 'v', [name]: 1 }, 3)).field).toBe(`action.${name}`);
    const txn = JSON.parse(`{"at": 1, "do": "txn", "client": "c1", "success": [{"${name}": {}}]}`) as Record<string, unknown>;
    expect(scenarioError(() => resolveClientOp('txn', txn, 'actions[0]')).field).toBe('actions[0].success[0]');
  });
});

describe('duplicate keys in a scenario file', () => {
  it('are refused, naming the key and its path', () => {
    const cases: [string, string][] = [
      ['{"nodes": 3, "until": 100, "nodes": 5}', 'nodes'],
      ['{"nodes": 3, "until": 100, "config": {"preVote": true, "preVote": false}}', 'config.preVote'],
      ['{"nodes": 3, "until": 100, "actions": [{"at": 1, "do": "crash", "node": 1}, {"at": 2, "do": "crash", "node": 1, "node": 2}]}', 'actions[1].node'],
      // The same key however it is spelt: JSON compares keys decoded.
      ['{"nodes": 3, "until": 100, "until": 200}', 'until'],
      ['{"nodes": 3, "until": 100, "\\u0075ntil": 200}', 'until'],
    ];
    for (const [text, path] of cases) {
      const error = scenarioError(() => parseScenario(text));
      expect(error.field).toBe(path);
      expect(error.problem).toMatch(new RegExp(`^duplicate key "${path.split('.').at(-1)!.replace(/\[\d+\]/, '')}"`));
    }
  });

  it('are fine in different objects, and a key may equal a value', () => {
    const text = '{"nodes": 3, "until": 100, "name": "nodes", "actions": [{"at": 1, "do": "crash", "node": 1}, {"at": 2, "do": "crash", "node": 2}]}';
    expect(parseScenario(text).actions).toHaveLength(2);
  });
});

describe('inherited names as names chosen by the user', () => {
  it('clients, keys, leases, watches, mutexes and elections may be named constructor, __proto__, toString...', () => {
    // tests/sim/inherited-names.scenario.json: every name there is one Object.prototype has.
    const text = readFileSync(path.join(import.meta.dirname, 'inherited-names.scenario.json'), 'utf8');
    const lines: string[] = [];
    const { summary } = runScenario(parseScenario(text), { onLine: (line) => lines.push(line) });
    expect(summary.violations).toEqual([]);
    const events = lines.slice(1).map((l) => JSON.parse(l) as Record<string, unknown>);
    const verdict = checkClientHistory(events);
    expect(verdict).toMatchObject({ linearizable: true, revisionOrder: true, watchStreams: true, problems: [] });
    const okOf = (client: string) => events.filter((e) => e.type === 'client' && e.client === client && e.phase === 'ok');
    expect(okOf('constructor').length).toBeGreaterThanOrEqual(2);
    expect(okOf('__proto__').length).toBeGreaterThanOrEqual(3);
    const read = events.find((e) => e.type === 'client' && e.client === '__proto__' && e.phase === 'ok'
      && Array.isArray((e.result as { kvs?: unknown }).kvs)) as { result: { kvs: { key: string; value: string }[] } } | undefined;
    expect(read?.result.kvs).toEqual([expect.objectContaining({ key: '__proto__', value: 'toString' })]);
    const recipes = events.filter((e) => e.type === 'recipe').map((e) => `${String(e.client)} ${String(e.event)} ${String(e.name)}`);
    expect(recipes).toEqual(expect.arrayContaining(['constructor locked __proto__', '__proto__ elected toString']));
  });
});
