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
 *
 * The app writes these parameters into the URL's `#fragment` (never sent to a server, so no server limit on
 * its length): as they are when short (`#scenario=...&seed=7`), deflate-compressed and base64url-encoded past
 * PLAIN_FRAGMENT_MAX_CHARS (`#z=...`). It still reads the query-string links of earlier versions. A link longer
 * than LINK_MAX_CHARS is not offered: the page says to use Export scenario (docs/ui.md, "URL").
 */
import { DuplicateKeyError, parseJsonWithoutDuplicateKeys } from '../sim/index.ts';
import { ACTION_NAMES } from '../sim/index.ts';
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
  return 'inline:' + base64urlText(new TextEncoder().encode(json));
}

/** The JSON text of an `inline:` scenario. Throws an error naming the `scenario` parameter when it is not base64url UTF-8. */
export function decodeInlineScenario(param: string): string {
  const bytes = base64urlBytes(param.slice('inline:'.length), 'scenario');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error('scenario: the inline scenario is not valid UTF-8');
  }
}

/** The bytes of base64url text (no padding needed); throws naming `param` on any other character or length. */
function base64urlBytes(text: string, param: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new Error(`${param}: not valid base64url (letters, digits, "-" and "_" only)`);
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function base64urlText(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The scenario object an `inline:` parameter carries. Throws an error starting with `scenario:` when it is not
 * base64url, not UTF-8, not JSON, or not a JSON object.
 */
export function inlineScenarioJson(param: string): Record<string, unknown> {
  const text = decodeInlineScenario(param);
  let json: unknown;
  try {
    json = parseJsonWithoutDuplicateKeys(text);
  } catch (e) {
    if (e instanceof DuplicateKeyError) {
      throw new Error(`scenario: the inline scenario gives a key twice: ${e.duplicate.path}: duplicate key ${JSON.stringify(e.duplicate.key)}`);
    }
    throw new Error(`scenario: the inline scenario is not valid JSON (${(e as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error(`scenario: the inline scenario must be a JSON object, got ${Array.isArray(json) ? 'an array' : json === null ? 'null' : typeof json}`);
  }
  return json as Record<string, unknown>;
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

/** A shared moment further than this many events into a run is refused (the seek would take hours). */
export const MAX_POSITION_EVENTS = 10_000_000;

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
      actions = parseActions(rawActions);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  const position = num(params, 'pos', errors, (n) => Number.isSafeInteger(n) && n >= 0 && n <= MAX_POSITION_EVENTS,
    `an integer from 0 to ${MAX_POSITION_EVENTS} (events into the run)`) ?? null;
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

/**
 * The `actions` parameter: a JSON array of objects, each with an integer `at` and a known `do` (the simulator
 * validates the rest, and the page reports its errors as `actions[i]...`). Throws an error naming the parameter.
 */
function parseActions(raw: string): ScenarioActionData[] {
  let parsed: unknown;
  try {
    // A key given twice in an action is refused, as in a scenario file (JSON.parse would keep the last).
    parsed = parseJsonWithoutDuplicateKeys(raw);
  } catch (e) {
    if (e instanceof DuplicateKeyError) throw new Error(`actions${e.duplicate.path}: duplicate key ${JSON.stringify(e.duplicate.key)} (give each key once)`);
    throw new Error(`actions: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new Error('actions: expected a JSON array of actions');
  parsed.forEach((a: unknown, i) => {
    if (a === null || typeof a !== 'object' || Array.isArray(a)) throw new Error(`actions[${i}]: expected an object {at, do, ...}`);
    const action = a as Record<string, unknown>;
    if (!Number.isSafeInteger(action.at) || (action.at as number) < 0) throw new Error(`actions[${i}].at: expected a non-negative integer (virtual ms)`);
    // An own, listed name only: `toString` or `constructor` are not actions (no lookup through the prototype).
    if (typeof action.do !== 'string' || !(ACTION_NAMES as readonly string[]).includes(action.do)) {
      throw new Error(`actions[${i}].do: unknown action ${JSON.stringify(action.do) ?? 'undefined'} (known: ${ACTION_NAMES.join(', ')})`);
    }
  });
  return parsed as ScenarioActionData[];
}

/** Fragments up to this length are written as plain parameters (readable); longer ones are compressed. */
export const PLAIN_FRAGMENT_MAX_CHARS = 2000;
/** Longest link "Copy link" offers (32 KB): longer ones break in chat tools and mail; use Export scenario. */
export const LINK_MAX_CHARS = 32 * 1024;

/**
 * The `#fragment` (without `#`) that carries `spec`: its parameters as they are when short, else `z=` and the
 * deflate-raw compressed parameters in base64url.
 */
export async function formatRunFragment(spec: RunSpec): Promise<string> {
  const plain = formatRunUrl(spec).slice(1);
  if (plain.length <= PLAIN_FRAGMENT_MAX_CHARS) return plain;
  return 'z=' + base64urlText(await deflateRaw(new TextEncoder().encode(plain)));
}

/**
 * The run parameters a location carries, as a query string with its `?`: the fragment's (plain or `z=`) when it
 * has any, else the query string's (links of earlier versions). Throws an error naming `z` when it cannot be read.
 */
export async function runParamsOfLocation(search: string, hash: string): Promise<string> {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (fragment === '') return search;
  const params = new URLSearchParams(fragment);
  const z = params.get('z');
  if (z === null) return '?' + fragment;
  const bytes = base64urlBytes(z, 'z');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await inflateRaw(bytes));
  } catch (e) {
    if ((e as Error).message.startsWith('z:')) throw e;
    throw new Error('z: not a compressed run (the link is damaged or cut short)');
  }
  return '?' + text;
}

async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  return streamBytes(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw')));
}

/** Inflates at most MAX_INFLATED_BYTES: a small hostile link must not expand into gigabytes. */
const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

async function inflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  return streamBytes(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw')), MAX_INFLATED_BYTES);
}

async function streamBytes(stream: ReadableStream<Uint8Array>, maxBytes = Infinity): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > maxBytes) {
      await reader.cancel();
      throw new Error(`z: expands past ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const c of chunks) { out.set(c, offset); offset += c.length; }
  return out;
}
