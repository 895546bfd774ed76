/**
 * The cluster view's link layer: one line per pair of nodes, a bar across it near the node that no longer hears
 * the other when a direction is cut. Each link is a button (it opens the link menu); the links share one tab stop
 * and the arrow keys move between them. Redrawn only when the cuts or the layout change.
 */
import { select, type Selection } from 'd3-selection';
import type { LinkCuts } from '../../store/index.ts';
import { pointAlong, type RingLayout, type RingPoint } from './ringLayout.ts';
import { linkLabel, linkState } from './linkLabel.ts';
import { onActivate } from './svgButton.ts';

interface Pair {
  readonly a: number;
  readonly b: number;
}

/** Arrow keys move the focus (and the single tab stop) between links. */
function moveLinkFocus(current: SVGGElement, ev: KeyboardEvent): void {
  const delta = ev.key === 'ArrowRight' || ev.key === 'ArrowDown' ? 1 : ev.key === 'ArrowLeft' || ev.key === 'ArrowUp' ? -1 : 0;
  if (delta === 0) return;
  ev.preventDefault();
  ev.stopPropagation();
  const all = Array.from(current.parentElement!.querySelectorAll<SVGGElement>('g.link'));
  const next = all[(all.indexOf(current) + delta + all.length) % all.length];
  current.setAttribute('tabindex', '-1');
  next.setAttribute('tabindex', '0');
  next.focus();
}

/** A cut direction's bar: across the link from `from` to `to`, near `from`, `r` px being the nodes' edge. */
function cutBar(from: RingPoint, to: RingPoint, r: number): string {
  const c = pointAlong(from, to, r, r, 0.8, 0);
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  const nx = (-dy / len) * 7;
  const ny = (dx / len) * 7;
  return `M${c.x - nx},${c.y - ny}L${c.x + nx},${c.y + ny}`;
}

export function createLinkLayer(layer: Selection<SVGGElement, unknown, null, undefined>, onLink: (a: number, b: number, anchor: DOMRect) => void) {
  return function drawLinks(layout: RingLayout, cuts: LinkCuts): void {
    const pairs: Pair[] = [];
    const n = layout.points.length;
    for (let a = 1; a <= n; a++) for (let b = a + 1; b <= n; b++) pairs.push({ a, b });
    const r = layout.nodeRadius + 6;
    const links = layer
      .selectAll<SVGGElement, Pair>('g.link')
      .data(pairs, (d) => `${d.a}-${d.b}`)
      .join((enter) => {
        // Roving tab stop: the links are one stop in the tab order; arrow keys move between them.
        const g = enter.append('g').attr('class', 'link').attr('role', 'button').attr('tabindex', (_, i) => (i === 0 ? 0 : -1)).attr('aria-haspopup', 'menu');
        g.append('line').attr('class', 'link-hit');
        g.append('line').attr('class', 'link-line');
        g.append('path').attr('class', 'link-cut link-cut-forward');
        g.append('path').attr('class', 'link-cut link-cut-backward');
        onActivate(g, (d, anchor) => onLink(d.a, d.b, anchor), moveLinkFocus);
        return g;
      });
    links.each(function (d) {
      const p = layout.points[d.a - 1];
      const q = layout.points[d.b - 1];
      const s = pointAlong(p, q, r, r, 0, 0);
      const e = pointAlong(p, q, r, r, 1, 0);
      const state = linkState(cuts, d.a, d.b);
      const g = select(this).attr('class', `link ${state}`).attr('aria-label', linkLabel(cuts, d.a, d.b));
      g.selectAll('line').attr('x1', s.x).attr('y1', s.y).attr('x2', e.x).attr('y2', e.y);
      // A cut direction is marked by a bar across the link near the node that no longer hears the other.
      g.select('.link-cut-forward').attr('d', state === 'cut-forward' || state === 'cut-both' ? cutBar(p, q, r) : '');
      g.select('.link-cut-backward').attr('d', state === 'cut-backward' || state === 'cut-both' ? cutBar(q, p, r) : '');
    });
  };
}
