/**
 * The link rules: which directed links a `cut`, `restore`, `isolate`, `partition` or `heal` changes
 * (docs/scenarios.md, "Faults"; docs/clients.md for a client's own links). The simulator applies them to its bus
 * (network.ts for links between nodes, the client hub for a client's links); the store applies them to the
 * actions of a trace to draw the same cut links. One rule, so the picture never disagrees with the run.
 *
 * Pure: no state of its own. A link is keyed `from>to` (linkKey), from and to a node id or a client's name.
 */
import type { NodeId } from '../raft/types.ts';
import type { ActionEvent } from './traceEvents.ts';

/** One end of a link: a node, or a client by name. */
export type LinkEndpoint = NodeId | string;

/** One direction of one link. */
export type DirectedLink = readonly [from: LinkEndpoint, to: LinkEndpoint];

/** What an action does to the links: restore all of them first (heal), then cut and restore these. */
export interface LinkChange {
  readonly healAll: boolean;
  readonly cut: readonly DirectedLink[];
  readonly restore: readonly DirectedLink[];
}

/** The key of a directed link in a set of cut links. */
export function linkKey(from: LinkEndpoint, to: LinkEndpoint): string {
  return `${from}>${to}`;
}

/**
 * The links between nodes a partition cuts: every link between nodes of different groups, both ways; nodes not
 * listed form one more group; clients listed are not nodes (partitionClientLinks). In ascending (from, to) order.
 */
export function partitionNodeLinks(groups: readonly (readonly LinkEndpoint[])[], nodeCount: number): [NodeId, NodeId][] {
  const groupOf = new Int32Array(nodeCount + 1).fill(-1);
  groups.forEach((group, g) => group.forEach((member) => {
    if (typeof member === 'number' && member >= 1 && member <= nodeCount) groupOf[member] = g;
  }));
  const out: [NodeId, NodeId][] = [];
  for (let a = 1; a <= nodeCount; a++) {
    for (let b = 1; b <= nodeCount; b++) if (a !== b && groupOf[a] !== groupOf[b]) out.push([a, b]);
  }
  return out;
}

/** The links a partition cuts for the clients it lists: each is cut from every node outside its group, both ways. */
export function partitionClientLinks(groups: readonly (readonly LinkEndpoint[])[], nodeCount: number): DirectedLink[] {
  const out: DirectedLink[] = [];
  for (const group of groups) {
    for (const member of group) {
      if (typeof member !== 'string') continue;
      for (let node = 1; node <= nodeCount; node++) {
        if (group.includes(node)) continue;
        out.push([member, node], [node, member]);
      }
    }
  }
  return out;
}

/** The links an isolation cuts: between the node and every other node, both ways. */
export function isolateLinks(node: NodeId, nodeCount: number): [NodeId, NodeId][] {
  const out: [NodeId, NodeId][] = [];
  for (let other = 1; other <= nodeCount; other++) if (other !== node) out.push([node, other], [other, node]);
  return out;
}

/**
 * What a traced action did to the links, read from the action as written and the ends the run resolved
 * (`from`/`to` for cut and restore, `node` for isolate); null for an action that changed no link (a no-op
 * included).
 */
export function linkChangeOf(ev: ActionEvent, nodeCount: number): LinkChange | null {
  if (ev.noop) return null;
  const a = ev.action;
  const none: readonly DirectedLink[] = [];
  switch (a.do) {
    case 'cut':
    case 'restore': {
      const from = ev.from ?? writtenEnd(a.from);
      const to = ev.to ?? writtenEnd(a.to);
      if (from === null || to === null) return null;
      const links: readonly DirectedLink[] = [[from, to]];
      return { healAll: false, cut: a.do === 'cut' ? links : none, restore: a.do === 'restore' ? links : none };
    }
    case 'isolate': {
      const node = ev.node ?? (typeof a.node === 'number' ? a.node : 0);
      return node ? { healAll: false, cut: isolateLinks(node, nodeCount), restore: none } : null;
    }
    case 'partition': {
      const groups = Array.isArray(a.groups) ? (a.groups as LinkEndpoint[][]) : [];
      return { healAll: false, cut: [...partitionNodeLinks(groups, nodeCount), ...partitionClientLinks(groups, nodeCount)], restore: none };
    }
    case 'heal':
      return { healAll: true, cut: none, restore: none };
    default:
      return null;
  }
}

/**
 * Applies a change to a set of cut links (keys from linkKey), keeping only the links `tracks` accepts (a view
 * may draw the links between nodes only, or a client's only).
 */
export function applyLinkChange(cuts: Set<string>, change: LinkChange, tracks: (link: DirectedLink) => boolean): void {
  if (change.healAll) cuts.clear();
  for (const link of change.cut) if (tracks(link)) cuts.add(linkKey(link[0], link[1]));
  for (const link of change.restore) if (tracks(link)) cuts.delete(linkKey(link[0], link[1]));
}

/** A link end as the action wrote it: a node id, a client's name, or `{ client }`; null for an unresolved node. */
function writtenEnd(end: unknown): LinkEndpoint | null {
  if (typeof end === 'number') return end;
  if (typeof end === 'string') return end === 'leader' || end === 'lastCrashed' ? null : end;
  if (typeof end === 'object' && end !== null && typeof (end as { client?: unknown }).client === 'string') return (end as { client: string }).client;
  return null;
}
