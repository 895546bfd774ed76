/**
 * The scenario a run plays: a base scenario (an example file, or one imported or carried inline in the URL)
 * plus the user's changes (seed, cluster and network overrides, and the actions added in the UI). The effective
 * scenario is a plain scenario file: exported, it replays the same trace with `npx flotilla sim`.
 */
import { parseScenarioJson } from '../sim/index.ts';
import { FieldError } from '../etcd/index.ts';
import type { RunOverrides } from './runUrl.ts';
import type { ScenarioActionData } from './traceEvent.ts';

export type ScenarioJson = Record<string, unknown> & { actions?: unknown[]; config?: Record<string, unknown>; network?: Record<string, unknown> };

/**
 * Scenario text (an imported file, an inline scenario from a link) as a scenario object: malformed JSON, a key
 * given twice in one object (JSON.parse would keep the last silently) and anything but an object are refused with
 * a FieldError naming the field, as `flotilla sim` refuses them. The fields are validated when the run loads.
 */
export function parseScenarioText(text: string): ScenarioJson {
  const json = parseScenarioJson(text);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new FieldError('(scenario)', `must be a JSON object, got ${Array.isArray(json) ? 'an array' : JSON.stringify(json)}`);
  }
  return json as ScenarioJson;
}

export function effectiveScenario(base: ScenarioJson, seed: number | null, overrides: RunOverrides, userActions: readonly ScenarioActionData[]): ScenarioJson {
  const out: ScenarioJson = { ...base };
  if (seed !== null) out.seed = seed;
  if (overrides.nodes !== undefined) out.nodes = overrides.nodes;
  const config: Record<string, unknown> = { ...(base.config ?? {}) };
  if (overrides.electionTimeoutMs !== undefined) config.electionTimeoutMs = overrides.electionTimeoutMs;
  if (overrides.heartbeatMs !== undefined) config.heartbeatMs = overrides.heartbeatMs;
  if (overrides.preVote !== undefined) config.preVote = overrides.preVote;
  if (overrides.checkQuorum !== undefined) config.checkQuorum = overrides.checkQuorum;
  if (overrides.unsafe !== undefined) config.unsafe = overrides.unsafe;
  if (Object.keys(config).length > 0) out.config = config;
  const network: Record<string, unknown> = { ...(base.network ?? {}) };
  if (overrides.latencyMs !== undefined) network.latencyMs = overrides.latencyMs;
  if (overrides.dropRate !== undefined) network.dropRate = overrides.dropRate;
  if (overrides.duplicateRate !== undefined) network.duplicateRate = overrides.duplicateRate;
  if (Object.keys(network).length > 0) out.network = network;
  if (userActions.length > 0) out.actions = [...(base.actions ?? []), ...userActions];
  return out;
}
