/**
 * What waits in the world's discrete-event queue (a node's tick, a Raft message, a key-value message, a client's
 * timer) and what each one does when it comes due: a host call to make, or something handled here (a drop, a
 * message held for a paused node or client, a client's timer). Separate from the pull loop (pullLoop.ts), which
 * only decides what runs next.
 */
import type { Message, NodeId } from '../../raft/types.ts';
import type { KvBusMsg } from '../../etcd/index.ts';
import type { NodeSnapshot, NodeWork, StepInput } from '../host.ts';
import type { ActionEvent } from '../traceEvents.ts';
import { isLinkCut, lostWithSender } from './wire.ts';
import type { WorldCore } from './worldCore.ts';

export const TICK = 0;
export const DELIVER = 1;
/** A key-value message (to or from a client, or a lease forward between nodes). */
export const KV_DELIVER = 2;
/** A client's timer (a retry, a timeout, a keepalive, a watch probe). */
export const CLIENT_TIMER = 3;

export interface TickItem {
  readonly time: number;
  seq: number;
  readonly kind: typeof TICK;
  readonly node: NodeId;
  /** The node's incarnation that scheduled it: ticks of an earlier incarnation are stale. */
  readonly epoch: number;
}

export interface DeliverItem {
  readonly time: number;
  seq: number;
  readonly kind: typeof DELIVER;
  readonly id: number;
  readonly msg: Message;
}

export interface KvDeliverItem {
  readonly time: number;
  seq: number;
  readonly kind: typeof KV_DELIVER;
  readonly id: number;
  readonly msg: KvBusMsg;
}

export interface ClientTimerItem {
  readonly time: number;
  seq: number;
  readonly kind: typeof CLIENT_TIMER;
  readonly client: string;
  readonly timer: number;
  /** How long the client had been paused in all when the timer was set: it fires as much later as the client was paused since. */
  readonly frozenMs: number;
}

export type QueueItem = TickItem | DeliverItem | KvDeliverItem | ClientTimerItem;

/** What the world knows of a node: whether it runs, and its view as of its last step. */
export interface NodeSlot {
  up: boolean;
  /** Incremented at every (re)start. */
  epoch: number;
  view: NodeSnapshot;
  /** Order of the node's last crash (0: never crashed): `lastCrashed` picks the largest among down nodes. */
  crashOrder: number;
  /** Paused: up, but given no tick and no message until resumed (a crash ends the pause). */
  paused: boolean;
  /** Order of the node's last pause: `lastPaused` picks the largest among paused nodes. */
  pauseOrder: number;
  /** Messages that arrived while it was paused, in arrival order. */
  inbox: (DeliverItem | KvDeliverItem)[];
}

/** A paused client: since when, and what reached it meanwhile (messages, and timers that came due). */
export interface ClientPause {
  readonly sinceMs: number;
  readonly held: (KvDeliverItem | ClientTimerItem)[];
}

/** The host call in flight and what to do with its result. */
export interface PendingWork {
  readonly work: NodeWork;
  /** Emit a state event even if nothing changed (boot and restart). */
  readonly forceState: boolean;
  /** A propose/timeout/transfer action whose event is written when its step returns (to report a rejection). */
  readonly action?: ActionEvent;
}

/** Runs a queue item that came due; returns the host call it needs, if any. */
export function runItem(core: WorldCore, item: QueueItem): NodeWork | undefined {
  switch (item.kind) {
    case TICK: return runTick(core, item);
    case DELIVER: return runDelivery(core, item);
    case KV_DELIVER: return runKvDelivery(core, item);
    case CLIENT_TIMER:
      return runClientTimer(core, item);
  }
}

/** A client's timer came due: held while the client is paused, moved later by any pause since it was set. */
function runClientTimer(core: WorldCore, item: ClientTimerItem): undefined {
  const pause = core.clientPauses.get(item.client);
  if (pause) {
    pause.held.push(item);
    return undefined;
  }
  const frozenMs = core.clientFrozenMs.get(item.client) ?? 0;
  if (item.frozenMs < frozenMs) {
    core.queue.push({ ...item, time: item.time + (frozenMs - item.frozenMs), frozenMs });
    return undefined;
  }
  core.clients?.fire(item.client, item.timer);
  return undefined;
}

function runTick(core: WorldCore, item: TickItem): NodeWork | undefined {
  const slot = core.slots[item.node]!;
  if (!slot.up || slot.epoch !== item.epoch) return undefined;
  core.queue.push({ time: item.time + core.scenario.config.tickMs, seq: 0, kind: TICK, node: item.node, epoch: item.epoch });
  // A paused node's clock stands still: the tick is not delivered (the chain goes on, so it resumes in phase).
  if (slot.paused) return undefined;
  return core.begin({ op: 'step', node: item.node, input: { kind: 'tick' } });
}

function runDelivery(core: WorldCore, item: DeliverItem): NodeWork | undefined {
  const { from, to } = item.msg;
  if (lostWithSender(core, from, item.id)) return core.drop(item.id, 'crashed');
  if (core.network.isCut(from, to)) return core.drop(item.id, 'partition');
  return arriveAtNode(core, item, to, { kind: 'message', message: item.msg });
}

/**
 * A message that passed its link reaches node `to`: dropped if the node is down, kept in its inbox while it is
 * paused, otherwise delivered as a step.
 */
function arriveAtNode(core: WorldCore, item: DeliverItem | KvDeliverItem, to: NodeId, input: StepInput): NodeWork | undefined {
  const slot = core.slots[to]!;
  if (!slot.up) return core.drop(item.id, 'crashed');
  if (slot.paused) {
    slot.inbox.push(item);
    return undefined;
  }
  core.emit({ t: core.now, type: 'deliver', id: item.id });
  return core.begin({ op: 'step', node: to, input });
}

/**
 * A message from a resumed node's inbox: it passed the link when it arrived, so only a crash since (a failed
 * worker while the inbox drains) stops it now.
 */
export function deliverFromInbox(core: WorldCore, item: DeliverItem | KvDeliverItem): NodeWork | undefined {
  const to = item.msg.to as NodeId;
  if (!core.slots[to]!.up) return core.drop(item.id, 'crashed');
  core.emit({ t: core.now, type: 'deliver', id: item.id });
  const input: StepInput = item.kind === DELIVER ? { kind: 'message', message: item.msg } : { kind: 'kv', message: item.msg };
  return core.begin({ op: 'step', node: to, input });
}

/** A key-value message arrives: at a node (a step) or at a client (handled here, no host call). */
function runKvDelivery(core: WorldCore, item: KvDeliverItem): NodeWork | undefined {
  const { from, to } = item.msg;
  if (typeof from === 'number' && lostWithSender(core, from, item.id)) return core.drop(item.id, 'crashed');
  if (isLinkCut(core, from, to)) return core.drop(item.id, 'partition');
  if (typeof to === 'number') return arriveAtNode(core, item, to, { kind: 'kv', message: item.msg });
  const clients = core.clients!;
  if (clients.isGone(to)) return core.drop(item.id, 'crashed');
  const pause = core.clientPauses.get(to);
  if (pause) {
    pause.held.push(item);
    return undefined;
  }
  core.emit({ t: core.now, type: 'deliver', id: item.id });
  clients.deliver(item.msg as Extract<KvBusMsg, { to: string }>);
  return undefined;
}
