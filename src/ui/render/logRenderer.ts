/**
 * The log view: one row per node, one column per log index. Entries are labelled with their term (and the
 * client's data when there is room) and coloured by term; committed entries are solid, uncommitted ones dashed.
 * Each row shows its commit (C) and applied (A) marks; under each follower the leader's match (●) and next (▲)
 * index. Entries a conflicting append discarded flash in red before they go (Raft §5.3).
 * Only the columns in view are drawn, so a long log costs what is on screen.
 */
import { select } from 'd3-selection';
import type { Entry } from '../../raft/types.ts';
import type { LogView, NodeView } from '../../store/index.ts';
import { termClass } from './termColor.ts';
import { trackSize } from './sizeTracker.ts';

export const CELL_W = 34;
/** Row: a 19 px cell, then a 7 px strip for the leader's match (●) and next (▲) marks. */
export const ROW_H = 28;
const CELL_H = 19;
const LABEL_W = 44;
const HEADER_H = 18;
/** Wall-clock ms a truncated entry flashes. */
const FLASH_MS = 1600;

interface Cell {
  key: string;
  row: number;
  index: number;
  term: number;
  data: string | null;
  committed: boolean;
  flash: number;
}

export interface LogFrame {
  readonly logs: readonly LogView[];
  readonly nodes: readonly NodeView[];
  readonly reducedMotion: boolean;
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

  function draw(frame: LogFrame, fromScroll: boolean) {
    last = frame;
    const rows = frame.logs.length;
    let maxIndex = 0;
    let minIndex = Infinity;
    for (const log of frame.logs) {
      const lastIdx = log.firstIndex + log.entries.length - 1;
      maxIndex = Math.max(maxIndex, lastIdx);
      for (const run of log.truncated) maxIndex = Math.max(maxIndex, run.entries[run.entries.length - 1]?.index ?? 0);
      minIndex = Math.min(minIndex, log.firstIndex);
    }
    if (!Number.isFinite(minIndex)) minIndex = 1;
    const columns = Math.max(maxIndex - minIndex + 2, Math.floor(view.width / CELL_W));
    const width = columns * CELL_W;
    const height = HEADER_H + rows * ROW_H + 4;
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
    const x = (index: number) => (index - minIndex) * CELL_W;
    const y = (row: number) => HEADER_H + row * ROW_H;
    const wall = performance.now();

    const cells: Cell[] = [];
    frame.logs.forEach((log, row) => {
      const commit = frame.nodes[row]?.commit ?? 0;
      const from = Math.max(log.firstIndex, minIndex + firstCol);
      const to = Math.min(log.firstIndex + log.entries.length - 1, minIndex + lastCol);
      for (let index = from; index <= to; index++) {
        const e: Entry = log.entries[index - log.firstIndex];
        cells.push({ key: `${row}:${index}:${e.term}`, row, index, term: e.term, data: e.data, committed: index <= commit, flash: 0 });
      }
      for (const run of log.truncated) {
        let seen = flashSeen.get(run);
        if (seen === undefined) { seen = wall; flashSeen.set(run, seen); }
        const age = (wall - seen) / FLASH_MS;
        if (age >= 1) continue;
        for (const e of run.entries) {
          if (e.index < minIndex + firstCol || e.index > minIndex + lastCol) continue;
          cells.push({ key: `x${row}:${e.index}:${e.term}:${run.t}`, row, index: e.index, term: e.term, data: e.data, committed: false, flash: frame.reducedMotion ? 0.5 : 1 - age });
        }
      }
    });

    header.selectAll<SVGTextElement, number>('text')
      .data(Array.from({ length: Math.max(0, lastCol - firstCol) }, (_, i) => minIndex + firstCol + i).filter((i) => i % 5 === 0 || i === 1), (d) => String(d))
      .join('text')
      .attr('x', (d) => x(d) + CELL_W / 2)
      .attr('y', 13)
      .text((d) => d);

    cellLayer.selectAll<SVGGElement, Cell>('g.cell')
      .data(cells, (d) => d.key)
      .join((enter) => {
        const g = enter.append('g');
        g.append('rect').attr('width', CELL_W - 4).attr('height', CELL_H).attr('rx', 3);
        g.append('text').attr('x', (CELL_W - 4) / 2).attr('y', CELL_H / 2).attr('dy', '0.35em');
        g.append('title');
        return g;
      })
      .attr('class', (d) => `cell ${termClass(d.term)}${d.committed ? ' committed' : ' uncommitted'}${d.flash > 0 ? ' truncated' : ''}`)
      .attr('transform', (d) => `translate(${x(d.index) + 2},${y(d.row) + 1})`)
      .attr('opacity', (d) => (d.flash > 0 ? 0.35 + 0.65 * Math.abs(Math.sin(d.flash * Math.PI * 3)) : 1))
      .each(function (d) {
        const g = select(this);
        g.select('text').text(d.flash > 0 ? '✕' : String(d.term));
        g.select('title').text(`S${d.row + 1} index ${d.index}, term ${d.term}${d.data === null ? ', leader no-op' : `, "${d.data}"`}${d.committed ? ', committed' : ''}${d.flash > 0 ? ', truncated' : ''}`);
      });

    // Marks: the commit index as a bar after its entry, the applied index as a tick under it; for the leader's
    // followers, match (●) and next (▲) under the entry they point at.
    type Mark = { key: string; cls: string; d: string };
    const marks: Mark[] = [];
    const leader = frame.nodes.find((n) => n.role === 'leader' && !n.crashed);
    const stripY = (row: number) => y(row) + CELL_H + 5;
    frame.nodes.forEach((n, row) => {
      if (n.commit >= minIndex) marks.push({ key: `c${row}`, cls: 'mark commit', d: `M${x(n.commit) + CELL_W},${y(row)}v${CELL_H + 2}` });
      if (n.applied >= minIndex) marks.push({ key: `a${row}`, cls: 'mark applied', d: `M${x(n.applied) + 5},${y(row) + CELL_H - 1}h${CELL_W - 10}` });
    });
    for (const p of leader?.progress ?? []) {
      const row = p.node - 1;
      const cy = stripY(row);
      if (p.match >= minIndex) {
        const cx = x(p.match) + CELL_W / 2 - 5;
        marks.push({ key: `m${row}`, cls: 'mark match', d: `M${cx - 3},${cy}a3,3 0 1,0 6,0a3,3 0 1,0 -6,0` });
      }
      if (p.next >= minIndex) {
        const cx = x(p.next) + CELL_W / 2 + 5;
        marks.push({ key: `n${row}`, cls: 'mark next', d: `M${cx},${cy - 4}l4,7h-8z` });
      }
    }
    markLayer.selectAll<SVGPathElement, Mark>('path.mark')
      .data(marks, (d) => d.key)
      .join('path')
      .attr('class', (d) => d.cls)
      .attr('d', (d) => d.d);

    labelRoot.selectAll<SVGTextElement, NodeView>('text')
      .data(frame.nodes, (d) => String(d.id))
      .join('text')
      .attr('x', 6)
      .attr('y', (_, i) => y(i) + ROW_H / 2)
      .attr('dy', '0.35em')
      .attr('class', (d) => `log-label role-${d.role}${d.crashed ? ' crashed' : ''}`)
      .text((d) => `S${d.id}${d.role === 'leader' && !d.crashed ? ' ★' : ''}`);
  }

  return {
    render(frame: LogFrame) {
      draw(frame, false);
    },
  };
}

export type LogRenderer = ReturnType<typeof createLogRenderer>;
