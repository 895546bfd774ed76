/**
 * Validates the run a URL describes against the simulator's own scenario rules, and reports each problem by the
 * URL parameter it is about (`scenario`, `et`, `actions[2].node`...), not by the scenario field the parameter
 * turned into: a user who typed `et=1e-300` reads `et: ...`, not `config.electionTimeoutMs: ...` (docs/ui.md).
 */
import { resolveScenario } from '../sim/index.ts';
import { FieldError } from '../etcd/index.ts';
import type { RunSpec } from './runUrl.ts';
import { effectiveScenario, type ScenarioJson } from './scenarioSource.ts';

/** Longest run the app plays (24 h of virtual time); longer scenarios run headless with `npx flotilla sim`. */
export const MAX_UNTIL_MS = 86_400_000;

/** The URL parameter that sets each scenario field (the overrides of the settings panel). */
const PARAM_OF_FIELD: ReadonlyArray<readonly [RegExp, string]> = [
  [/^nodes$/, 'nodes'],
  [/^seed$/, 'seed'],
  [/^config\.electionTimeoutMs$/, 'et'],
  [/^config\.heartbeatMs$/, 'hb'],
  [/^config\.preVote$/, 'prevote'],
  [/^config\.(checkQuorum|readOnly)$/, 'cq'],
  [/^config\.unsafe/, 'unsafe'],
  [/^network\.latencyMs/, 'lat'],
  [/^network\.dropRate$/, 'loss'],
  [/^network\.duplicateRate$/, 'dup'],
];

/** Throws an Error whose message starts with the URL parameter at fault, when the run cannot be played. */
export function checkRunSpec(base: ScenarioJson, spec: RunSpec): void {
  // 1. The scenario itself (an example, or the inline one): its problems are the `scenario` parameter's.
  let until: unknown;
  try {
    until = resolveScenario(base).until;
  } catch (e) {
    throw new Error(`scenario: ${(e as Error).message}`);
  }
  if (typeof until === 'number' && until > MAX_UNTIL_MS) {
    throw new Error(`scenario: until must be at most ${MAX_UNTIL_MS} ms (24 h of virtual time) in the app, got ${until}; npx flotilla sim runs longer scenarios`);
  }
  // 2. With the seed and the overrides: a bad field is the parameter that set it.
  try {
    resolveScenario(effectiveScenario(base, spec.seed, spec.overrides, []));
  } catch (e) {
    // Only a parameter the link sets takes the blame: `et=100` on a scenario with a 100 ms heartbeat breaks the
    // heartbeat's rule, whose field maps to `hb`, which the link may not contain (then the parameters it sets do).
    const set = overrideParams(spec).split(', ');
    const paramOf = (field: string): string | undefined => {
      const param = PARAM_OF_FIELD.find(([re]) => re.test(field))?.[1];
      return param !== undefined && set.includes(param) ? param : undefined;
    };
    throw new Error(blame(e, paramOf, overrideParams(spec)));
  }
  // 3. With the URL's actions, which come after the scenario's own in the effective scenario.
  const baseCount = Array.isArray(base.actions) ? base.actions.length : 0;
  try {
    resolveScenario(effectiveScenario(base, spec.seed, spec.overrides, spec.actions));
  } catch (e) {
    throw new Error(blame(e, (field) => {
      const m = /^actions\[(\d+)\](.*)$/.exec(field);
      return m && Number(m[1]) >= baseCount ? `actions[${Number(m[1]) - baseCount}]${m[2]}` : undefined;
    }, 'actions'));
  }
}

/** `param: problem` for a FieldError whose field maps to a parameter, else `fallback: message`. */
function blame(error: unknown, paramOf: (field: string) => string | undefined, fallback: string): string {
  if (error instanceof FieldError) {
    const param = paramOf(error.field);
    if (param !== undefined) return `${param}: ${error.problem}`;
  }
  return `${fallback}: ${(error as Error).message}`;
}

/** The override parameters a URL set, for an error no single one of them owns (e.g. `nodes` and an action's node). */
function overrideParams(spec: RunSpec): string {
  const o = spec.overrides;
  const names = [
    spec.seed !== null && 'seed', o.nodes !== undefined && 'nodes', o.electionTimeoutMs !== undefined && 'et',
    o.heartbeatMs !== undefined && 'hb', o.latencyMs && 'lat', o.dropRate !== undefined && 'loss',
    o.duplicateRate !== undefined && 'dup', o.preVote !== undefined && 'prevote', o.checkQuorum !== undefined && 'cq',
    o.unsafe && 'unsafe',
  ].filter((n): n is string => typeof n === 'string');
  return names.length > 0 ? names.join(', ') : 'scenario';
}
