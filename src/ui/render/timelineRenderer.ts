/**
 * The timeline: a space-time diagram with one lane per node, messages as arrows across virtual time, term bands,
 * elections (★), crashes (✕) and restarts (↻). The user pans and zooms the time axis (axisZoom.ts); until then, the
 * view follows "now". Only items inside the visible time window are drawn (at most MAX_DRAWN messages: timelineItems.ts);
 * the layers are drawn by timelineLayers.ts, and this module keeps the view: size, zoom, following, what to redraw.
 */
import { select } from 'd3-selection';
import { attachAxisZoom, invertX } from './axisZoom.ts';
import { linearScale, type LinearScale } from './linearScale.ts';
import { trackSize } from './sizeTracker.ts';
import type { TimelineSlice } from '../../store/index.ts';
import { visibleItems } from './timelineItems.ts';
import { appendTimelineLayers, drawBands, drawLanes, drawMarks, drawMessages, drawNowAndAxis, LABEL_W, TOP, type TimelineGeometry, type TimelineLayers } from './timelineLayers.ts';

const AXIS_H = 22;

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

export function timelineHeight(nodeCount: number): number {
  return TOP + nodeCount * laneHeight(nodeCount) + AXIS_H;
}

/** Draws every layer of `frame` in `geo`; the lanes only when they moved. */
function drawLayers(layers: TimelineLayers, frame: TimelineFrame, geo: TimelineGeometry, lanesMoved: boolean, callbacks: TimelineCallbacks): void {
  drawBands(layers.bands, frame.timeline.bands, geo, frame.now);
  if (lanesMoved) drawLanes(layers.lanes, geo);
  const { msgs, marks } = visibleItems(frame, geo.t0, geo.t1);
  const anchored = layers.anchor(geo);
  drawMessages(layers.msgs, msgs, geo, anchored, frame.now);
  drawMarks(layers.marks, marks, geo, anchored, (i) => callbacks.onSeekEvent(i));
  drawNowAndAxis(layers.nowLine, layers.axis, geo, frame.now);
}

export function createTimelineRenderer(svg: SVGSVGElement, callbacks: TimelineCallbacks) {
  const root = select(svg);
  const size = trackSize(svg);
  let shownHeight = -1;
  const layers = appendTimelineLayers(root);
  let width = 0;
  let following = true;
  let base: LinearScale = linearScale([0, 1], [0, 1]);
  let last: TimelineFrame | null = null;
  let lastKey = '';
  let lanesDrawn = '';

  function stopFollowing() {
    if (following) { following = false; callbacks.onFollowChange(false); }
  }
  const zoom = attachAxisZoom(svg, {
    scaleExtent: [0.02, 200],
    ignore: (target) => target.closest('.tl-mark') !== null,
    onZoom(_transform, byUser) {
      if (byUser) stopFollowing();
      if (last) draw(last, true);
    },
  });
  root.on('click', (ev: MouseEvent) => {
    if ((ev.target as Element).closest('.tl-mark') || ev.defaultPrevented) return;
    if (ev.offsetX < LABEL_W) return;
    callbacks.onSeekTime(Math.max(0, Math.round(base.invert(invertX(zoom.transform, ev.offsetX)))));
  });

  /** Sizes the SVG to the panel and the cluster; true when the size changed (everything is redrawn). */
  function fit(nodeCount: number): boolean {
    const height = timelineHeight(nodeCount);
    const w = Math.round(size.width) || 600;
    if (w === width && height === shownHeight) return false;
    width = w;
    shownHeight = height;
    layers.resize(width, height);
    return true;
  }

  /** The zoomed scale: time -> base pixels (following "now", or where the user left it) -> zoom transform. */
  function timeScale(frame: TimelineFrame): LinearScale {
    if (following) {
      const end = Math.max(frame.now + frame.spanMs * 0.08, frame.spanMs);
      base = linearScale([end - frame.spanMs, end], [LABEL_W, width - 8]);
      zoom.reset();
    }
    return linearScale([base.invert(invertX(zoom.transform, LABEL_W)), base.invert(invertX(zoom.transform, width - 8))], [LABEL_W, width - 8]);
  }

  function draw(frame: TimelineFrame, force: boolean) {
    last = frame;
    const n = frame.nodeCount;
    if (fit(n)) force = true;
    const x = timeScale(frame);
    const [t0, t1] = x.domain();
    const key = `${frame.showHeartbeats}|${frame.timeline.version}|${t0.toFixed(1)}|${t1.toFixed(1)}|${width}|${n}`;
    if (!force && key === lastKey) return;
    lastKey = key;
    // Lanes move only when the size or the node count changes.
    const lanesKey = `${width}|${n}`;
    drawLayers(layers, frame, { x, t0, t1, width, nodeCount: n, laneH: laneHeight(n) }, lanesKey !== lanesDrawn, callbacks);
    lanesDrawn = lanesKey;
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
      stopFollowing();
      zoom.scaleBy(factor);
    },
  };
}

export type TimelineRenderer = ReturnType<typeof createTimelineRenderer>;
