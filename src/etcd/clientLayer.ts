/**
 * The client layer as the simulator sees it: the etcd-like clients (src/etcd/client) and the recipes that run in
 * them (src/etcd/recipes, src/etcd/concurrency). The World reaches them only through this interface, handed in as
 * `WorldOptions.clientLayer`, so a module that imports the World does not carry their code: the CLI, the fuzzer
 * and tests pass `kvClients` (kvClients.ts); the app imports it with `import()` only when a run names a client
 * (most runs are Raft-only, and the page's first load stays small).
 *
 * Only types are imported here (erased at build time); the code lives in kvClients.ts.
 */
import type { ClientEndpoint } from './client/clientEndpoint.ts';
import type { ClientHub, ClientHubPort } from './client/clientHub.ts';
import type { ClusterRecipeClient } from './recipes/clusterAdapter.ts';
import type { RecipeTraceEvent } from './recipes/recipeTrace.ts';

/** Builds the client objects of one run. Stateless: one layer serves any number of runs. */
export interface ClientLayer {
  /** The clients of one run; their request timeout and retry follow the cluster's election timeout. */
  createHub(port: ClientHubPort, electionTimeoutMs: number): ClientHub;
  /** The recipes of one client (created with the client's first recipe action). */
  createRecipes(client: ClientEndpoint, emit: (event: RecipeTraceEvent) => void, nowMs: () => number): ClusterRecipeClient;
}
