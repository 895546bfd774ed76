/**
 * Plain-English lines for what the trace says but the core does not explain: faults, restarts and the user's
 * actions. The core's own decisions are narrated from its explanations (raft/explain.ts).
 */
import type { NodeId } from '../raft/types.ts';
import type { NarrationCategory } from './state.ts';
import type { TraceEvent } from './traceEvent.ts';
import { describeClientAction } from './kv/kvNarration.ts';

/** An action's fields as written (`do` and the rest). */
export type ActionFields = Readonly<Record<string, unknown>>;

/** How the UI names a node everywhere: the contract's ids 1..N shown as S1..SN. */
export function nodeName(id: NodeId): string {
  return `S${id}`;
}

function nodesList(ids: readonly unknown[]): string {
  return ids.map((id) => (typeof id === 'number' ? nodeName(id) : String(id))).join(', ');
}

function target(action: ActionFields, resolved: NodeId | undefined): string {
  if (resolved) return nodeName(resolved);
  const n = action.node;
  return typeof n === 'number' ? nodeName(n) : `the ${String(n)}`;
}

/** A sentence for one scenario or user action, as the trace's `action` event records it. */
export function describeAction(action: ActionFields, resolved?: NodeId, resolvedFrom?: NodeId, resolvedTo?: NodeId): string {
  const from = resolvedFrom ?? (action.from as number);
  const to = resolvedTo ?? (action.to as number);
  if (action.do === 'pause' || action.do === 'resume') return describePause(action.do, pausedName(action, resolved), action.client !== undefined);
  // A client's action (its creation, requests, recipes, own link) is told by the key-value views' words.
  const client = describeClientAction(action);
  if (client) return client;
  switch (action.do) {
    case 'crash':
      return `${target(action, resolved)} crashes: it keeps only what is on its disk (term, vote, log).`;
    case 'restart':
      return `${target(action, resolved)} restarts from its disk (term, vote, log) as a follower.`;
    case 'partition': {
      const groups = (action.groups as unknown[][] | undefined) ?? [];
      return `The network splits into ${groups.map((g) => `{${nodesList(g)}}`).join(' | ')}; other nodes form one more group.`;
    }
    case 'isolate':
      return `${target(action, resolved)} is cut off from every other node, both ways.`;
    case 'heal':
      return 'Every link is restored: the network is whole again.';
    case 'cut':
      return `The link ${nodeName(from)} → ${nodeName(to)} is cut (one direction).`;
    case 'restore':
      return `The link ${nodeName(from)} → ${nodeName(to)} is restored.`;
    case 'propose':
      return `A client proposes ${JSON.stringify(action.data)} through ${target(action, resolved)}.`;
    case 'timeout':
      return `${target(action, resolved)}'s election timer is forced to fire now.`;
    case 'transfer':
      return `The leader is asked to hand leadership to ${nodeName(to)}.`;
    case 'network': {
      const latency = action.latencyMs as [number, number] | undefined;
      const parts = [
        latency ? `latency ${latency[0]}–${latency[1]} ms` : null,
        action.dropRate !== undefined ? `loss ${Math.round(Number(action.dropRate) * 100)}%` : null,
        action.duplicateRate !== undefined ? `duplication ${Math.round(Number(action.duplicateRate) * 100)}%` : null,
      ].filter(Boolean);
      return `The network changes: ${parts.join(', ')}.`;
    }
    default:
      return `Action ${action.do}.`;
  }
}

/** A process pause (docs/scenarios.md, "Process pauses") or its end, for a node ("S1") or a client ("Client c1"). */
function describePause(kind: 'pause' | 'resume', who: string, isClient: boolean): string {
  if (kind === 'pause') {
    return !isClient
      ? `${who} is paused: it does nothing, its timers frozen; messages to it wait.`
      : `${who} is paused: it sends nothing, its timers frozen; answers to it wait.`;
  }
  return !isClient
    ? `${who} resumes with the beliefs it had, as if no time had passed; the messages that waited are delivered now.`
    : `${who} resumes as if no time had passed; the answers that waited are handled now.`;
}

function pausedName(action: ActionFields, resolved: NodeId | undefined): string {
  return action.client === undefined ? target(action, resolved) : `Client ${String(action.client)}`;
}

/** The narration for a trace event, or null when the event is not worth a sentence on its own. */
export function narrateTraceEvent(ev: TraceEvent): { node: NodeId; category: NarrationCategory; text: string } | null {
  switch (ev.type) {
    case 'action': {
      const text = describeAction(ev.action, ev.node, ev.from, ev.to);
      if (ev.noop && (ev.action.do === 'pause' || ev.action.do === 'resume')) {
        const verb = ev.action.do === 'pause' ? 'Pausing' : 'Resuming';
        return { node: ev.node ?? 0, category: 'fault', text: `${verb} ${pausedName(ev.action, ev.node).replace(/^Client/, 'client')}: no effect (${ev.reason ?? 'not applicable'}).` };
      }
      if (ev.noop) return { node: ev.node ?? 0, category: 'fault', text: `${text.replace(/[.:].*$/, '')}: no effect (${ev.reason ?? 'not applicable'}).` };
      // crash and restart are told by their own events, right after.
      if (ev.action.do === 'crash' || ev.action.do === 'restart' || ev.action.do === 'pause' || ev.action.do === 'resume') return null;
      const category: NarrationCategory = ev.action.do === 'propose' || describeClientAction(ev.action) !== null ? 'client' : ev.action.do === 'transfer' || ev.action.do === 'timeout' ? 'leadership' : 'fault';
      return { node: ev.node ?? 0, category, text };
    }
    case 'crash':
      return { node: ev.node, category: 'fault', text: describeAction({ do: 'crash' }, ev.node) };
    case 'restart':
      return { node: ev.node, category: 'fault', text: describeAction({ do: 'restart' }, ev.node) };
    case 'pause':
    case 'resume':
      return 'node' in ev
        ? { node: ev.node, category: 'fault', text: describeAction({ do: ev.type }, ev.node) }
        : { node: 0, category: 'fault', text: describeAction({ do: ev.type, client: ev.client }) };
    default:
      return null;
  }
}
