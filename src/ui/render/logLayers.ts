/**
 * The log view's layers, each drawn from the grid's geometry (the first log index shown, the visible columns):
 * the index header, the entry cells (and the flashing entries a conflicting append discarded), the commit,
 * applied, match and next marks, and the node labels. The scrolling and sizing stay in logRenderer.ts.
 */
import { select, type Selection } from 'd3-selection';
import type { Entry } from '../../raft/types.ts';
import type { LogView, NodeView } from '../../store/index.ts';
import { termClass } from './termColor.ts';

export const CELL_W = 34;
/** Row: a 19 px cell, then a 7 px strip for the leader's match (●) and next (▲) marks. */
export const ROW_H = 28;
const CELL_H = 19;
export const HEADER_H = 18;
/** Wall-clock ms a truncated entry flashes. */
const FLASH_MS = 1600;

export type Layer<E extends Element = SVGGElement> = Selection<E, unknown, null, undefined>;

/** The columns in view: log index `minIndex` is column 0; columns firstCol..lastCol are drawn. */
export interface LogGrid {
  readonly minIndex: number;
  readonly firstCol: number;
  readonly lastCol: number;
}

interface Cell {
  key: string;
  row: number;
  index: number;
  term: number;
  data: string | null;
  committed: boolean;
  flash: number;
}

const cellX = (grid: LogGrid, index: number) => (index - grid.minIndex) * CELL_W;
const rowY = (row: number) => HEADER_H + row * ROW_H;

/**
 * The cells in view: each log's entries, and the entries a conflicting append discarded while they flash
 * (`flashSeen` keeps, per truncation, the wall time it was first drawn).
 */
export function logCells(logs: readonly LogView[], nodes: readonly NodeView[], grid: LogGrid, flashSeen: WeakMap<object, number>, reducedMotion: boolean): Cell[] {
  const { minIndex, firstCol, lastCol } = grid;
  const wall = performance.now();
  const cells: Cell[] = [];
  logs.forEach((log, row) => {
    const commit = nodes[row]?.commit ?? 0;
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
        cells.push({ key: `x${row}:${e.index}:${e.term}:${run.t}`, row, index: e.index, term: e.term, data: e.data, committed: false, flash: reducedMotion ? 0.5 : 1 - age });
      }
    }
  });
  return cells;
}

export function drawHeader(layer: Layer, grid: LogGrid): void {
  const { minIndex, firstCol, lastCol } = grid;
  layer.selectAll<SVGTextElement, number>('text')
    .data(Array.from({ length: Math.max(0, lastCol - firstCol) }, (_, i) => minIndex + firstCol + i).filter((i) => i % 5 === 0 || i === 1), (d) => String(d))
    .join('text')
    .attr('x', (d) => cellX(grid, d) + CELL_W / 2)
    .attr('y', 13)
    .text((d) => d);
}

export function drawCells(layer: Layer, cells: readonly Cell[], grid: LogGrid): void {
  layer.selectAll<SVGGElement, Cell>('g.cell')
    .data(cells, (d) => d.key)
    .join((enter) => {
      const g = enter.append('g');
      g.append('rect').attr('width', CELL_W - 4).attr('height', CELL_H).attr('rx', 3);
      g.append('text').attr('x', (CELL_W - 4) / 2).attr('y', CELL_H / 2).attr('dy', '0.35em');
      g.append('title');
      return g;
    })
    .attr('class', (d) => `cell ${termClass(d.term)}${d.committed ? ' committed' : ' uncommitted'}${d.flash > 0 ? ' truncated' : ''}`)
    .attr('transform', (d) => `translate(${cellX(grid, d.index) + 2},${rowY(d.row) + 1})`)
    .attr('opacity', (d) => (d.flash > 0 ? 0.35 + 0.65 * Math.abs(Math.sin(d.flash * Math.PI * 3)) : 1))
    .each(function (d) {
      const g = select(this);
      g.select('text').text(d.flash > 0 ? '✕' : String(d.term));
      g.select('title').text(`S${d.row + 1} index ${d.index}, term ${d.term}${d.data === null ? ', leader no-op' : `, "${d.data}"`}${d.committed ? ', committed' : ''}${d.flash > 0 ? ', truncated' : ''}`);
    });
}

/**
 * Marks: the commit index as a bar after its entry, the applied index as a tick under it; for the leader's
 * followers, match (●) and next (▲) under the entry they point at.
 */
export function drawMarks(layer: Layer, nodes: readonly NodeView[], grid: LogGrid): void {
  type Mark = { key: string; cls: string; d: string };
  const { minIndex } = grid;
  const x = (index: number) => cellX(grid, index);
  const marks: Mark[] = [];
  const leader = nodes.find((n) => n.role === 'leader' && !n.crashed);
  const stripY = (row: number) => rowY(row) + CELL_H + 5;
  nodes.forEach((n, row) => {
    if (n.commit >= minIndex) marks.push({ key: `c${row}`, cls: 'mark commit', d: `M${x(n.commit) + CELL_W},${rowY(row)}v${CELL_H + 2}` });
    if (n.applied >= minIndex) marks.push({ key: `a${row}`, cls: 'mark applied', d: `M${x(n.applied) + 5},${rowY(row) + CELL_H - 1}h${CELL_W - 10}` });
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
  layer.selectAll<SVGPathElement, Mark>('path.mark')
    .data(marks, (d) => d.key)
    .join('path')
    .attr('class', (d) => d.cls)
    .attr('d', (d) => d.d);
}

/** The node names left of the grid (outside the scrolling part), the live leader starred. */
export function drawLabels(labels: Layer<SVGSVGElement>, nodes: readonly NodeView[]): void {
  labels.selectAll<SVGTextElement, NodeView>('text')
    .data(nodes, (d) => String(d.id))
    .join('text')
    .attr('x', 6)
    .attr('y', (_, i) => rowY(i) + ROW_H / 2)
    .attr('dy', '0.35em')
    .attr('class', (d) => `log-label role-${d.role}${d.crashed ? ' crashed' : ''}`)
    .text((d) => `S${d.id}${d.role === 'leader' && !d.crashed ? ' ★' : ''}`);
}
