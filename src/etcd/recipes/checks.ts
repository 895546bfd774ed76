/**
 * Checks of the recipes over a run's trace events (pure functions of the events: the fuzzer, the tests and the
 * safety panel call them on whatever trace they hold; the events are plain objects, parsed or live).
 *
 * - cronDoubleRuns: a cron period run twice (two `run` events for one job and period) is a violation.
 * - fenceViolations: every `run` a cron client reports is checked against the replicated log itself (the
 *   trace's `apply` events, replayed through the same KvStateMachine the nodes run): just before the run's
 *   revision the leader key must still have been the one the run was fenced with, and the record must be the
 *   one written at that revision. A fenced write that succeeded for a deposed leader is a violation.
 * - leadershipOverlaps: windows in which two or more clients both BELIEVE they lead the same election (or hold
 *   the same mutex, or lead the same cron job). etcd allows them: belief is local and timed, a lease is
 *   expired by the leader's clock, and a client learns it lost only when its own timer runs out. They are
 *   measured and reported, never hidden, and are not violations; fencing is what makes them harmless.
 */
import { decodeCommand, KvStateMachine } from '../../kv/index.ts';
import type { RecipeEventName, RecipeKind } from '../concurrency/recipeClient.ts';
import { isRecipeEvent, type RecipeTraceEvent } from './recipeTrace.ts';

export interface CronDoubleRun {
  readonly job: string;
  readonly period: number;
  readonly runs: readonly { readonly client: string; readonly t: number }[];
}

export interface FenceViolation {
  readonly job: string;
  readonly period: number;
  readonly client: string;
  readonly t: number;
  readonly problem: string;
}

/** A window in which several clients believed they led `name` (of kind `recipe`) at once. */
export interface LeadershipOverlap {
  readonly recipe: RecipeKind;
  readonly name: string;
  readonly startMs: number;
  /** When fewer than two believed again (the last event's time if the trace ended first: then `open`). */
  readonly endMs: number;
  readonly durationMs: number;
  /** Every client that believed during the window, in the order they began to. */
  readonly clients: readonly string[];
  readonly open: boolean;
}

export interface RecipeCheckReport {
  readonly cronDoubleRuns: readonly CronDoubleRun[];
  readonly fenceViolations: readonly FenceViolation[];
  /** `run` events verified against the log; those the trace has no `apply` events for are not counted. */
  readonly fencedRunsVerified: number;
  readonly leadershipOverlaps: readonly LeadershipOverlap[];
  /** No double run and no fence violation (overlaps are reported, not failures). */
  readonly ok: boolean;
}

/** Every check at once. */
export function checkRecipes(events: readonly object[]): RecipeCheckReport {
  const cronDoubleRuns = findCronDoubleRuns(events);
  const fence = checkFencedRuns(events);
  return {
    cronDoubleRuns,
    fenceViolations: fence.violations,
    fencedRunsVerified: fence.verified,
    leadershipOverlaps: findLeadershipOverlaps(events),
    ok: cronDoubleRuns.length === 0 && fence.violations.length === 0,
  };
}

/** Periods of a cron job with more than one `run` event. */
export function findCronDoubleRuns(events: readonly object[]): CronDoubleRun[] {
  const runs = new Map<string, { job: string; period: number; runs: { client: string; t: number }[] }>();
  for (const event of events) {
    if (!isRecipeEvent(event) || event.recipe !== 'cron' || event.event !== 'run') continue;
    const period = event.detail.period as number;
    const id = JSON.stringify([event.name, period]);
    let entry = runs.get(id);
    if (entry === undefined) runs.set(id, (entry = { job: event.name, period, runs: [] }));
    entry.runs.push({ client: event.client, t: event.t });
  }
  return [...runs.values()].filter((entry) => entry.runs.length > 1);
}

/** Events that start a client's belief that it leads (or holds) `name`, and those that end it. */
const BELIEF_STARTS = new Set<RecipeEventName>(['elected', 'locked']);
const BELIEF_ENDS = new Set<RecipeEventName>(['resigned', 'unlocked', 'lost']);

/**
 * The windows in which two or more clients believed they led the same election (kinds election and cron) or
 * held the same mutex. A belief runs from `elected`/`locked` to `resigned`/`unlocked`/`lost`, or to the
 * client's death (a `killClient` action event), or to the end of the trace. Events are taken in trace order,
 * which is the order things happened, even within one millisecond.
 */
export function findLeadershipOverlaps(events: readonly object[]): LeadershipOverlap[] {
  // Per (recipe, name): the clients believing now, and the window being measured.
  interface Track {
    recipe: RecipeKind;
    name: string;
    believers: Set<string>;
    window?: { startMs: number; clients: string[] };
  }
  const tracks = new Map<string, Track>();
  const overlaps: LeadershipOverlap[] = [];
  let lastMs = 0;
  const close = (track: Track, endMs: number, open: boolean): void => {
    const window = track.window!;
    overlaps.push({
      recipe: track.recipe, name: track.name, startMs: window.startMs, endMs, durationMs: endMs - window.startMs,
      clients: window.clients, open,
    });
    track.window = undefined;
  };
  const end = (track: Track, client: string, t: number): void => {
    if (!track.believers.delete(client)) return;
    if (track.window !== undefined && track.believers.size < 2) close(track, t, false);
  };
  for (const raw of events) {
    const event = raw as { t?: unknown; type?: unknown; action?: { do?: unknown; client?: unknown } };
    if (typeof event.t === 'number') lastMs = event.t;
    if (event.type === 'action' && event.action?.do === 'killClient' && typeof event.action.client === 'string') {
      for (const track of tracks.values()) end(track, event.action.client, lastMs);
      continue;
    }
    if (!isRecipeEvent(raw)) continue;
    if (raw.recipe !== 'election' && raw.recipe !== 'cron' && raw.recipe !== 'mutex') continue;
    const id = JSON.stringify([raw.recipe === 'mutex' ? 'mutex' : 'election', raw.recipe, raw.name]);
    let track = tracks.get(id);
    if (track === undefined) tracks.set(id, (track = { recipe: raw.recipe, name: raw.name, believers: new Set() }));
    if (BELIEF_STARTS.has(raw.event)) {
      track.believers.add(raw.client);
      if (track.believers.size >= 2) {
        if (track.window === undefined) track.window = { startMs: raw.t, clients: [...track.believers] };
        else if (!track.window.clients.includes(raw.client)) track.window.clients.push(raw.client);
      }
    } else if (BELIEF_ENDS.has(raw.event)) {
      end(track, raw.client, raw.t);
    }
  }
  for (const track of tracks.values()) if (track.window !== undefined) close(track, lastMs, true);
  return overlaps.sort((a, b) => a.startMs - b.startMs);
}

/**
 * Checks every cron `run` against the committed log replayed from the trace's `apply` events (each index the
 * first time any node applies it: committed entries are the same on every node, Raft §5.4.3). Compactions
 * are not replayed, so the replay can be read at any past revision.
 */
export function checkFencedRuns(events: readonly object[]): { violations: FenceViolation[]; verified: number } {
  const machine = new KvStateMachine();
  let replayedIndex = 0;
  let gap = false;
  const runs: RecipeTraceEvent[] = [];
  for (const raw of events) {
    const event = raw as { type?: unknown; index?: unknown; data?: unknown; t?: unknown };
    if (event.type === 'apply' && typeof event.index === 'number' && !gap) {
      if (event.index <= replayedIndex) continue;
      if (event.index !== replayedIndex + 1) {
        // Entries the trace never shows applied (e.g. a trace cut short): stop replaying, verify what came before.
        gap = true;
        continue;
      }
      const data = typeof event.data === 'string' ? event.data : null;
      const decoded = data === null ? undefined : decodeCommand(data);
      const skip = decoded !== undefined && decoded.ok && decoded.result.request.do === 'compact';
      machine.applyEntryData(skip ? null : data, { index: event.index, nowMs: typeof event.t === 'number' ? event.t : 0 });
      replayedIndex = event.index;
      continue;
    }
    if (isRecipeEvent(raw) && raw.recipe === 'cron' && raw.event === 'run') runs.push(raw);
  }
  const violations: FenceViolation[] = [];
  let verified = 0;
  for (const run of runs) {
    const revision = run.detail.revision as number;
    if (revision > machine.revision) continue; // Not in the replayed log: cannot be verified here.
    verified++;
    const problem = fenceProblem(machine, run, revision);
    if (problem !== undefined) {
      violations.push({ job: run.name, period: run.detail.period as number, client: run.client, t: run.t, problem });
    }
  }
  return { violations, verified };
}

/** What is wrong with a run at `revision` according to the replayed store, if anything. */
function fenceProblem(machine: KvStateMachine, run: RecipeTraceEvent, revision: number): string | undefined {
  const leaderKey = run.detail.leaderKey as string;
  const fencedWith = run.detail.createRevision as number;
  const before = machine.get({ key: leaderKey, revision: revision - 1 });
  if (!before.ok) return `cannot read ${leaderKey} at revision ${revision - 1}: ${before.error}`;
  const leader = before.result.kvs[0];
  if (leader === undefined) return `leader key ${leaderKey} was already deleted when the run was recorded (revision ${revision})`;
  if (leader.createRevision !== fencedWith) {
    return `leader key ${leaderKey} had createRevision ${leader.createRevision}, not the fencing token ${fencedWith}`;
  }
  const record = machine.get({ key: run.detail.key as string, revision });
  if (!record.ok) return `cannot read ${String(run.detail.key)} at revision ${revision}: ${record.error}`;
  const written = record.result.kvs[0];
  if (written === undefined || written.modRevision !== revision || written.createRevision !== revision) {
    return `no record ${String(run.detail.key)} was created at revision ${revision}`;
  }
  return undefined;
}
