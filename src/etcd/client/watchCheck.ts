/**
 * The check of every watch stream in a trace: each watch's events come in revision order, with no gap and no
 * duplicate (docs/clients.md, "The contract"). The reference is the committed log itself: the trace's `apply` events
 * give every committed entry (State Machine Safety makes them the same on every node), replayed into a fresh
 * KvStateMachine that never compacts. A watch that started at revision S and delivered events up to revision R
 * must have delivered exactly the reference's changes in its range from S to R, in order, with the same kvs
 * (and prevKvs when asked). Events the run ended before delivering are not gaps.
 *
 * A trace without `apply` events (a history from elsewhere) has no log to compare with: then only order and
 * duplicates are checked (`againstLog` false).
 */
import { KvStateMachine, keyRangeOf, validateCommand, type KeyValue, type WatchEvent } from '../../kv/index.ts';

/** The verdict on a trace's watch streams. */
export interface WatchCheckResult {
  readonly ok: boolean;
  /** Watch streams checked. */
  readonly watches: number;
  /** Events checked. */
  readonly events: number;
  /** Whether the streams were compared with the committed log (false: the trace has no `apply` events). */
  readonly againstLog: boolean;
  /** What went wrong, one line per problem (empty when ok). */
  readonly problems: readonly string[];
}

interface WatchRecord {
  readonly label: string;
  readonly op: Record<string, unknown>;
  startRevision?: number;
  readonly delivered: WatchEvent[];
  closed: boolean;
  canceled: boolean;
}

/** Checks every watch stream of a trace's events (parsed lines or event objects, header excluded or not). */
export function checkWatchStreams(events: readonly object[]): WatchCheckResult {
  const committed: (string | null)[] = [];
  const watches: WatchRecord[] = [];
  const open = new Map<string, WatchRecord>();
  const invoked = new Map<string, WatchRecord>();
  for (const raw of events) {
    const e = raw as Record<string, unknown>;
    if (e.type === 'apply') {
      const index = e.index as number;
      if (committed[index] === undefined) committed[index] = e.data as string | null;
    } else if (e.type === 'client') {
      const key = `${String(e.client)}#${String(e.id)}`;
      if (e.phase === 'invoke') {
        const op = e.op as Record<string, unknown>;
        if (op.do === 'watch') {
          const record: WatchRecord = { label: `${String(e.client)}/${String(op.watch)}`, op, delivered: [], closed: false, canceled: false };
          invoked.set(key, record);
          open.set(`${String(e.client)}/${String(op.watch)}`, record);
        } else if (op.do === 'cancelWatch') {
          const record = open.get(`${String(e.client)}/${String(op.watch)}`);
          if (record) record.closed = true;
        }
      } else {
        const record = invoked.get(key);
        if (!record) continue;
        invoked.delete(key);
        if (e.phase === 'ok') {
          const revision = ((e.result as Record<string, unknown>).header as { revision: number }).revision;
          const start = (record.op.startRevision as number | undefined) ?? 0;
          record.startRevision = start > 0 ? start : revision + 1;
          watches.push(record);
        } else {
          open.delete(record.label);
        }
      }
    } else if (e.type === 'watch') {
      const record = open.get(`${String(e.client)}/${String(e.watch)}`);
      if (!record || record.closed) continue;
      if (e.canceled === true) record.canceled = true;
      record.delivered.push(...(e.events as WatchEvent[]));
    }
  }
  const againstLog = committed.length > 0;
  const reference = againstLog ? replay(committed) : undefined;
  const problems: string[] = [];
  let checked = 0;
  for (const w of watches) {
    checked += w.delivered.length;
    const problem = reference ? checkOne(w, reference) : checkOrder(w.delivered);
    if (problem !== undefined) problems.push(`watch ${w.label}: ${problem}`);
  }
  return { ok: problems.length === 0, watches: watches.length, events: checked, againstLog, problems };
}

/** The committed log applied to a store that keeps all history (compactions are skipped: they change no revision). */
function replay(committed: readonly (string | null)[]): KvStateMachine {
  const machine = new KvStateMachine();
  for (let index = 1; index < committed.length; index++) {
    const data = committed[index];
    if (data === undefined) break; // a hole: nothing past it is known to be committed
    if (data === null || data.charCodeAt(0) !== 0x7b) continue;
    let command;
    try {
      command = validateCommand(JSON.parse(data));
    } catch {
      continue;
    }
    if (command.request.do === 'compact') continue;
    machine.applyCommand(command, { index, nowMs: 0 });
  }
  return machine;
}

/** Order and duplicates alone: revisions never go back, and no (key, revision) change comes twice. */
function checkOrder(delivered: readonly WatchEvent[]): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < delivered.length; i++) {
    const e = delivered[i]!;
    if (i > 0 && e.kv.modRevision < delivered[i - 1]!.kv.modRevision) {
      return `events out of order: revision ${e.kv.modRevision} after ${delivered[i - 1]!.kv.modRevision}`;
    }
    const id = `${e.kv.modRevision}\u0000${e.kv.key}`;
    if (seen.has(id)) return `a duplicate event ${describe(e)}`;
    seen.add(id);
  }
  return undefined;
}

function checkOne(w: WatchRecord, reference: KvStateMachine): string | undefined {
  const delivered = w.delivered;
  const disorder = checkOrder(delivered);
  if (disorder !== undefined) return disorder;
  if (delivered.length === 0) return undefined;
  const last = delivered[delivered.length - 1]!.kv.modRevision;
  if (last > reference.revision) return `an event at revision ${last}, beyond the committed log's ${reference.revision}`;
  const op = w.op;
  const range = keyRangeOf(op.key as string, op.rangeEnd as string | undefined, op.prefix as boolean | undefined);
  const expected = reference.store.changesSince(range, w.startRevision!).filter((e) => e.kv.modRevision <= last);
  const prevKv = op.prevKv === true;
  for (let i = 0; i < Math.max(expected.length, delivered.length); i++) {
    const want = expected[i];
    const got = delivered[i];
    if (!want) return `a duplicate or extra event ${describe(got!)} (after every committed change up to revision ${last})`;
    if (!got) return `a gap: ${describe(want)} was never delivered`;
    if (want.type !== got.type || !sameKv(want.kv, got.kv)) return `expected ${describe(want)}, got ${describe(got)} (a gap or a duplicate)`;
    if (prevKv && want.prevKv !== null && (!got.prevKv || !sameKv(want.prevKv, got.prevKv))) return `wrong prevKv for ${describe(got)}`;
  }
  return undefined;
}

function sameKv(a: KeyValue, b: KeyValue): boolean {
  return a.key === b.key && a.value === b.value && a.createRevision === b.createRevision && a.modRevision === b.modRevision
    && a.version === b.version && a.lease === b.lease;
}

function describe(e: { type: string; kv: KeyValue }): string {
  return `${e.type} ${JSON.stringify(e.kv.key)}@${e.kv.modRevision}`;
}
