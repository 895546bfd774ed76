/**
 * The client layer as the World sees it: the etcd-like clients (src/sim/clients) and the recipes that run in them
 * (src/sim/recipes). The World reaches them only through this interface, handed in as `WorldOptions.clientLayer`,
 * so a module that imports the World does not carry their code: the CLI, the fuzzer and tests pass `kvClients`
 * (kvClients.ts); the app imports it with `import()` only when a run names a client (most runs are Raft-only, and
 * the page's first load stays small).
 *
 * Only types are imported here (erased at build time); the code lives in kvClients.ts.
 */
import type { ClientEndpoint } from './clients/clientEndpoint.ts';
import type { ClientHub, WorldPort } from './clients/clientHub.ts';
import type { ClusterRecipeClient } from './recipes/clusterAdapter.ts';
import type { RecipeTraceEvent } from './recipes/recipeTrace.ts';
import type { ScenarioAction } from './scenario.ts';

/** Builds the client objects of one run. Stateless: one layer serves any number of worlds. */
export interface ClientLayer {
  /** The clients of one run; their request timeout and retry follow the cluster's election timeout. */
  createHub(world: WorldPort, electionTimeoutMs: number): ClientHub;
  /** The recipes of one client (created with the client's first recipe action). */
  createRecipes(client: ClientEndpoint, emit: (event: RecipeTraceEvent) => void, nowMs: () => number): ClusterRecipeClient;
}

/**
 * True when running `action` may need the client layer: it creates a client, acts on one (a client action or a
 * recipe), or cuts, restores or partitions a client's links. An action that names a client that was never created
 * is a no-op, so a run whose actions all answer false never needs the layer.
 */
export function namesClient(action: ScenarioAction): boolean {
  switch (action.do) {
    case 'client':
      return true;
    case 'cut':
    case 'restore':
      return typeof action.from === 'object' || typeof action.to === 'object';
    case 'partition':
      return action.groups.some((group) => group.some((member) => typeof member === 'string'));
    default:
      return 'client' in action;
  }
}
