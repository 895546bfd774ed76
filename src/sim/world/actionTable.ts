/**
 * The action interpreter: one handler per scenario action, keyed by its `do` (docs/scenarios.md, "Actions"); the
 * client actions go to the client wiring. Each handler returns the host call the action needs, if any; an action
 * that does not fit the state (no leader, a crashed node) is recorded as a no-op saying why.
 */
import type { NodeId } from '../../raft/types.ts';
import type { NodeWork } from '../host.ts';
import { partitionClientLinks } from '../linkRules.ts';
import type { ScenarioAction } from '../scenario.ts';
import type { ActionEvent } from '../traceEvents.ts';
import { clientHubOf, runClientAction, runClientLinkAction, runClientPause, runCreateClient } from './clientWiring.ts';
import { runCrash, runNodePause, runRestart } from './nodeFailure.ts';
import { unresolvedReason, type ActionOf, type WorldCore } from './worldCore.ts';

/** The actions the world runs itself; every other one is a client's (clientWiring.ts). */
type WorldActionName =
  | 'crash' | 'restart' | 'timeout' | 'propose' | 'transfer' | 'isolate' | 'cut' | 'restore' | 'partition' | 'heal'
  | 'network' | 'pause' | 'resume' | 'client';
type ActionHandler<D extends ScenarioAction['do']> = (core: WorldCore, a: ActionOf<D>, base: ActionEvent) => NodeWork | undefined;

const ACTIONS: { readonly [D in WorldActionName]: ActionHandler<D> } = {
  crash: runCrash,
  restart: runRestart,
  timeout: runNodeStep,
  propose: runNodeStep,
  transfer: runTransfer,
  isolate: (core, a, base) => {
    const node = core.resolveNode(a.node);
    if (node === 0) return core.noop(base, unresolvedReason(a.node));
    core.network.isolate(node);
    core.emit({ ...base, node });
    return undefined;
  },
  cut: runLinkAction,
  restore: runLinkAction,
  partition: (core, a, base) => {
    core.network.partition(a.groups.map((group) => group.filter((m): m is NodeId => typeof m === 'number')));
    if (a.groups.some((group) => group.some((m) => typeof m === 'string'))) clientHubOf(core).cutAll(partitionClientLinks(a.groups, core.scenario.nodes));
    core.emit(base);
    return undefined;
  },
  heal: (core, _a, base) => {
    core.network.heal();
    core.clients?.heal();
    core.emit(base);
    return undefined;
  },
  network: (core, a, base) => {
    core.network.update(a.settings);
    core.emit(base);
    return undefined;
  },
  pause: runPause,
  resume: runPause,
  client: runCreateClient,
};

function isWorldAction(a: ScenarioAction): a is ActionOf<WorldActionName> {
  return Object.hasOwn(ACTIONS, a.do);
}

/** Runs one action at the world's current time; returns the host call it needs, if any. */
export function runAction(core: WorldCore, a: ScenarioAction): NodeWork | undefined {
  const base: ActionEvent = { t: core.now, type: 'action', action: a.written };
  if (!isWorldAction(a)) return runClientAction(core, a, base);
  // The table pairs each name with the handler of that name's action, which the compiler cannot follow through a lookup.
  const handler = ACTIONS[a.do] as ActionHandler<WorldActionName>;
  return handler(core, a, base);
}

/** `propose` and `timeout`: a step of a running node, whose action event is written when the step returns. */
function runNodeStep(core: WorldCore, a: ActionOf<'propose' | 'timeout'>, base: ActionEvent): NodeWork | undefined {
  const node = core.resolveNode(a.node);
  if (node === 0) return core.noop(base, unresolvedReason(a.node));
  const slot = core.slots[node]!;
  if (!slot.up) return core.noop(base, 'node is crashed', { node });
  if (slot.paused) return core.noop(base, 'node is paused', { node });
  if (a.do === 'propose') {
    return core.begin({ op: 'step', node, input: { kind: 'propose', data: a.data } }, false, { ...base, node });
  }
  if (slot.view.role === 'leader') return core.noop(base, 'node is the leader', { node });
  return core.begin({ op: 'step', node, input: { kind: 'timeout' } }, false, { ...base, node });
}

/** `transfer`: the leader hands leadership to `to` (thesis §3.10). */
function runTransfer(core: WorldCore, a: ActionOf<'transfer'>, base: ActionEvent): NodeWork | undefined {
  const leader = core.resolveNode('leader');
  if (leader === 0) return core.noop(base, 'no leader');
  if (core.slots[leader]!.paused) return core.noop(base, 'the leader is paused', { node: leader });
  const to = core.resolveNode(a.to);
  if (to === 0) return core.noop(base, unresolvedReason(a.to), { node: leader });
  if (to === leader) return core.noop(base, 'target is the leader', { node: leader, to });
  if (!core.slots[to]!.up) return core.noop(base, 'target is crashed', { node: leader, to });
  return core.begin({ op: 'step', node: leader, input: { kind: 'transfer', to } }, false, { ...base, node: leader, to });
}

/** `cut`/`restore` of a link: between two nodes here, with a client end in the client wiring. */
function runLinkAction(core: WorldCore, a: ActionOf<'cut' | 'restore'>, base: ActionEvent): undefined {
  if (typeof a.from === 'object' || typeof a.to === 'object') return runClientLinkAction(core, a, base);
  const from = core.resolveNode(a.from);
  if (from === 0) return core.noop(base, unresolvedReason(a.from));
  const to = core.resolveNode(a.to);
  if (to === 0) return core.noop(base, unresolvedReason(a.to), { from });
  if (from === to) return core.noop(base, 'both ends are the same node', { from, to });
  core.network.setCut(from, to, a.do === 'cut');
  core.emit({ ...base, from, to });
  return undefined;
}

/** `pause`/`resume`: of a client, or of a node. */
function runPause(core: WorldCore, a: ActionOf<'pause' | 'resume'>, base: ActionEvent): undefined {
  return 'client' in a ? runClientPause(core, a, base) : runNodePause(core, a, base);
}
