/**
 * The cluster view's node layer: each node's shape by role, its name, term and the two label lines under it, the
 * crash and pause marks, and the election timer and leader lease arcs around it. Each node is a button (it opens
 * the node menu). The arcs move every tick; the rest only when a node's role, term, vote or state changes.
 */
import { select, type Selection } from 'd3-selection';
import type { NodeView } from '../../store/index.ts';
import type { RingLayout } from './ringLayout.ts';
import { nodeShapePath, roleLabel } from './nodeShape.ts';
import { arcPath } from './arcPath.ts';
import { onActivate } from './svgButton.ts';

/** Accessible name of a node: "S3, leader, term 4" (+ crashed / failed / paused). */
export function nodeLabel(n: NodeView): string {
  const state = n.failure ? ', failed' : n.crashed ? ', crashed' : n.paused ? ', paused' : '';
  return `S${n.id}, ${roleLabel(n.role)}, term ${n.term}${state}`;
}

function nodeSubtitle(n: NodeView): string {
  if (n.failure) return 'failed';
  if (n.crashed) return 'crashed';
  // Paused, its state kept: it still believes what it believed (docs/scenarios.md, "Process pauses").
  if (n.paused) return `${roleLabel(n.role)} · paused`;
  return roleLabel(n.role);
}

/** Second label line: whom it voted for in its term, or the leader's transfer target. */
function nodeVoteLine(n: NodeView): string {
  if (n.crashed) return '';
  if (n.role === 'leader') return n.transferee ? `handing over to S${n.transferee}` : '';
  return n.vote ? `voted S${n.vote}` : 'no vote';
}

/** What drawNodes shows of the nodes (everything but the timer and lease arcs). */
export function nodesStaticKey(nodes: readonly NodeView[], selected: number): string {
  let key = `${selected}|`;
  for (const n of nodes) key += `${n.role},${n.term},${n.vote},${n.crashed ? 1 : 0},${n.paused ? 1 : 0},${n.failure ?? ''},${n.transferee};`;
  return key;
}

export function createNodeLayer(layer: Selection<SVGGElement, unknown, null, undefined>, onNode: (id: number, anchor: DOMRect) => void) {
  function drawNodes(layout: RingLayout, nodes: readonly NodeView[], selected: number): void {
    const r = layout.nodeRadius;
    const fontMain = Math.max(13, Math.min(18, r * 0.5));
    const g = layer
      .selectAll<SVGGElement, NodeView>('g.node')
      .data(nodes, (d) => String(d.id))
      .join((enter) => {
        const e = enter.append('g').attr('role', 'button').attr('tabindex', 0).attr('aria-haspopup', 'menu');
        e.append('circle').attr('class', 'timer-track');
        e.append('path').attr('class', 'timer');
        e.append('path').attr('class', 'lease');
        e.append('path').attr('class', 'body');
        e.append('path').attr('class', 'crash-mark');
        e.append('text').attr('class', 'pause-mark').attr('aria-hidden', 'true');
        e.append('text').attr('class', 'node-name');
        e.append('text').attr('class', 'node-term');
        e.append('text').attr('class', 'node-role');
        e.append('text').attr('class', 'node-vote');
        onActivate(e, (d, anchor) => onNode(d.id, anchor));
        return e;
      });
    g.attr('class', (d) => `node role-${d.role}${d.crashed ? ' crashed' : ''}${d.paused ? ' paused' : ''}${d.failure ? ' failed' : ''}${d.id === selected ? ' selected' : ''}`)
      .attr('transform', (d) => `translate(${layout.points[d.id - 1].x},${layout.points[d.id - 1].y})`)
      .attr('aria-label', nodeLabel);
    g.select('.timer-track').attr('r', r + 6);
    g.select('.body').attr('d', (d) => nodeShapePath(d.role, r));
    g.select('.crash-mark').attr('d', (d) => (d.crashed ? `M${-r * 0.5},${-r * 0.5}L${r * 0.5},${r * 0.5}M${r * 0.5},${-r * 0.5}L${-r * 0.5},${r * 0.5}` : ''));
    // A snowflake on the rim: frozen, not crashed.
    g.select('.pause-mark').attr('x', r * 0.95).attr('y', -r * 0.55).style('font-size', `${Math.round(fontMain * 1.35)}px`).text((d) => (d.paused ? '❄' : ''));
    g.select('.node-name').attr('y', -2).style('font-size', `${fontMain}px`).text((d) => `S${d.id}`);
    g.select('.node-term').attr('y', fontMain * 0.85).text((d) => `T${d.term}`);
    g.select('.node-role').attr('y', r + 22).text(nodeSubtitle);
    g.select('.node-vote').attr('y', r + 36).text(nodeVoteLine);
  }

  /** Election timer (remaining, shrinking) and leader lease (growing) arcs: they move every tick. */
  function drawTimers(layout: RingLayout, nodes: readonly NodeView[]): void {
    const r = layout.nodeRadius;
    layer.selectAll<SVGGElement, NodeView>('g.node').each(function (_, i) {
      const n = nodes[i];
      if (!n) return;
      const g = select(this);
      g.select('.timer').attr('d', n.timerFraction === null ? '' : arcPath(r + 6, 1 - n.timerFraction));
      g.select('.lease').attr('d', n.leaseFraction === null ? '' : arcPath(r + 6, n.leaseFraction));
    });
  }

  return { drawNodes, drawTimers };
}
