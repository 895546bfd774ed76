/**
 * The simulator's public API (for src/store, src/worker, src/cli and tests).
 *
 * Running a scenario in-process: `runScenario(parseScenario(text))`. Driving a world step by step (the UI):
 *   const world = new World({ scenario });
 *   const unsubscribe = world.subscribe((event) => store.ingest(event));  // every event object, in order
 *   world.runUntil(t, new InlineHost());                                  // synchronous nodes
 *   await runUntilAsync(world, workerHost, t);                            // or one Web Worker per node
 *   world.submitAction({ do: 'crash', node: 'leader' });                  // user commands, validated
 * A Web Worker host runs `new NodeRuntime(init)` per node and answers `start()`/`step(input)`; everything that
 * crosses (NodeInit, StepInput, StepResult) is plain data.
 */
export { World, type WorldOptions, type LeaderRecord, type ViolationReport } from './world.ts';
export { namesClient } from './namesClient.ts';
export {
  performWork,
  type AsyncNodeHost, type NodeConfig, type NodeHost, type NodeInit, type NodeSnapshot, type NodeWork, type StepInput, type StepResult,
} from './host.ts';
export { InlineHost } from './inlineHost.ts';
export { NodeRuntime } from './nodeRuntime.ts';
export {
  asAsyncHost, runWindowAsync, type WindowedNodeHost, type WindowStep, type StepOutcome, type NodeFailureListener,
} from './asyncDriver.ts';
export {
  SyncRunner, AsyncRunner, runnerFor, runUntilAsync,
  type WorldRunner, type AsyncRunnerOptions, type ModalHost, type PauseCheck,
} from './runner.ts';
export { Prng, PPM, MAX_SEED } from './prng.ts';
export {
  parseScenario, resolveScenario, parseAction, FieldError, DEFAULT_CONFIG, DEFAULT_NETWORK, MAX_NODES, ACTION_NAMES,
  type ResolvedScenario, type ScenarioAction, type SimConfig, type NetworkSettings, type NodeRef, type ActionName,
} from './scenario.ts';
export type * from './traceEvents.ts';
export { isTraceEvent } from './traceEvents.ts';
export { TraceWriter, eventJson, headerJson } from './traceWriter.ts';
export { Sha256, sha256Hex } from './sha256.ts';
export { RaftInvariantChecker, type Violation } from './raftInvariantChecker.ts';
export { checkTrace, parseTrace, looksLikeTrace, TraceFormatError, type ParsedTrace, type TraceCheckReport } from './traceReader.ts';
export { runScenario, type RunSummary, type RunOptions } from './run.ts';
export { runFuzzSeed, type FuzzResult, type FuzzRunOptions } from './fuzz/fuzz.ts';
export { LEADER_BOUND_ET, CONVERGENCE_BOUND_ET } from './fuzz/liveness.ts';
export { drawSwarmOptions, type SwarmOptions, type FaultWeights } from './fuzz/swarm.ts';
export { replayScenario } from './replay.ts';
export { errorText } from './asyncDriver.ts';
export { CLIENT_OP_BOUND_ET } from './fuzz/clientWorkload.ts';
export { DuplicateKeyError, parseJsonWithoutDuplicateKeys } from './jsonDuplicateKeys.ts';
export { parseScenarioJson } from './scenario.ts';
export {
  applyLinkChange, linkChangeOf, linkKey, type DirectedLink, type LinkChange, type LinkEndpoint,
} from './linkRules.ts';
