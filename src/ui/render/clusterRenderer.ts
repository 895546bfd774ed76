/**
 * The cluster view: nodes on a ring, the links between them, and the messages in flight, drawn with D3 into an
 * SVG owned by the ClusterView component. Nodes and links are re-joined only when their slice changed; messages
 * are moved every frame (their position is a function of virtual time). Dropped messages die with a ✕ where they
 * were; a duplicate delivery pops a "×2" at its receiver.
 */
import { select } from 'd3-selection';
import type { NodeView, LinkCuts, MessageInFlight, MessageEnded } from '../../store/index.ts';
import { ringLayout, type RingLayout, type RingPoint } from './ringLayout.ts';
import { nodeShapePath, roleLabel } from './nodeShape.ts';
import { arcPath } from './arcPath.ts';
import { linkLabel, linkState } from './linkLabel.ts';
import { messageGlyph, messageText } from './messageGlyph.ts';
import { setAttr, setText } from './domWrites.ts';

export interface ClusterFrame {
  readonly nodes: readonly NodeView[];
  readonly cuts: LinkCuts;
  readonly inFlight: readonly MessageInFlight[];
  readonly ended: readonly MessageEnded[];
  /** Virtual ms shown. */
  readonly now: number;
  /** Used to place a message whose arrival time is not known. */
  readonly meanLatencyMs: number;
  readonly selectedNode: number;
  readonly reducedMotion: boolean;
}

export interface ClusterCallbacks {
  onNode(id: number, anchor: DOMRect): void;
  onLink(a: number, b: number, anchor: DOMRect): void;
}

/** Wall-clock ms a dropped or duplicated message stays visible. */
const ENDED_VISIBLE_MS = 900;

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

/** Enter and Space activate a focused SVG "button", as they would an HTML one. */
function isActivationKey(ev: KeyboardEvent): boolean {
  if (ev.key !== 'Enter' && ev.key !== ' ') return false;
  ev.preventDefault();
  ev.stopPropagation();
  return true;
}

/** What drawNodes shows of the nodes (everything but the timer and lease arcs). */
function staticKey(nodes: readonly NodeView[], selected: number): string {
  let key = `${selected}|`;
  for (const n of nodes) key += `${n.role},${n.term},${n.vote},${n.crashed ? 1 : 0},${n.paused ? 1 : 0},${n.failure ?? ''},${n.transferee};`;
  return key;
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

/** The point on the segment from p to q, `edge` px away from p's centre, offset sideways by `side` px. */
function along(p: RingPoint, q: RingPoint, fromEdge: number, toEdge: number, t: number, side: number) {
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const start = fromEdge;
  const end = len - toEdge;
  const d = start + (end - start) * t;
  return { x: p.x + ux * d - uy * side, y: p.y + uy * d + ux * side };
}

export function createClusterRenderer(svg: SVGSVGElement, callbacks: ClusterCallbacks) {
  const root = select(svg);
  // Messages pass under the nodes: they leave from and arrive into a node, and the node's labels stay legible.
  const linkLayer = root.append('g').attr('class', 'links');
  const msgLayer = root.append('g').attr('class', 'messages').attr('aria-hidden', 'true');
  const nodeLayer = root.append('g').attr('class', 'nodes');
  let layout: RingLayout = ringLayout(0, 100, 100);
  let width = 0;
  let height = 0;
  let lastNodes: readonly NodeView[] | null = null;
  let lastCuts: LinkCuts | null = null;
  let lastSelected = -1;
  let lastStaticKey = '';
  const endedSeenAt = new Map<string, number>();

  function resize(w: number, h: number, count: number): boolean {
    if (w === width && h === height && layout.points.length === count) return false;
    width = w;
    height = h;
    layout = ringLayout(count, w, h);
    root.attr('viewBox', `0 0 ${w} ${h}`).attr('width', w).attr('height', h);
    lastNodes = null;
    lastCuts = null;
    return true;
  }

  function drawLinks(cuts: LinkCuts) {
    const pairs: { a: number; b: number }[] = [];
    const n = layout.points.length;
    for (let a = 1; a <= n; a++) for (let b = a + 1; b <= n; b++) pairs.push({ a, b });
    const r = layout.nodeRadius + 6;
    const links = linkLayer
      .selectAll<SVGGElement, { a: number; b: number }>('g.link')
      .data(pairs, (d) => `${d.a}-${d.b}`)
      .join((enter) => {
        // Roving tab stop: the links are one stop in the tab order; arrow keys move between them.
        const g = enter.append('g').attr('class', 'link').attr('role', 'button').attr('tabindex', (_, i) => (i === 0 ? 0 : -1)).attr('aria-haspopup', 'menu');
        g.append('line').attr('class', 'link-hit');
        g.append('line').attr('class', 'link-line');
        g.append('path').attr('class', 'link-cut link-cut-forward');
        g.append('path').attr('class', 'link-cut link-cut-backward');
        g.on('click', function (ev: MouseEvent, d) {
          ev.stopPropagation();
          callbacks.onLink(d.a, d.b, (this as SVGGElement).getBoundingClientRect());
        });
        g.on('keydown', function (ev: KeyboardEvent, d) {
          if (isActivationKey(ev)) callbacks.onLink(d.a, d.b, (this as SVGGElement).getBoundingClientRect());
          else moveLinkFocus(this as SVGGElement, ev);
        });
        return g;
      });
    links.each(function (d) {
      const p = layout.points[d.a - 1];
      const q = layout.points[d.b - 1];
      const s = along(p, q, r, r, 0, 0);
      const e = along(p, q, r, r, 1, 0);
      const state = linkState(cuts, d.a, d.b);
      const g = select(this).attr('class', `link ${state}`).attr('aria-label', linkLabel(cuts, d.a, d.b));
      g.selectAll('line').attr('x1', s.x).attr('y1', s.y).attr('x2', e.x).attr('y2', e.y);
      // A cut direction is marked by a bar across the link near the node that no longer hears the other.
      const bar = (from: RingPoint, to: RingPoint) => {
        const c = along(from, to, r, r, 0.8, 0);
        const dx = to.x - from.x;
        const dy = to.y - from.y;
        const len = Math.hypot(dx, dy) || 1;
        const nx = (-dy / len) * 7;
        const ny = (dx / len) * 7;
        return `M${c.x - nx},${c.y - ny}L${c.x + nx},${c.y + ny}`;
      };
      g.select('.link-cut-forward').attr('d', state === 'cut-forward' || state === 'cut-both' ? bar(p, q) : '');
      g.select('.link-cut-backward').attr('d', state === 'cut-backward' || state === 'cut-both' ? bar(q, p) : '');
    });
  }

  function drawNodes(nodes: readonly NodeView[], selected: number) {
    const r = layout.nodeRadius;
    const fontMain = Math.max(13, Math.min(18, r * 0.5));
    const g = nodeLayer
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
        e.on('click', function (ev: MouseEvent, d) {
          ev.stopPropagation();
          callbacks.onNode(d.id, (this as SVGGElement).getBoundingClientRect());
        });
        e.on('keydown', function (ev: KeyboardEvent, d) {
          if (isActivationKey(ev)) callbacks.onNode(d.id, (this as SVGGElement).getBoundingClientRect());
        });
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
  function drawTimers(nodes: readonly NodeView[]) {
    const r = layout.nodeRadius;
    nodeLayer.selectAll<SVGGElement, NodeView>('g.node').each(function (_, i) {
      const n = nodes[i];
      if (!n) return;
      const g = select(this);
      g.select('.timer').attr('d', n.timerFraction === null ? '' : arcPath(r + 6, 1 - n.timerFraction));
      g.select('.lease').attr('d', n.leaseFraction === null ? '' : arcPath(r + 6, n.leaseFraction));
    });
  }

  function progressOf(m: MessageInFlight, now: number, meanLatencyMs: number): number {
    const arrive = m.arriveAt ?? m.sentAt + meanLatencyMs;
    const span = Math.max(1, arrive - m.sentAt);
    return Math.max(0, Math.min(m.arriveAt === null ? 0.92 : 1, (now - m.sentAt) / span));
  }

  type Placed = { key: string; text: string; family: string; reply: boolean; x: number; y: number; cls: string; opacity: number };

  function drawMessages(frame: ClusterFrame) {
    const r = layout.nodeRadius + 8;
    const placed: Placed[] = [];
    const pts = layout.points;
    for (const m of frame.inFlight) {
      const p = pts[m.from - 1];
      const q = pts[m.to - 1];
      if (!p || !q) continue;
      const g = messageGlyph(m.type);
      const pos = along(p, q, r, r, progressOf(m, frame.now, frame.meanLatencyMs), 7);
      placed.push({ key: `m${m.id}`, text: messageText(m.type, m.entryCount, m.reject), family: g.family, reply: g.reply, x: pos.x, y: pos.y, cls: 'msg', opacity: 1 });
    }
    const wall = performance.now();
    const live = new Set<string>();
    for (const m of frame.ended) {
      const key = `${m.outcome}${m.id}@${m.endedAt}`;
      live.add(key);
      let seen = endedSeenAt.get(key);
      if (seen === undefined) { seen = wall; endedSeenAt.set(key, seen); }
      const age = (wall - seen) / ENDED_VISIBLE_MS;
      // Only what ended just now, in virtual time too (not the pile left behind by a seek).
      if (age >= 1 || frame.now < m.endedAt || frame.now - m.endedAt > 3 * frame.meanLatencyMs) continue;
      const p = pts[m.from - 1];
      const q = pts[m.to - 1];
      if (!p || !q) continue;
      const g = messageGlyph(m.type);
      if (m.outcome === 'dropped') {
        const t = m.reason === 'crashed' ? 1 : Math.max(0.12, Math.min(0.88, progressOf(m, m.endedAt, frame.meanLatencyMs)));
        const pos = along(p, q, r, r, t, 7);
        placed.push({ key: key, text: `✕ ${g.label}`, family: g.family, reply: g.reply, x: pos.x, y: pos.y, cls: 'msg dying', opacity: frame.reducedMotion ? 1 : 1 - age });
      } else {
        const pos = along(p, q, r, r, 1, 7);
        placed.push({ key: key, text: `×2 ${g.label}`, family: g.family, reply: g.reply, x: pos.x, y: pos.y - (frame.reducedMotion ? 0 : age * 10), cls: 'msg duplicate', opacity: frame.reducedMotion ? 1 : 1 - age * 0.7 });
      }
    }
    for (const k of endedSeenAt.keys()) if (!live.has(k)) endedSeenAt.delete(k);
    msgLayer
      .selectAll<SVGGElement, Placed>('g.msg')
      .data(placed, (d) => d.key)
      .join((enter) => {
        const e = enter.append('g');
        e.append('rect').attr('y', -9).attr('height', 18);
        e.append('text').attr('dy', '0.35em');
        return e;
      })
      .each(function (d) {
        // Only the position (and a dying pill's fade) changes from frame to frame; the pill's shape and label are
        // written when it appears or changes kind.
        setAttr(this, 'transform', `translate(${d.x.toFixed(1)},${d.y.toFixed(1)})`);
        setAttr(this, 'opacity', String(d.opacity));
        const cls = `${d.cls} fam-${d.family}${d.reply ? ' reply' : ''}`;
        if (this.getAttribute('class') === cls && this.lastChild?.textContent === d.text) return;
        this.setAttribute('class', cls);
        const w = 8 + d.text.length * 7.4;
        select(this).select('rect').attr('x', -w / 2).attr('width', w).attr('rx', d.reply ? 2 : 9);
        setText(this.lastChild as Element, d.text);
      });
  }

  return {
    /** Draws a frame; `width`/`height` are the SVG's size in CSS px. */
    render(frame: ClusterFrame, w: number, h: number) {
      const resized = resize(w, h, frame.nodes.length);
      if (resized || frame.cuts !== lastCuts) {
        drawLinks(frame.cuts);
        lastCuts = frame.cuts;
      }
      if (resized || frame.nodes !== lastNodes || frame.selectedNode !== lastSelected) {
        // Live status changes the timer and lease arcs many times a second; the rest of a node (shape, labels,
        // accessible name) only when its role, term, vote or state changes.
        const key = staticKey(frame.nodes, frame.selectedNode);
        if (resized || key !== lastStaticKey) drawNodes(frame.nodes, frame.selectedNode);
        drawTimers(frame.nodes);
        lastStaticKey = key;
        lastNodes = frame.nodes;
        lastSelected = frame.selectedNode;
      }
      drawMessages(frame);
    },
  };
}

export type ClusterRenderer = ReturnType<typeof createClusterRenderer>;
