/**
 * The run as a URL: everything needed to replay it exactly (scenario, seed, host, the user's overrides and
 * actions so far), so a copied link opens the same run. Parsing never throws: a bad field is reported by name and
 * the rest is kept.
 *
 *   ?scenario=examples/leader-crash.json   an example by path, `playground` (the default), or
 *   ?scenario=inline:<base64url JSON>      a whole scenario (imported from a file, or built in the UI)
 *   &seed=42 &host=worker|inline
 *   &nodes=5 &et=1000 &hb=100 &lat=10-30 &loss=0.05 &dup=0 &prevote=1 &cq=1 &unsafe=noTruncate,forgetVote
 *   &actions=<JSON array of scenario actions, `at` filled in>
 *   &pos=1234                              open at that many trace events into the run (a shared moment)
 *   &run=end                               run to the end at full speed at once (else: paused at t=0)
 */
import { DuplicateKeyError, parseJsonWithoutDuplicateKeys } from '../sim/jsonDuplicateKeys.ts';
import type { ScenarioActionData } from './traceEvent.ts';

export type HostKind = 'worker' | 'inline';

/** The user's overrides of the scenario's cluster and network (a "new run" from the settings panel). */
export interface RunOverrides {
  nodes?: number;
  electionTimeoutMs?: number;
  heartbeatMs?: number;
  latencyMs?: [number, number];
  dropRate?: number;
  duplicateRate?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  unsafe?: string[];
}

export interface RunSpec {
  /** `examples/NAME.json`, or `inline:` + base64url(JSON). */
  scenario: string;
  /** null: the scenario's own seed. */
  seed: number | null;
  host: HostKind;
  overrides: RunOverrides;
  actions: ScenarioActionData[];
  /** Trace events to reveal on opening (a shared moment), or null for the start. */
  position: number | null;
  runToEnd: boolean;
}

export interface ParsedRunUrl {
  spec: RunSpec;
  /** One message per bad parameter, naming it. */
  errors: string[];
}

/** The scenario opened when the URL names none: the playground (five nodes, nothing scripted). */
export const DEFAULT_SCENARIO = 'playground';

export function encodeInlineScenario(json: string): string {
  const bytes = new TextEncoder().encode(json);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return 'inline:' + btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeInlineScenario(param: string): string {
  const b64 = param.slice('inline:'.length).replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

function num(params: URLSearchParams, key: string, errors: string[], check: (n: number) => boolean, what: string): number | undefined {
  const raw = params.get(key);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n)) {
    errors.push(`${key}: expected ${what}, got "${raw}"`);
    return undefined;
  }
  return n;
}

function bool(params: URLSearchParams, key: string, errors: string[]): boolean | undefined {
  const raw = params.get(key);
  if (raw === null) return undefined;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  errors.push(`${key}: expected 0 or 1, got "${raw}"`);
  return undefined;
}

export function parseRunUrl(search: string): ParsedRunUrl {
  const params = new URLSearchParams(search);
  const errors: string[] = [];
  const scenario = params.get('scenario') || DEFAULT_SCENARIO;
  if (scenario !== 'playground' && !scenario.startsWith('inline:') && !/^examples\/[\w.-]+\.json$/.test(scenario)) {
    errors.push(`scenario: expected examples/NAME.json or inline:..., got "${scenario}"`);
  }
  const seed = num(params, 'seed', errors, (n) => Number.isSafeInteger(n) && n >= 0, 'a non-negative integer') ?? null;
  const hostRaw = params.get('host') ?? 'worker';
  if (hostRaw !== 'worker' && hostRaw !== 'inline') errors.push(`host: expected worker or inline, got "${hostRaw}"`);
  const host: HostKind = hostRaw === 'inline' ? 'inline' : 'worker';
  const overrides: RunOverrides = {};
  const nodes = num(params, 'nodes', errors, (n) => Number.isInteger(n) && n >= 1 && n <= 9, 'an integer 1..9');
  if (nodes !== undefined) overrides.nodes = nodes;
  const et = num(params, 'et', errors, (n) => n > 0, 'a positive number of ms');
  if (et !== undefined) overrides.electionTimeoutMs = et;
  const hb = num(params, 'hb', errors, (n) => n > 0, 'a positive number of ms');
  if (hb !== undefined) overrides.heartbeatMs = hb;
  const lat = params.get('lat');
  if (lat) {
    const m = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(lat);
    if (m && Number(m[1]) <= Number(m[2])) overrides.latencyMs = [Number(m[1]), Number(m[2])];
    else errors.push(`lat: expected MIN-MAX in ms, got "${lat}"`);
  }
  const loss = num(params, 'loss', errors, (n) => n >= 0 && n <= 1, 'a rate in [0, 1]');
  if (loss !== undefined) overrides.dropRate = loss;
  const dup = num(params, 'dup', errors, (n) => n >= 0 && n <= 1, 'a rate in [0, 1]');
  if (dup !== undefined) overrides.duplicateRate = dup;
  const preVote = bool(params, 'prevote', errors);
  if (preVote !== undefined) overrides.preVote = preVote;
  const checkQuorum = bool(params, 'cq', errors);
  if (checkQuorum !== undefined) overrides.checkQuorum = checkQuorum;
  const unsafe = params.get('unsafe');
  if (unsafe) overrides.unsafe = unsafe.split(',').filter(Boolean);
  let actions: ScenarioActionData[] = [];
  const rawActions = params.get('actions');
  if (rawActions) {
    try {
      // A key given twice in an action is refused, as in a scenario file (JSON.parse would keep the last).
      const parsed: unknown = parseJsonWithoutDuplicateKeys(rawActions);
      if (!Array.isArray(parsed) || !parsed.every((a) => a && typeof a === 'object' && typeof a.at === 'number' && typeof a.do === 'string')) {
        throw new Error('not an array of {at, do, ...}');
      }
      actions = parsed as ScenarioActionData[];
    } catch (e) {
      if (e instanceof DuplicateKeyError) errors.push(`actions${e.duplicate.path}: duplicate key ${JSON.stringify(e.duplicate.key)} (give each key once)`);
      else errors.push(`actions: ${(e as Error).message}`);
    }
  }
  const position = num(params, 'pos', errors, (n) => Number.isSafeInteger(n) && n >= 0, 'a non-negative integer') ?? null;
  return { spec: { scenario, seed, host, overrides, actions, position, runToEnd: params.get('run') === 'end' }, errors };
}

/** The query string (with its leading `?`) that reproduces `spec`. Omits what equals the default. */
export function formatRunUrl(spec: RunSpec): string {
  const p = new URLSearchParams();
  p.set('scenario', spec.scenario);
  if (spec.seed !== null) p.set('seed', String(spec.seed));
  if (spec.host !== 'worker') p.set('host', spec.host);
  const o = spec.overrides;
  if (o.nodes !== undefined) p.set('nodes', String(o.nodes));
  if (o.electionTimeoutMs !== undefined) p.set('et', String(o.electionTimeoutMs));
  if (o.heartbeatMs !== undefined) p.set('hb', String(o.heartbeatMs));
  if (o.latencyMs) p.set('lat', `${o.latencyMs[0]}-${o.latencyMs[1]}`);
  if (o.dropRate !== undefined) p.set('loss', String(o.dropRate));
  if (o.duplicateRate !== undefined) p.set('dup', String(o.duplicateRate));
  if (o.preVote !== undefined) p.set('prevote', o.preVote ? '1' : '0');
  if (o.checkQuorum !== undefined) p.set('cq', o.checkQuorum ? '1' : '0');
  if (o.unsafe && o.unsafe.length > 0) p.set('unsafe', o.unsafe.join(','));
  if (spec.actions.length > 0) p.set('actions', JSON.stringify(spec.actions));
  if (spec.position !== null) p.set('pos', String(spec.position));
  if (spec.runToEnd) p.set('run', 'end');
  return '?' + p.toString().replace(/%2F/g, '/');
}
