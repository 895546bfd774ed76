/**
 * Conservative lookahead (as in Chandy-Misra-Bryant parallel discrete-event simulation): the steps the world will
 * surely ask for after the pending one, whatever their results, so a worker host may run them all at once (in
 * parallel on different nodes) and the world takes their results one by one, in order (../asyncDriver.ts).
 */
import type { NodeWork } from '../host.ts';
import { lostWithSender } from './wire.ts';
import { CLIENT_TIMER, KV_DELIVER, TICK } from './queueItems.ts';
import type { WorldCore } from './worldCore.ts';

/**
 * World.upcomingSteps. Why they are certain: a result at time t adds events no earlier than t + min(latency,
 * tickMs) (its messages and its next tick), and a new event sorts after every queued event of its millisecond or
 * earlier; which queued event becomes a step (cut link, crashed node, stale tick) changes only through actions. So
 * every queued event up to now + min(latency, tickMs), and before the next action, runs next in queue order.
 */
export function upcomingSteps(core: WorldCore, until: number): NodeWork[] {
  const pending = core.pending;
  // A resumed node's inbox runs first, outside the queue: no window while it drains.
  if (!pending || pending.work.op !== 'step' || core.violationFound || core.resumedCursor < core.resumedInbox.length) return [];
  const lookaheadMs = Math.min(core.network.settings.latencyMs[0], core.scenario.config.tickMs);
  const horizon = Math.min(until, core.now + lookaheadMs);
  const nextAction = core.actions[core.actionCursor];
  const out: NodeWork[] = [];
  for (const item of core.queue.itemsUpTo(horizon)) {
    // Actions run before any other event of their millisecond.
    if (nextAction && nextAction.at <= item.time) break;
    // Clients act outside the host and may send at once: the window ends before them.
    if (item.kind === KV_DELIVER || item.kind === CLIENT_TIMER) break;
    if (item.kind === TICK) {
      const slot = core.slots[item.node]!;
      if (slot.up && !slot.paused && slot.epoch === item.epoch) out.push({ op: 'step', node: item.node, input: { kind: 'tick' } });
    } else {
      const { from, to } = item.msg;
      if (!core.network.isCut(from, to) && core.slots[to]!.up && !core.slots[to]!.paused && !lostWithSender(core, from, item.id)) {
        out.push({ op: 'step', node: to, input: { kind: 'message', message: item.msg } });
      }
    }
  }
  return out;
}
