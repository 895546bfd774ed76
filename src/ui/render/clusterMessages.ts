/**
 * The cluster view's message layer: a pill per message in flight, moved every frame along its link (its position
 * is a function of virtual time), a dropped message dying with a ✕ where it was, and a duplicate delivery popping
 * a "×2" at its receiver. Ended messages fade over wall-clock time, so their first sighting is remembered here.
 */
import { select, type Selection } from 'd3-selection';
import type { MessageInFlight, MessageEnded } from '../../store/index.ts';
import { pointAlong, type RingLayout } from './ringLayout.ts';
import { messageGlyph, messageText } from './messageGlyph.ts';
import { setAttr, setText } from './domWrites.ts';

/** Wall-clock ms a dropped or duplicated message stays visible. */
const ENDED_VISIBLE_MS = 900;

/** What the message layer reads of a cluster frame. */
export interface MessageFrame {
  readonly inFlight: readonly MessageInFlight[];
  readonly ended: readonly MessageEnded[];
  readonly now: number;
  readonly meanLatencyMs: number;
  readonly reducedMotion: boolean;
}

/** A pill placed on screen. */
interface Placed {
  key: string;
  text: string;
  family: string;
  reply: boolean;
  x: number;
  y: number;
  cls: string;
  opacity: number;
}

function progressOf(m: MessageInFlight, now: number, meanLatencyMs: number): number {
  const arrive = m.arriveAt ?? m.sentAt + meanLatencyMs;
  const span = Math.max(1, arrive - m.sentAt);
  return Math.max(0, Math.min(m.arriveAt === null ? 0.92 : 1, (now - m.sentAt) / span));
}

function placeInFlight(layout: RingLayout, frame: MessageFrame, placed: Placed[]): void {
  const r = layout.nodeRadius + 8;
  const pts = layout.points;
  for (const m of frame.inFlight) {
    const p = pts[m.from - 1];
    const q = pts[m.to - 1];
    if (!p || !q) continue;
    const g = messageGlyph(m.type);
    const pos = pointAlong(p, q, r, r, progressOf(m, frame.now, frame.meanLatencyMs), 7);
    placed.push({ key: `m${m.id}`, text: messageText(m.type, m.entryCount, m.reject), family: g.family, reply: g.reply, x: pos.x, y: pos.y, cls: 'msg', opacity: 1 });
  }
}

/** Places the messages that ended just now; `endedSeenAt` keeps, by key, the wall time each was first drawn. */
function placeEnded(layout: RingLayout, frame: MessageFrame, endedSeenAt: Map<string, number>, placed: Placed[]): void {
  const r = layout.nodeRadius + 8;
  const pts = layout.points;
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
      const pos = pointAlong(p, q, r, r, t, 7);
      placed.push({ key: key, text: `✕ ${g.label}`, family: g.family, reply: g.reply, x: pos.x, y: pos.y, cls: 'msg dying', opacity: frame.reducedMotion ? 1 : 1 - age });
    } else {
      const pos = pointAlong(p, q, r, r, 1, 7);
      placed.push({ key: key, text: `×2 ${g.label}`, family: g.family, reply: g.reply, x: pos.x, y: pos.y - (frame.reducedMotion ? 0 : age * 10), cls: 'msg duplicate', opacity: frame.reducedMotion ? 1 : 1 - age * 0.7 });
    }
  }
  for (const k of endedSeenAt.keys()) if (!live.has(k)) endedSeenAt.delete(k);
}

function drawPills(layer: Selection<SVGGElement, unknown, null, undefined>, placed: readonly Placed[]): void {
  layer
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

export function createMessageLayer(layer: Selection<SVGGElement, unknown, null, undefined>) {
  const endedSeenAt = new Map<string, number>();
  return function drawMessages(layout: RingLayout, frame: MessageFrame): void {
    const placed: Placed[] = [];
    placeInFlight(layout, frame, placed);
    placeEnded(layout, frame, endedSeenAt, placed);
    drawPills(layer, placed);
  };
}
