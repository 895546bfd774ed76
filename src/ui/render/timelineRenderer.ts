/**
 * The timeline: a space-time diagram with one lane per node, messages as arrows across virtual time, term bands,
 * elections (★), crashes (✕) and restarts (↻). The user pans and zooms the time axis (axisZoom.ts); until then, the
 * view follows "now". Only items inside the visible time window are drawn (at most MAX_DRAWN messages).
 */
import { select, type Selection } from 'd3-selection';
import { attachAxisZoom, invertX } from './axisZoom.ts';
import { linearScale, niceTicks, type LinearScale } from './linearScale.ts';
import { trackSize } from './sizeTracker.ts';
import type { TimelineItem, TimelineSlice } from '../../store/index.ts';
import { messageGlyph } from './messageGlyph.ts';
import { termClass } from './termColor.ts';
import { setText } from './domWrites.ts';

type MessageItem = Extract<TimelineItem, { kind: 'message' }>;

const LABEL_W = 40;
const TOP = 16;
const AXIS_H = 22;
const MAX_DRAWN = 1200;

export interface TimelineFrame {
  readonly timeline: TimelineSlice;
  readonly nodeCount: number;
  readonly now: number;
  /** Default visible span (ms) while following now. */
  readonly spanMs: number;
  /** Heartbeats and their replies are many and say little: off by default. */
  readonly showHeartbeats: boolean;
}

export interface TimelineCallbacks {
  /** The user clicked an event: move the whole UI to the moment `eventIndex` events into the run. */
  onSeekEvent(eventIndex: number): void;
  /** The user clicked an empty place: move to virtual time `t`. */
  onSeekTime(t: number): void;
  /** The user panned or zoomed (following stops) or asked to follow again. */
  onFollowChange(following: boolean): void;
}

/** Lane height: roomier for small clusters, tighter for 7–9 nodes so everything fits at 1280×800. */
function laneHeight(nodeCount: number): number {
  return nodeCount > 6 ? 13 : 16;
}

/** Timelines created on this page (unique clip-path ids). */
let timelines = 0;

export function timelineHeight(nodeCount: number): number {
  return TOP + nodeCount * laneHeight(nodeCount) + AXIS_H;
}

export function createTimelineRenderer(svg: SVGSVGElement, callbacks: TimelineCallbacks) {
  const root = select(svg);
  const size = trackSize(svg);
  let shownHeight = -1;
  const bandLayer = root.append('g').attr('class', 'tl-bands');
  const laneLayer = root.append('g').attr('class', 'tl-lanes');
  // Messages and marks are clipped to the lanes (never under the lane labels).
  const clipId = `tl-clip-${++timelines}`;
  const clipRect = root.append('clipPath').attr('id', clipId).append('rect');
  const clipped = root.append('g').attr('clip-path', `url(#${clipId})`);
  const contentLayer = clipped.append('g').attr('class', 'tl-content');
  const msgLayer = contentLayer.append('g').attr('class', 'tl-msgs');
  const markLayer = contentLayer.append('g').attr('class', 'tl-marks');
  let anchorT = 0;
  let anchorK = 0;
  let anchorVersion = 0;
  const nowLine = root.append('line').attr('class', 'tl-now');
  const axisLayer = root.append('g').attr('class', 'tl-axis');
  let width = 0;
  let following = true;
  let base: LinearScale = linearScale([0, 1], [0, 1]);
  let last: TimelineFrame | null = null;
  let lastKey = '';
  let lanesDrawn = '';

  const zoom = attachAxisZoom(svg, {
    scaleExtent: [0.02, 200],
    ignore: (target) => target.closest('.tl-mark') !== null,
    onZoom(_transform, byUser) {
      if (byUser && following) {
        following = false;
        callbacks.onFollowChange(false);
      }
      if (last) draw(last, true);
    },
  });
  root.on('click', (ev: MouseEvent) => {
    if ((ev.target as Element).closest('.tl-mark') || ev.defaultPrevented) return;
    const x = ev.offsetX;
    if (x < LABEL_W) return;
    callbacks.onSeekTime(Math.max(0, Math.round(base.invert(invertX(zoom.transform, x)))));
  });

  function draw(frame: TimelineFrame, force: boolean) {
    last = frame;
    const n = frame.nodeCount;
    const LANE_H = laneHeight(n);
    const height = timelineHeight(n);
    const w = Math.round(size.width) || 600;
    if (w !== width || height !== shownHeight) {
      width = w;
      shownHeight = height;
      force = true;
      root.attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
      clipRect.attr('x', LABEL_W).attr('y', 0).attr('width', Math.max(0, width - LABEL_W)).attr('height', height);
    }
    if (following) {
      const end = Math.max(frame.now + frame.spanMs * 0.08, frame.spanMs);
      base = linearScale([end - frame.spanMs, end], [LABEL_W, width - 8]);
      zoom.reset();
    }
    // The zoomed scale: time -> base pixels -> zoom transform.
    const transform = zoom.transform;
    const x = linearScale([base.invert(invertX(transform, LABEL_W)), base.invert(invertX(transform, width - 8))], [LABEL_W, width - 8]);
    const [t0, t1] = x.domain();
    const key = `${frame.showHeartbeats}|${frame.timeline.version}|${t0.toFixed(1)}|${t1.toFixed(1)}|${width}|${n}`;
    if (!force && key === lastKey) return;
    lastKey = key;
    const laneY = (node: number) => TOP + (node - 1) * LANE_H + LANE_H / 2;

    const bands = frame.timeline.bands;
    const bandData = bands.map((b, i) => ({ term: b.term, start: b.start, end: bands[i + 1]?.start ?? Math.max(frame.now, t1) }))
      .filter((b) => b.end >= t0 && b.start <= t1);
    const bandSel = bandLayer.selectAll<SVGGElement, (typeof bandData)[number]>('g.band').data(bandData, (d) => String(d.term))
      .join((enter) => { const g = enter.append('g').attr('class', 'band'); g.append('rect').attr('class', 'tl-band'); g.append('text').attr('class', 'tl-band-label'); return g; });
    bandSel.attr('class', (d) => `band ${termClass(d.term)}`);
    bandSel.select('rect').attr('x', (d) => Math.max(LABEL_W, x(d.start))).attr('y', TOP - 2)
      .attr('width', (d) => Math.max(0, Math.min(width, x(d.end)) - Math.max(LABEL_W, x(d.start)))).attr('height', n * LANE_H + 2);
    bandSel.select<SVGTextElement>('text').attr('x', (d) => Math.max(LABEL_W, x(d.start)) + 3).attr('y', 12).each(function (d) { setText(this, `T${d.term}`); });

    // Lanes move only when the size or the node count changes.
    const lanesKey = `${width}|${n}`;
    if (lanesKey !== lanesDrawn) {
      lanesDrawn = lanesKey;
      laneLayer.selectAll<SVGGElement, number>('g.lane').data(Array.from({ length: n }, (_, i) => i + 1), (d) => String(d))
        .join((enter) => { const g = enter.append('g').attr('class', 'lane'); g.append('line').attr('class', 'tl-lane'); g.append('text').attr('class', 'tl-lane-label'); return g; })
        .each(function (d) {
          const g = select(this);
          g.select('line').attr('x1', LABEL_W).attr('x2', width).attr('y1', laneY(d)).attr('y2', laneY(d));
          g.select('text').attr('x', 6).attr('y', laneY(d)).attr('dy', '0.35em').text(`S${d}`);
        });
    }

    const msgs: MessageItem[] = [];
    const marks: Exclude<TimelineItem, { kind: 'message' }>[] = [];
    const items = frame.timeline.items;
    // Newest first; items are in time order, so stop at the first one well before the window (a message may
    // be long in flight, hence the margin).
    const stopBefore = t0 - frame.spanMs * 4;
    for (let i = items.size - 1; i >= 0; i--) {
      const it = items.at(i);
      const start = it.kind === 'message' ? it.sentAt : it.t;
      if (start < stopBefore) break;
      if (start > t1) continue;
      if (it.kind === 'message') {
        if (!frame.showHeartbeats && (it.type === 'MsgHeartbeat' || it.type === 'MsgHeartbeatResp')) continue;
        if ((it.endAt ?? frame.now) >= t0 && msgs.length < MAX_DRAWN) msgs.push(it);
      } else if (it.t >= t0) marks.push(it);
    }
    // Messages and marks sit in a group whose x origin is an anchor time: following "now" or panning only moves
    // the group; an element's own coordinates are written when it appears (or when the zoom changes), so a
    // frame touches the new and the in-flight items, not every arrow on screen.
    const k = (x(t1) - x(t0)) / Math.max(1e-9, t1 - t0);
    if (k !== anchorK || Math.abs((t0 - anchorT) * k) > 100_000) {
      anchorK = k;
      anchorT = t0;
      anchorVersion++;
    }
    const ax = (t: number) => (t - anchorT) * k;
    contentLayer.attr('transform', `translate(${(LABEL_W + (anchorT - t0) * k).toFixed(2)},0)`);
    const placeMessage = (sel: Selection<SVGLineElement, MessageItem, SVGGElement, unknown>) => sel
      .attr('x1', (d) => ax(d.sentAt)).attr('y1', (d) => laneY(d.from))
      .attr('x2', (d) => {
        const end = d.endAt ?? frame.now;
        return d.outcome === 'dropped' ? (ax(d.sentAt) + ax(end)) / 2 : ax(end);
      })
      .attr('y2', (d) => (d.outcome === 'dropped' ? (laneY(d.from) + laneY(d.to)) / 2 : laneY(d.to)))
      .property('__anchor', anchorVersion);
    const lines = msgLayer.selectAll<SVGLineElement, MessageItem>('line').data(msgs, (d) => `${d.id}:${d.outcome}`);
    lines.exit().remove();
    placeMessage(lines.enter().append('line')
      .attr('class', (d) => `tl-msg fam-${messageGlyph(d.type).family}${d.outcome === 'dropped' ? ' dropped' : ''}`)
      .style('stroke', (d) => `var(--fam-${messageGlyph(d.type).family})`)
      .style('opacity', (d) => (d.type === 'MsgHeartbeat' || d.type === 'MsgHeartbeatResp' ? 0.45 : 0.9)));
    placeMessage(lines.filter(function (d) {
      return d.outcome === 'inflight' || (this as SVGLineElement & { __anchor?: number }).__anchor !== anchorVersion;
    }));

    const GLYPHS: Record<string, string> = { leader: '★', crash: '✕', restart: '↻', pause: '❄', resume: '▸' };
    const VERBS: Record<string, string> = { crash: 'crashes', restart: 'restarts', pause: 'is paused', resume: 'resumes' };
    const glyph = (kind: string) => GLYPHS[kind] ?? '•';
    const label = (m: (typeof marks)[number]) =>
      m.kind === 'leader' ? `S${m.node} becomes leader of term ${m.term} at ${m.t} ms` : `S${m.node} ${VERBS[m.kind] ?? m.kind} at ${m.t} ms`;
    markLayer.selectAll<SVGTextElement, (typeof marks)[number]>('text').data(marks, (d) => `${d.kind}${d.node}@${d.t}`)
      .join((enter) => enter.append('text').attr('role', 'button').attr('tabindex', 0)
        .on('click', (ev: MouseEvent, d) => { ev.stopPropagation(); callbacks.onSeekEvent(d.eventIndex); })
        .on('keydown', (ev: KeyboardEvent, d) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); ev.stopPropagation(); callbacks.onSeekEvent(d.eventIndex); } })
        .attr('class', (d) => `tl-mark ${d.kind}`).attr('dy', '0.35em').attr('aria-label', label).text((d) => glyph(d.kind)))
      .attr('x', (d) => ax(d.t)).attr('y', (d) => laneY(d.node));

    nowLine.attr('x1', x(frame.now)).attr('x2', x(frame.now)).attr('y1', TOP - 4).attr('y2', TOP + n * LANE_H + 2);
    axisLayer.attr('transform', `translate(0,${TOP + n * LANE_H + 2})`);
    const ticks = niceTicks(Math.max(0, t0), t1, Math.max(2, Math.floor(width / 110)));
    const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1000;
    const digits = step >= 1000 ? 0 : step >= 100 ? 1 : step >= 10 ? 2 : 3;
    axisLayer.selectAll<SVGGElement, number>('g.tick').data(ticks, (d) => String(d))
      .join((enter) => { const g = enter.append('g').attr('class', 'tick'); g.append('line').attr('y2', 4); g.append('text').attr('y', 15).attr('text-anchor', 'middle'); return g; })
      .attr('transform', (d) => `translate(${x(d)},0)`)
      .select<SVGTextElement>('text').each(function (d) { setText(this, `${(d / 1000).toFixed(digits)} s`); });
  }

  return {
    render(frame: TimelineFrame) {
      draw(frame, false);
    },
    follow() {
      following = true;
      callbacks.onFollowChange(true);
      if (last) draw(last, true);
    },
    zoomBy(factor: number) {
      if (following) { following = false; callbacks.onFollowChange(false); }
      zoom.scaleBy(factor);
    },
  };
}

export type TimelineRenderer = ReturnType<typeof createTimelineRenderer>;
