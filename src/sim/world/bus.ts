/**
 * The bus: one delivery routine for every message the world carries, a Raft message between nodes (`send`) or a
 * key-value message to, from or between nodes (`sendKv`). Each is traced, then dropped (a cut link, or loss) or
 * scheduled once or twice (duplication) after a latency, drawing from the master PRNG in this order: loss,
 * duplication, then one latency per copy (none when the link's latency is fixed). The order is part of the trace:
 * the pinned example traces hold it (docs/scenarios.md, "Time and randomness").
 */
import type { Message, NodeId } from '../../raft/types.ts';
import type { KvBusMsg } from '../../etcd/index.ts';
import { toPpm } from '../prng.ts';
import { DELIVER, KV_DELIVER, type QueueItem } from './queueItems.ts';
import type { WorldCore } from './worldCore.ts';
import { isLinkCut } from './wire.ts';

/** Puts a Raft message on the bus. */
export function send(core: WorldCore, msg: Message): void {
  const id = core.nextMessageId++;
  core.emit({ t: core.now, type: 'send', id, from: msg.from, to: msg.to, msg });
  transmit(core, id, msg.from, msg.to, (time) => ({ time, seq: 0, kind: DELIVER, id, msg }));
}

/** Puts a key-value message on the bus: client links take the network's current settings. */
export function sendKv(core: WorldCore, msg: KvBusMsg): void {
  const id = core.nextMessageId++;
  core.emit({ t: core.now, type: 'kvSend', id, msg });
  transmit(core, id, msg.from, msg.to, (time) => ({ time, seq: 0, kind: KV_DELIVER, id, msg }));
}

/** The one delivery routine: dropped on a cut link or by loss, else queued once (or twice) after its latency. */
function transmit(core: WorldCore, id: number, from: NodeId | string, to: NodeId | string, arrival: (time: number) => QueueItem): void {
  if (isLinkCut(core, from, to)) {
    core.drop(id, 'partition');
    return;
  }
  const net = core.network;
  // Between two nodes the link's own settings hold; a client's link takes the network-wide ones.
  const nodeLink = typeof from === 'number' && typeof to === 'number';
  const settings = net.settings;
  if (core.prng.chancePpm(nodeLink ? net.lossPpm(from, to) : toPpm(settings.dropRate))) {
    core.drop(id, 'loss');
    return;
  }
  const copies = core.prng.chancePpm(nodeLink ? net.duplicationPpm(from, to) : toPpm(settings.duplicateRate)) ? 2 : 1;
  const min = nodeLink ? net.latencyMin(from, to) : settings.latencyMs[0];
  const max = nodeLink ? net.latencyMax(from, to) : settings.latencyMs[1];
  for (let c = 0; c < copies; c++) {
    const delayMs = min === max ? min : core.prng.intBetween(min, max);
    core.queue.push(arrival(core.now + delayMs));
  }
}
