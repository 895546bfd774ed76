/**
 * The pull loop: the world advances to its next host call and waits for its result (a runner, ../runner.ts, makes
 * the call). What runs next is decided here, in a fixed order: the nodes' first start, then a resumed node's
 * inbox, then the scenario's actions of the millisecond, then the queue. A result is applied in the order of the
 * Ready contract: persist, trace, send.
 */
import type { NodeId } from '../../raft/types.ts';
import type { NodeWork, StepResult } from '../host.ts';
import { runAction } from './actionTable.ts';
import { send, sendKv } from './bus.ts';
import { deliverFromInbox, runItem } from './queueItems.ts';
import type { WorldCore } from './worldCore.ts';

/** World.nextNodeWork: the next host call with t <= until, or undefined when none is left (or a violation stopped the run). */
export function nextNodeWork(core: WorldCore, until: number): NodeWork | undefined {
  if (core.pending) throw new Error('World.nextNodeWork: the previous work is not complete');
  while (!core.violationFound) {
    if (core.bootCursor <= core.scenario.nodes) return core.beginCreate(core.bootCursor++);
    if (core.resumedCursor < core.resumedInbox.length) {
      const item = core.resumedInbox[core.resumedCursor++]!;
      if (core.resumedCursor === core.resumedInbox.length) {
        core.resumedInbox = [];
        core.resumedCursor = 0;
      }
      const work = deliverFromInbox(core, item);
      if (work) return work;
      continue;
    }
    const action = core.actions[core.actionCursor];
    const queueTime = core.queue.peekTime();
    if (action && action.at <= until && action.at <= queueTime) {
      core.actionCursor++;
      forgetPastActions(core);
      core.now = Math.max(core.now, action.at);
      const work = runAction(core, action);
      if (work) return work;
      continue;
    }
    if (queueTime > until) break;
    const item = core.queue.pop()!;
    core.now = item.time;
    const work = runItem(core, item);
    if (work) return work;
  }
  if (!core.violationFound && until > core.now) core.now = until;
  return undefined;
}

/** World.completeNodeWork: takes the result of the work nextNodeWork returned (undefined for a crash). */
export function completeNodeWork(core: WorldCore, result: StepResult | undefined): void {
  const pending = core.pending;
  if (!pending) throw new Error('World.completeNodeWork: no work is pending');
  core.pending = undefined;
  const work = pending.work;
  if (work.op === 'crash') return;
  if (!result) throw new Error(`World.completeNodeWork: ${work.op} on node ${work.node} needs a StepResult`);
  if (pending.action) {
    const outcome = result.proposeOutcome;
    core.emit(outcome && !outcome.ok ? { ...pending.action, noop: true, reason: `rejected: ${outcome.reason}` } : pending.action);
  }
  applyResult(core, work.node, result, pending.forceState);
}

/** Drops actions already run, in batches, so a long interactive session does not keep its whole history. */
function forgetPastActions(core: WorldCore): void {
  if (core.actionCursor >= 1024 && core.actionCursor * 2 >= core.actions.length) {
    core.actions.splice(0, core.actionCursor);
    core.actionCursor = 0;
  }
}

/** Persist, then trace, then send: the Ready contract (nothing leaves before what it depends on is durable). */
function applyResult(core: WorldCore, node: NodeId, r: StepResult, forceState: boolean): void {
  const t = core.now;
  if (r.hardState) core.disk.saveHardState(node, r.hardState);
  if (r.append) {
    core.disk.append(node, r.append.from, r.append.entries);
    core.emit({ t, type: 'append', node, from: r.append.from, entries: r.append.entries });
  }
  for (const e of r.committed) core.emit({ t, type: 'apply', node, index: e.index, term: e.term, data: e.data });
  const slot = core.slots[node]!;
  const v = r.view;
  const old = slot.view;
  slot.view = v;
  if (
    forceState || v.role !== old.role || v.term !== old.term || v.vote !== old.vote || v.leader !== old.leader ||
    v.commit !== old.commit || v.lastIndex !== old.lastIndex || v.lastTerm !== old.lastTerm
  ) {
    core.emit({ t, type: 'state', node, role: v.role, term: v.term, vote: v.vote, leader: v.leader, commit: v.commit, last: [v.lastIndex, v.lastTerm] });
    if (v.role === 'leader' && (old.role !== 'leader' || old.term !== v.term)) core.leaders.push({ term: v.term, node, t: core.now });
  }
  if (core.listeners.length > 0) {
    for (const explanation of r.explanations) core.emit({ t, type: 'explain', node, explanation });
    for (const rs of r.readStates) core.emit({ t, type: 'read', node, context: rs.context, index: rs.index });
    for (const rf of r.readFailures) core.emit({ t, type: 'read', node, context: rf.context, reason: rf.reason });
  }
  for (const msg of r.messages) send(core, msg);
  if (r.kv) {
    for (const note of r.kv.leases) core.emit({ t, type: 'lease', ...note });
    for (const msg of r.kv.messages) sendKv(core, msg);
  }
}
