/**
 * The timeline's layers, each drawn from the frame's geometry (the zoomed time scale and the lanes): term bands,
 * lanes, message arrows, marks, the "now" line and the time axis. The arrows and marks sit in a group anchored at
 * a time (see createAnchor) so that following "now" or panning moves one group, not every element.
 */
import { select, type Selection } from 'd3-selection';
import type { TimelineSlice } from '../../store/index.ts';
import { niceTicks, type LinearScale } from './linearScale.ts';
import { messageGlyph } from './messageGlyph.ts';
import { termClass } from './termColor.ts';
import { setText } from './domWrites.ts';
import { isHeartbeat, markGlyph, markLabel, type MarkItem, type MessageItem } from './timelineItems.ts';

/** Width of the lane labels (S1, S2, ...) left of the time axis. */
export const LABEL_W = 40;
/** Room above the first lane for the term band labels. */
export const TOP = 16;

export type Layer = Selection<SVGGElement, unknown, null, undefined>;

/** Where a frame draws: the zoomed time scale, its window, and the lanes. */
export interface TimelineGeometry {
  readonly x: LinearScale;
  readonly t0: number;
  readonly t1: number;
  readonly width: number;
  readonly nodeCount: number;
  readonly laneH: number;
}

export function laneY(geo: TimelineGeometry, node: number): number {
  return TOP + (node - 1) * geo.laneH + geo.laneH / 2;
}

/** Timelines created on this page (unique clip-path ids). */
let timelines = 0;

/** Appends the timeline's layers to its SVG, bottom to top. */
export function appendTimelineLayers(root: Selection<SVGSVGElement, unknown, null, undefined>) {
  const bands = root.append('g').attr('class', 'tl-bands');
  const lanes = root.append('g').attr('class', 'tl-lanes');
  // Messages and marks are clipped to the lanes (never under the lane labels).
  const clipId = `tl-clip-${++timelines}`;
  const clipRect = root.append('clipPath').attr('id', clipId).append('rect');
  const clipped = root.append('g').attr('clip-path', `url(#${clipId})`);
  const content = clipped.append('g').attr('class', 'tl-content');
  const msgs = content.append('g').attr('class', 'tl-msgs');
  const marks = content.append('g').attr('class', 'tl-marks');
  const nowLine = root.append('line').attr('class', 'tl-now');
  const axis = root.append('g').attr('class', 'tl-axis');
  /** Sizes the SVG and the lanes' clip to `width` × `height` px. */
  const resize = (width: number, height: number) => {
    root.attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    clipRect.attr('x', LABEL_W).attr('y', 0).attr('width', Math.max(0, width - LABEL_W)).attr('height', height);
  };
  return { bands, lanes, msgs, marks, anchor: createAnchor(content), nowLine, axis, resize };
}

export type TimelineLayers = ReturnType<typeof appendTimelineLayers>;

export function drawBands(layer: Layer, bands: TimelineSlice['bands'], geo: TimelineGeometry, now: number): void {
  const { x, t0, t1, width } = geo;
  const bandData = bands.map((b, i) => ({ term: b.term, start: b.start, end: bands[i + 1]?.start ?? Math.max(now, t1) }))
    .filter((b) => b.end >= t0 && b.start <= t1);
  const bandSel = layer.selectAll<SVGGElement, (typeof bandData)[number]>('g.band').data(bandData, (d) => String(d.term))
    .join((enter) => { const g = enter.append('g').attr('class', 'band'); g.append('rect').attr('class', 'tl-band'); g.append('text').attr('class', 'tl-band-label'); return g; });
  bandSel.attr('class', (d) => `band ${termClass(d.term)}`);
  bandSel.select('rect').attr('x', (d) => Math.max(LABEL_W, x(d.start))).attr('y', TOP - 2)
    .attr('width', (d) => Math.max(0, Math.min(width, x(d.end)) - Math.max(LABEL_W, x(d.start)))).attr('height', geo.nodeCount * geo.laneH + 2);
  bandSel.select<SVGTextElement>('text').attr('x', (d) => Math.max(LABEL_W, x(d.start)) + 3).attr('y', 12).each(function (d) { setText(this, `T${d.term}`); });
}

export function drawLanes(layer: Layer, geo: TimelineGeometry): void {
  layer.selectAll<SVGGElement, number>('g.lane').data(Array.from({ length: geo.nodeCount }, (_, i) => i + 1), (d) => String(d))
    .join((enter) => { const g = enter.append('g').attr('class', 'lane'); g.append('line').attr('class', 'tl-lane'); g.append('text').attr('class', 'tl-lane-label'); return g; })
    .each(function (d) {
      const g = select(this);
      g.select('line').attr('x1', LABEL_W).attr('x2', geo.width).attr('y1', laneY(geo, d)).attr('y2', laneY(geo, d));
      g.select('text').attr('x', 6).attr('y', laneY(geo, d)).attr('dy', '0.35em').text(`S${d}`);
    });
}

/** Content x of a time, and the anchor's version (bumped when every element's coordinates must be rewritten). */
export interface Anchored {
  readonly ax: (t: number) => number;
  readonly version: number;
}

/**
 * Messages and marks sit in a group whose x origin is an anchor time: following "now" or panning only moves the
 * group; an element's own coordinates are written when it appears (or when the zoom changes), so a frame touches
 * the new and the in-flight items, not every arrow on screen.
 */
export function createAnchor(content: Layer) {
  let anchorT = 0;
  let anchorK = 0;
  let version = 0;
  return function anchor(geo: TimelineGeometry): Anchored {
    const { x, t0, t1 } = geo;
    const k = (x(t1) - x(t0)) / Math.max(1e-9, t1 - t0);
    if (k !== anchorK || Math.abs((t0 - anchorT) * k) > 100_000) {
      anchorK = k;
      anchorT = t0;
      version++;
    }
    content.attr('transform', `translate(${(LABEL_W + (anchorT - t0) * k).toFixed(2)},0)`);
    const at = anchorT;
    return { ax: (t) => (t - at) * k, version };
  };
}

export function drawMessages(layer: Layer, msgs: readonly MessageItem[], geo: TimelineGeometry, anchored: Anchored, now: number): void {
  const { ax, version } = anchored;
  const y = (node: number) => laneY(geo, node);
  const placeMessage = (sel: Selection<SVGLineElement, MessageItem, SVGGElement, unknown>) => sel
    .attr('x1', (d) => ax(d.sentAt)).attr('y1', (d) => y(d.from))
    .attr('x2', (d) => {
      const end = d.endAt ?? now;
      return d.outcome === 'dropped' ? (ax(d.sentAt) + ax(end)) / 2 : ax(end);
    })
    .attr('y2', (d) => (d.outcome === 'dropped' ? (y(d.from) + y(d.to)) / 2 : y(d.to)))
    .property('__anchor', version);
  const lines = layer.selectAll<SVGLineElement, MessageItem>('line').data(msgs, (d) => `${d.id}:${d.outcome}`);
  lines.exit().remove();
  placeMessage(lines.enter().append('line')
    .attr('class', (d) => `tl-msg fam-${messageGlyph(d.type).family}${d.outcome === 'dropped' ? ' dropped' : ''}`)
    .style('stroke', (d) => `var(--fam-${messageGlyph(d.type).family})`)
    .style('opacity', (d) => (isHeartbeat(d.type) ? 0.45 : 0.9)));
  placeMessage(lines.filter(function (d) {
    return d.outcome === 'inflight' || (this as SVGLineElement & { __anchor?: number }).__anchor !== version;
  }));
}

/** Marks are buttons: a click or Enter/Space moves the whole UI to the moment of their event. */
export function drawMarks(layer: Layer, marks: readonly MarkItem[], geo: TimelineGeometry, anchored: Anchored, onSeekEvent: (eventIndex: number) => void): void {
  layer.selectAll<SVGTextElement, MarkItem>('text').data(marks, (d) => `${d.kind}${d.node}@${d.t}`)
    .join((enter) => enter.append('text').attr('role', 'button').attr('tabindex', 0)
      .on('click', (ev: MouseEvent, d) => { ev.stopPropagation(); onSeekEvent(d.eventIndex); })
      .on('keydown', (ev: KeyboardEvent, d) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); ev.stopPropagation(); onSeekEvent(d.eventIndex); } })
      .attr('class', (d) => `tl-mark ${d.kind}`).attr('dy', '0.35em').attr('aria-label', markLabel).text((d) => markGlyph(d.kind)))
    .attr('x', (d) => anchored.ax(d.t)).attr('y', (d) => laneY(geo, d.node));
}

export function drawNowAndAxis(nowLine: Selection<SVGLineElement, unknown, null, undefined>, axis: Layer, geo: TimelineGeometry, now: number): void {
  const { x, t0, t1, width } = geo;
  const lanesBottom = TOP + geo.nodeCount * geo.laneH + 2;
  nowLine.attr('x1', x(now)).attr('x2', x(now)).attr('y1', TOP - 4).attr('y2', lanesBottom);
  axis.attr('transform', `translate(0,${lanesBottom})`);
  const ticks = niceTicks(Math.max(0, t0), t1, Math.max(2, Math.floor(width / 110)));
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1000;
  const digits = step >= 1000 ? 0 : step >= 100 ? 1 : step >= 10 ? 2 : 3;
  axis.selectAll<SVGGElement, number>('g.tick').data(ticks, (d) => String(d))
    .join((enter) => { const g = enter.append('g').attr('class', 'tick'); g.append('line').attr('y2', 4); g.append('text').attr('y', 15).attr('text-anchor', 'middle'); return g; })
    .attr('transform', (d) => `translate(${x(d)},0)`)
    .select<SVGTextElement>('text').each(function (d) { setText(this, `${(d / 1000).toFixed(digits)} s`); });
}
