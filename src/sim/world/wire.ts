/**
 * What the wire decides about a message already on it, asked both when it is sent (bus.ts) and when it arrives
 * (queueItems.ts): whether its link is cut, and whether it was lost with a sender that crashed with
 * `dropInFlight`. Its own module so the bus and the queue items do not import each other.
 */
import type { NodeId } from '../../raft/types.ts';
import type { WorldCore } from './worldCore.ts';

/** True when the link from `from` to `to` is cut: between nodes by the network, with a client by the clients' cuts. */
export function isLinkCut(core: WorldCore, from: NodeId | string, to: NodeId | string): boolean {
  if (typeof from === 'number' && typeof to === 'number') return core.network.isCut(from, to);
  return core.clients !== undefined && core.clients.isCut(from, to);
}

/** True when message `id` of `from` was still on the wire when `from` crashed with `dropInFlight`. */
export function lostWithSender(core: WorldCore, from: NodeId, id: number): boolean {
  return id < (core.lostWithSenderBelowId[from] ?? 0);
}
