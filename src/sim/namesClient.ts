/**
 * Whether a scenario action needs the client layer (src/etcd/clientLayer.ts), so a run that never names a client
 * never loads the clients' code.
 */
import type { ScenarioAction } from './scenario.ts';

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
