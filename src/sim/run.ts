/**
 * Running a scenario end to end: world + inline host + trace writer, and the summary `flotilla sim` prints.
 */
import { InlineHost } from './inlineHost.ts';
import type { ResolvedScenario } from './scenario.ts';
import type { SimListener } from './traceEvents.ts';
import { isTraceEvent } from './traceEvents.ts';
import { TraceWriter } from './traceWriter.ts';
import { World, type LeaderRecord, type ViolationReport } from './world.ts';
import { kvClients } from '../etcd/kvClients.ts';

/** The summary of one run (`flotilla sim` prints it as JSON, in this key order). */
export interface RunSummary {
  readonly seed: number;
  /** Trace events written (the header not counted). */
  readonly events: number;
  readonly until: number;
  readonly leaders: readonly LeaderRecord[];
  readonly violations: readonly ViolationReport[];
  readonly traceSha256: string;
}

export interface RunOptions {
  /** Receives each trace line (with its "\n"), header first. */
  readonly onLine?: (line: string) => void;
  /** Receives every event object (listener-only events included). */
  readonly listener?: SimListener;
  /** Check invariants (default true). */
  readonly check?: boolean;
}

/** Runs the scenario in-process and returns its summary and the world (for tests that inspect it). */
export function runScenario(scenario: ResolvedScenario, options: RunOptions = {}): { summary: RunSummary; world: World } {
  const world = new World({ scenario, check: options.check, clientLayer: kvClients });
  const writer = new TraceWriter(options.onLine);
  writer.header(world.header());
  world.subscribe((event) => {
    if (isTraceEvent(event)) writer.event(event);
    options.listener?.(event);
  });
  world.runUntil(scenario.until, new InlineHost());
  const summary: RunSummary = {
    seed: scenario.seed,
    events: world.eventCount,
    until: scenario.until,
    leaders: world.leaders,
    violations: world.violation ? [world.violation] : [],
    traceSha256: writer.sha256(),
  };
  return { summary, world };
}
