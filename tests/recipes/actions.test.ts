/**
 * The recipe scenario actions (src/etcd/recipes/recipeActions.ts) as the scenario validator takes them: defaults
 * filled in, and every bad field named.
 */
import { describe, expect, it } from 'vitest';
import { resolveScenario, FieldError, type ScenarioAction } from '../../src/sim/scenario.ts';

const scenario = (...actions: Record<string, unknown>[]) => ({
  nodes: 3, until: 1000, actions: [{ at: 0, do: 'client', client: 'c1', via: 1 }, ...actions],
});
const recipeOf = (action: Record<string, unknown>): unknown => {
  const resolved = resolveScenario(scenario(action)).actions[1] as Extract<ScenarioAction, { recipe: unknown }>;
  return resolved.recipe;
};
const errorOf = (...actions: Record<string, unknown>[]): { field: string; problem: string } => {
  try {
    resolveScenario(scenario(...actions));
  } catch (error) {
    if (error instanceof FieldError) return { field: error.field, problem: error.problem };
    throw error;
  }
  throw new Error('the scenario was accepted');
};

describe('recipe actions', () => {
  it('fill in the documented defaults', () => {
    expect(recipeOf({ at: 5, do: 'campaign', client: 'c1', election: '/e', value: 'v' }))
      .toEqual({ at: 5, client: 'c1', do: 'campaign', election: '/e', value: 'v', ttlMs: 60_000 });
    expect(recipeOf({ at: 5, do: 'cron', client: 'c1', job: 'backup', everyMs: 1000 }))
      .toEqual({ at: 5, client: 'c1', do: 'cron', job: 'backup', everyMs: 1000, election: '/cron/backup', ttlMs: 60_000 });
    expect(recipeOf({ at: 5, do: 'discoverHeartbeats', client: 'c1', service: '/s/', everyMs: 400 }))
      .toEqual({ at: 5, client: 'c1', do: 'discoverHeartbeats', service: '/s/', everyMs: 400, staleAfterMs: 1200 });
  });

  it('name the bad field', () => {
    expect(errorOf({ at: 5, do: 'campaign', client: 'c1', value: 'v' }).field).toBe('actions[1].election');
    expect(errorOf({ at: 5, do: 'lock', client: 'c1', mutex: '/m', ttlMs: 0 }).field).toBe('actions[1].ttlMs');
    expect(errorOf({ at: 5, do: 'register', client: 'c1', service: '/s/', instance: 'a', addr: 7 }).field).toBe('actions[1].addr');
    expect(errorOf({ at: 5, do: 'resign', client: 'c1', election: '/e', value: 'v' }).field).toBe('actions[1].value');
    expect(errorOf({ at: 5, do: 'cron', client: 'c1', job: '', everyMs: 10 }).field).toBe('actions[1].job');
    expect(errorOf({ at: 5, do: 'observe', client: 'c9', election: '/e' }).field).toBe('actions[1].client');
  });
});
