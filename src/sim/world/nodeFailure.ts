/**
 * Node failure: a crash (by action, or a host that failed), a restart from the persisted state, a process pause
 * and its resume (docs/scenarios.md, "Process pauses"). A wrong-state action (crashing a crashed node, resuming a
 * running one) is recorded as a no-op saying why.
 */
import type { NodeWork } from '../host.ts';
import type { NodeRef, ScenarioAction } from '../scenario.ts';
import type { ActionEvent } from '../traceEvents.ts';
import type { NodeSlot } from './queueItems.ts';
import { unresolvedReason, type ActionOf, type WorldCore } from './worldCore.ts';


/** `crash`: the node stops, its inbox is lost; with `dropInFlight`, so is what it sent that is still on the wire. */
export function runCrash(core: WorldCore, a: ActionOf<'crash'>, base: ActionEvent): NodeWork | undefined {
  const node = core.resolveNode(a.node);
  if (node === 0) return core.noop(base, unresolvedReason(a.node));
  const slot = core.slots[node]!;
  if (!slot.up) return core.noop(base, 'node is already crashed', { node });
  core.emit({ ...base, node });
  if (a.dropInFlight) core.lostWithSenderBelowId[node] = core.nextMessageId;
  slot.up = false;
  slot.crashOrder = ++core.crashCount;
  core.emit({ t: core.now, type: 'crash', node });
  discardInbox(core, slot);
  return core.begin({ op: 'crash', node });
}

/** `restart`: a crashed node comes back from its persisted state. */
export function runRestart(core: WorldCore, a: ActionOf<'restart'>, base: ActionEvent): NodeWork | undefined {
  const node = core.resolveNode(a.node);
  if (node === 0) return core.noop(base, unresolvedReason(a.node));
  if (core.slots[node]!.paused) return core.noop(base, 'node is paused, not crashed', { node });
  if (core.slots[node]!.up) return core.noop(base, 'node is running', { node });
  core.emit({ ...base, node });
  core.emit({ t: core.now, type: 'restart', node });
  return core.beginCreate(node);
}

/**
 * World.failPendingWork: the host failed to run the pending work (a node's Web Worker threw), which the world treats
 * as a crash of that node at the current time; a propose, timeout or transfer action that was running on it is
 * recorded as a no-op naming the failure.
 */
export function failPendingWork(core: WorldCore, error: string): void {
  const pending = core.pending;
  if (!pending) throw new Error('World.failPendingWork: no work is pending');
  core.pending = undefined;
  const node = pending.work.node;
  if (pending.action) core.emit({ ...pending.action, noop: true, reason: `node failed: ${error}` });
  const slot = core.slots[node]!;
  if (!slot.up) return;
  slot.up = false;
  slot.crashOrder = ++core.crashCount;
  core.emit({ t: core.now, type: 'crash', node });
}

/** `pause`/`resume` of a node. Wrong-state actions (already paused, not paused, crashed) are no-ops, as for crash/restart. */
export function runNodePause(core: WorldCore, a: Extract<ScenarioAction, { do: 'pause' | 'resume'; node: NodeRef }>, base: ActionEvent): undefined {
  const noop = (reason: string, node?: number): undefined => core.noop(base, reason, node ? { node } : {});
  const node = core.resolveNode(a.node);
  if (node === 0) return noop(unresolvedReason(a.node));
  const slot = core.slots[node]!;
  if (!slot.up) return noop('node is crashed', node);
  const t = core.now;
  if (a.do === 'pause') {
    if (slot.paused) return noop('node is already paused', node);
    core.emit({ ...base, node });
    slot.paused = true;
    slot.pauseOrder = ++core.pauseCount;
    core.emit({ t, type: 'pause', node });
    return undefined;
  }
  if (!slot.paused) return noop('node is not paused', node);
  core.emit({ ...base, node });
  slot.paused = false;
  core.emit({ t, type: 'resume', node });
  // What waited in its inbox is delivered now, in order, before anything else (pullLoop.ts).
  for (const item of slot.inbox) core.resumedInbox.push(item);
  slot.inbox = [];
  return undefined;
}

/** A crashed node's inbox goes with it. */
function discardInbox(core: WorldCore, slot: NodeSlot): void {
  slot.paused = false;
  const inbox = slot.inbox;
  slot.inbox = [];
  for (const item of inbox) core.drop(item.id, 'crashed');
}
