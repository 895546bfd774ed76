/**
 * src/store: public surface (docs/architecture.md).
 */
export { MAX_SPEED_LOG10, MIN_SPEED_LOG10, createFlotillaStore, setControls, setRun } from './createFlotillaStore.ts';
export type { FlotillaStore } from './createFlotillaStore.ts';
export { createKvStore, setKvControls } from './kv/createKvStore.ts';
export type { KvStore } from './kv/createKvStore.ts';
export type { ClientView, ElectionView, KvState, LeaseView, ServiceView } from './kv/kvState.ts';
export { RunDriver } from './runDriver.ts';
export type { UserAction } from './runDriver.ts';
export { inlineHostFactory } from './runHost.ts';
export type { HostFactory } from './runHost.ts';
export { LINK_MAX_CHARS, encodeInlineScenario, formatRunFragment, formatRunUrl, inlineScenarioJson, parseRunUrl, runParamsOfLocation } from './runUrl.ts';
export type { HostKind, RunOverrides, RunSpec } from './runUrl.ts';
export { checkRunSpec } from './runUrlErrors.ts';
export { parseScenarioText } from './scenarioSource.ts';
export type { ScenarioJson } from './scenarioSource.ts';
export type { FlotillaState, LinkCuts, LogView, MessageEnded, MessageInFlight, NarrationCategory, NodeView, RunProgress, TimelineItem, TimelineSlice } from './state.ts';
export type { SimEvent } from './traceEvent.ts';
export { traceToScenario } from './traceToScenario.ts';
export { compareTraceWithReplay } from './traceVerify.ts';
