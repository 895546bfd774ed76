/**
 * The full client layer (clientLayer.ts): etcd-like clients on the bus (ClientHub, ClientEndpoint) and their
 * recipes (ClusterRecipeClient). Import it statically where size does not matter (CLI, fuzzer, tests, benchmarks)
 * and lazily in the browser (`import('./kvClients.ts')`).
 */
import type { ClientLayer } from './clientLayer.ts';
import { ClientHub, clientDefaultsFor } from './client/clientHub.ts';
import { ClusterRecipeClient } from './recipes/clusterAdapter.ts';

export const kvClients: ClientLayer = {
  createHub: (port, electionTimeoutMs) => new ClientHub(port, clientDefaultsFor(electionTimeoutMs)),
  createRecipes: (client, emit, nowMs) => new ClusterRecipeClient(client, emit, nowMs),
};
