/**
 * The log view: one row per node, one column per log index. Entries are labelled with their term (and the
 * client's data when there is room) and coloured by term; committed entries are solid, uncommitted ones dashed.
 * Each row shows its commit (C) and applied (A) marks; under each follower the leader's match (●) and next (▲)
 * index. Entries a conflicting append discarded flash in red before they go (Raft §5.3).
 * Only the columns in view are drawn, so a long log costs what is on screen. The layers are drawn by logLayers.ts;
 * this module sizes the grid and keeps its scroll position.
 */
import { select } from 'd3-selection';
import type { LogView, NodeView } from '../../store/index.ts';
import { trackSize } from './sizeTracker.ts';
import { CELL_W, drawCells, drawHeader, drawLabels, drawMarks, HEADER_H, logCells, ROW_H, type LogGrid } from './logLayers.ts';

const LABEL_W = 44;

export interface LogFrame {
  readonly logs: readonly LogView[];
  readonly nodes: readonly NodeView[];
  readonly reducedMotion: boolean;
}

/** The lowest first index and the highest index (discarded entries included) over all logs. */
function indexExtent(logs: readonly LogView[]): { minIndex: number; maxIndex: number } {
  let maxIndex = 0;
  let minIndex = Infinity;
  for (const log of logs) {
    const lastIdx = log.firstIndex + log.entries.length - 1;
    maxIndex = Math.max(maxIndex, lastIdx);
    for (const run of log.truncated) maxIndex = Math.max(maxIndex, run.entries[run.entries.length - 1]?.index ?? 0);
    minIndex = Math.min(minIndex, log.firstIndex);
  }
  if (!Number.isFinite(minIndex)) minIndex = 1;
  return { minIndex, maxIndex };
}

export function createLogRenderer(scroller: HTMLElement, svg: SVGSVGElement, labels: SVGSVGElement) {
  const root = select(svg);
  const header = root.append('g').attr('class', 'log-header');
  const cellLayer = root.append('g').attr('class', 'log-cells');
  const markLayer = root.append('g').attr('class', 'log-marks');
  const labelRoot = select(labels);
  const flashSeen = new WeakMap<object, number>();
  let last: LogFrame | null = null;
  let stickToEnd = true;
  // Layout values are cached (a ResizeObserver and the scroll event), never read while drawing: reading them
  // after other views wrote to the DOM would force a synchronous layout every frame.
  const view = trackSize(scroller);
  let scrollLeft = 0;
  let contentWidth = 0;
  let shownSize = '';

  scroller.addEventListener('scroll', () => {
    scrollLeft = scroller.scrollLeft;
    stickToEnd = scrollLeft + view.width >= contentWidth - CELL_W;
    if (last) draw(last, true);
  });

  /** Sizes the grid to the logs, follows the end unless the user scrolled away; returns the columns in view. */
  function fit(frame: LogFrame, fromScroll: boolean): LogGrid {
    const { minIndex, maxIndex } = indexExtent(frame.logs);
    const columns = Math.max(maxIndex - minIndex + 2, Math.floor(view.width / CELL_W));
    const width = columns * CELL_W;
    const height = HEADER_H + frame.logs.length * ROW_H + 4;
    if (`${width}x${height}` !== shownSize) {
      shownSize = `${width}x${height}`;
      root.attr('width', width).attr('height', height);
      labelRoot.attr('width', LABEL_W).attr('height', height);
    }
    contentWidth = width;
    if (!fromScroll && stickToEnd) {
      const end = Math.max(0, width - view.width);
      if (Math.abs(end - scrollLeft) >= 1) { scroller.scrollLeft = end; scrollLeft = end; }
    }
    const firstCol = Math.max(0, Math.floor(scrollLeft / CELL_W) - 1);
    const lastCol = Math.min(columns, firstCol + Math.ceil(view.width / CELL_W) + 2);
    return { minIndex, firstCol, lastCol };
  }

  function draw(frame: LogFrame, fromScroll: boolean) {
    last = frame;
    const grid = fit(frame, fromScroll);
    const cells = logCells(frame.logs, frame.nodes, grid, flashSeen, frame.reducedMotion);
    drawHeader(header, grid);
    drawCells(cellLayer, cells, grid);
    drawMarks(markLayer, frame.nodes, grid);
    drawLabels(labelRoot, frame.nodes);
  }

  return {
    render(frame: LogFrame) {
      draw(frame, false);
    },
  };
}
