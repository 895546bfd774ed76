/**
 * Which of the timeline's items a frame draws: the messages and marks (elections, crashes, restarts, pauses)
 * inside the visible time window, and how a mark is shown and named. Pure, apart from reading the item ring.
 */
import type { TimelineItem, TimelineSlice } from '../../store/index.ts';

export type MessageItem = Extract<TimelineItem, { kind: 'message' }>;
export type MarkItem = Exclude<TimelineItem, { kind: 'message' }>;

/** At most this many messages are drawn (the newest ones). */
const MAX_DRAWN = 1200;

const MARK_GLYPHS: Record<string, string> = { leader: '★', crash: '✕', restart: '↻', pause: '❄', resume: '▸' };
const MARK_VERBS: Record<string, string> = { crash: 'crashes', restart: 'restarts', pause: 'is paused', resume: 'resumes' };

export function markGlyph(kind: string): string {
  return MARK_GLYPHS[kind] ?? '•';
}

/** A mark's accessible name: "S2 becomes leader of term 3 at 1520 ms", "S1 crashes at 4000 ms". */
export function markLabel(m: MarkItem): string {
  return m.kind === 'leader' ? `S${m.node} becomes leader of term ${m.term} at ${m.t} ms` : `S${m.node} ${MARK_VERBS[m.kind] ?? m.kind} at ${m.t} ms`;
}

export function isHeartbeat(type: string): boolean {
  return type === 'MsgHeartbeat' || type === 'MsgHeartbeatResp';
}

export interface VisibleItemsQuery {
  readonly timeline: TimelineSlice;
  readonly now: number;
  readonly spanMs: number;
  readonly showHeartbeats: boolean;
}

/** The messages and marks that show in the window [t0, t1], newest first. */
export function visibleItems(frame: VisibleItemsQuery, t0: number, t1: number): { msgs: MessageItem[]; marks: MarkItem[] } {
  const msgs: MessageItem[] = [];
  const marks: MarkItem[] = [];
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
      if (!frame.showHeartbeats && isHeartbeat(it.type)) continue;
      if ((it.endAt ?? frame.now) >= t0 && msgs.length < MAX_DRAWN) msgs.push(it);
    } else if (it.t >= t0) marks.push(it);
  }
  return { msgs, marks };
}
