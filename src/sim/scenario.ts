/**
 * Scenario files: the types, the documented defaults, and the validator that turns untrusted JSON into a
 * ResolvedScenario or rejects it with an error naming the offending field (contract:
 * docs/scenarios.md). Nothing runs on bad input.
 */
import { UNSAFE_NAMES, type NodeId, type UnsafeName } from '../raft/index.ts';
import { DuplicateKeyError, parseJsonWithoutDuplicateKeys } from './jsonDuplicateKeys.ts';
import { MAX_SEED } from './prng.ts';
import { FieldError } from '../etcd/index.ts';

/** The error every validator throws (re-exported: it is part of the parser's surface). */
export { FieldError };
import { isRecipeActionName, RECIPE_ACTION_NAMES, recipeActionFields } from '../etcd/index.ts';
import { parseRecipeAction, type RecipeAction, type RecipeActionName } from '../etcd/index.ts';
import {
  clientActionFields, isClientActionName, resolveClientOp, resolveClientSpec, type AnyClientActionName, type ClientAction,
  type ClientActionName, type ClientSpec,
} from '../etcd/index.ts';

/**
 * A node named by an action: an id 1..N, or resolved at the moment the action runs. `lastPaused` is accepted by
 * `resume` only (the node paused most recently that is still paused).
 */
export type NodeRef = NodeId | 'leader' | 'lastCrashed' | 'lastPaused';

/** One end of a link named by `cut`/`restore`: a node, or a client (docs/clients.md: clients have their own links). */
export type LinkEnd = NodeRef | { readonly client: string };

/** A member of a `partition` group: a node id, or a client's name. */
export type PartitionMember = NodeId | string;

/** The effective cluster configuration (every field filled in); written to the trace header as is. */
export interface SimConfig {
  /** Base election timeout: each node draws its timeout in [base, 2*base) (Raft §5.2). Multiple of tickMs. */
  readonly electionTimeoutMs: number;
  /** Leader heartbeat interval. Invariant: tickMs <= heartbeatMs < electionTimeoutMs, a multiple of tickMs. */
  readonly heartbeatMs: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  /** Virtual ms between two ticks of a node's logical clock. */
  readonly tickMs: number;
  readonly readOnly: 'safe' | 'lease';
  readonly disableProposalForwarding: boolean;
  readonly maxInflight: number;
  readonly maxEntriesPerMsg: number;
  /** Deliberately broken core variants switched on (teaching and checker tests). */
  readonly unsafe: readonly UnsafeName[];
}

/** The effective network settings, applied to every directed link. */
export interface NetworkSettings {
  /** One-way delay, drawn uniformly in [min, max] ms (inclusive) per message. */
  readonly latencyMs: readonly [number, number];
  /** Probability in [0, 1] that a message is lost. */
  readonly dropRate: number;
  /** Probability in [0, 1] that a message is delivered twice (same id, independent delays). */
  readonly duplicateRate: number;
}

interface ActionBase {
  /** Virtual ms at which the action runs. */
  readonly at: number;
  /** The action exactly as written in the file (every field, in the file's key order): traced verbatim. */
  readonly written: Readonly<Record<string, unknown>>;
}

export type ScenarioAction =
  | (ActionBase & { readonly do: 'restart' | 'isolate' | 'timeout'; readonly node: NodeRef })
  /** `dropInFlight`: the node's messages still on the wire are lost with it (what it had not yet sent). */
  | (ActionBase & { readonly do: 'crash'; readonly node: NodeRef; readonly dropInFlight: boolean })
  | (ActionBase & { readonly do: 'propose'; readonly node: NodeRef; readonly data: string })
  | (ActionBase & { readonly do: 'partition'; readonly groups: readonly (readonly PartitionMember[])[] })
  | (ActionBase & { readonly do: 'heal' })
  | (ActionBase & { readonly do: 'cut' | 'restore'; readonly from: LinkEnd; readonly to: LinkEnd })
  | (ActionBase & { readonly do: 'transfer'; readonly to: NodeRef })
  | (ActionBase & { readonly do: 'network'; readonly settings: Partial<NetworkSettings> })
  /** A process pause (docs/scenarios.md, "Process pauses"): of a node, or of a client (then `client` names it). */
  | (ActionBase & { readonly do: PauseActionName; readonly node: NodeRef })
  | (ActionBase & { readonly do: PauseActionName; readonly client: string })
  | (ActionBase & { readonly do: 'client'; readonly spec: ClientSpec })
  | (ActionBase & { readonly do: 'killClient'; readonly client: string })
  /** A client's key-value, lease or watch operation, parsed once (clientOps.ts): the client runs `op` as is. */
  | (ActionBase & { readonly do: ClientActionName; readonly client: string; readonly op: ClientAction })
  | (ActionBase & { readonly do: RecipeActionName; readonly client: string; readonly recipe: RecipeAction });

/** The actions that stop and continue a process (a node or a client) without crashing it. */
export type PauseActionName = 'pause' | 'resume';

export type ActionName = ScenarioAction['do'];
type RaftActionName = Exclude<ActionName, AnyClientActionName | RecipeActionName>;

/** A validated scenario with every default filled in. Actions are sorted by `at`, file order kept on ties. */
export interface ResolvedScenario {
  readonly name: string;
  readonly description: string;
  /** Cluster size N: the nodes are 1..N. */
  readonly nodes: number;
  readonly seed: number;
  /** The run ends after every event with t <= until. */
  readonly until: number;
  readonly config: SimConfig;
  readonly network: NetworkSettings;
  readonly actions: readonly ScenarioAction[];
}

/** The documented defaults (docs/scenarios.md). */
export const DEFAULT_CONFIG: SimConfig = {
  electionTimeoutMs: 1000,
  heartbeatMs: 100,
  preVote: true,
  checkQuorum: true,
  tickMs: 10,
  readOnly: 'safe',
  disableProposalForwarding: false,
  maxInflight: 256,
  maxEntriesPerMsg: 64,
  unsafe: [],
};
export const DEFAULT_NETWORK: NetworkSettings = { latencyMs: [10, 30], dropRate: 0, duplicateRate: 0 };
export const DEFAULT_SEED = 1;
/** Cluster sizes accepted: the UI draws up to this many nodes, and the bus keeps an N x N link table. */
export const MAX_NODES = 25;


const TOP_FIELDS = ['name', 'description', 'nodes', 'seed', 'until', 'config', 'network', 'actions'];
const CONFIG_FIELDS = Object.keys(DEFAULT_CONFIG);
const NETWORK_FIELDS = Object.keys(DEFAULT_NETWORK);

/** For each action, the fields it takes besides `at` and `do`, and which of them are required. */
const RAFT_ACTION_FIELDS: Record<RaftActionName, { required: string[]; optional: string[] }> = {
  crash: { required: ['node'], optional: ['dropInFlight'] },
  restart: { required: ['node'], optional: [] },
  isolate: { required: ['node'], optional: [] },
  timeout: { required: ['node'], optional: [] },
  propose: { required: ['node', 'data'], optional: [] },
  partition: { required: ['groups'], optional: [] },
  heal: { required: [], optional: [] },
  cut: { required: ['from', 'to'], optional: [] },
  restore: { required: ['from', 'to'], optional: [] },
  transfer: { required: ['to'], optional: [] },
  network: { required: [], optional: ['latencyMs', 'dropRate', 'duplicateRate'] },
  // Exactly one of the two (checked in resolvePause).
  pause: { required: [], optional: ['node', 'client'] },
  resume: { required: [], optional: ['node', 'client'] },
};
const ACTION_FIELDS: Record<ActionName, { required: string[]; optional: string[] }> = {
  ...RAFT_ACTION_FIELDS,
  ...(Object.fromEntries(
    (['client', 'killClient', 'put', 'get', 'delete', 'txn', 'grant', 'keepalive', 'revoke', 'watch', 'cancelWatch', 'compact'] as const)
      .map((name) => [name, clientActionFields(name)]),
  ) as Record<AnyClientActionName, { required: string[]; optional: string[] }>),
  // The recipes (docs/recipes.md): they name a client too.
  ...(Object.fromEntries(RECIPE_ACTION_NAMES.map((name) => {
    const spec = recipeActionFields(name);
    return [name, { required: ['client', ...spec.required], optional: spec.optional }];
  })) as Record<RecipeActionName, { required: string[]; optional: string[] }>),
};
export const ACTION_NAMES = Object.keys(ACTION_FIELDS) as ActionName[];

/**
 * Parses and validates scenario text. Throws FieldError naming the field on any bad input, a key given twice
 * in one object included (JSON.parse would keep the last one silently).
 * @param seedOverride the CLI's --seed, which replaces the file's seed.
 */
export function parseScenario(text: string, seedOverride?: number): ResolvedScenario {
  return resolveScenario(parseScenarioJson(text), seedOverride);
}

/** Scenario text as JSON, refusing malformed JSON (field `(file)`) and duplicate keys (naming the key's path). */
export function parseScenarioJson(text: string): unknown {
  try {
    return parseJsonWithoutDuplicateKeys(text);
  } catch (error) {
    if (error instanceof DuplicateKeyError) {
      throw new FieldError(error.duplicate.path, `duplicate key ${JSON.stringify(error.duplicate.key)} (JSON would keep only the last one; give each key once)`);
    }
    throw new FieldError('(file)', `malformed JSON: ${(error as Error).message}`);
  }
}

/** Validates an already parsed scenario object (see parseScenario). */
export function resolveScenario(json: unknown, seedOverride?: number): ResolvedScenario {
  const top = asObject(json, '(scenario)');
  rejectUnknownFields(top, TOP_FIELDS, '', 'a scenario');
  const name = top.name === undefined ? '' : asString(top.name, 'name');
  const description = top.description === undefined ? '' : asString(top.description, 'description');
  if (top.nodes === undefined) throw new FieldError('nodes', 'required (the cluster size, 1..' + MAX_NODES + ')');
  const nodes = asInteger(top.nodes, 'nodes', 1, MAX_NODES);
  let seed = top.seed === undefined ? DEFAULT_SEED : asInteger(top.seed, 'seed', 0, MAX_SEED);
  if (seedOverride !== undefined) seed = asInteger(seedOverride, '--seed', 0, MAX_SEED);
  if (top.until === undefined) throw new FieldError('until', 'required (virtual ms at which the run ends)');
  const until = asInteger(top.until, 'until', 0, Number.MAX_SAFE_INTEGER);
  const config = resolveConfig(top.config);
  const network = top.network === undefined ? DEFAULT_NETWORK : { ...DEFAULT_NETWORK, ...resolveNetwork(top.network, 'network') };
  const actions = top.actions === undefined ? [] : resolveActions(top.actions, nodes);
  return { name, description, nodes, seed, until, config, network, actions };
}

function resolveConfig(value: unknown): SimConfig {
  if (value === undefined) return DEFAULT_CONFIG;
  const raw = asObject(value, 'config');
  rejectUnknownFields(raw, CONFIG_FIELDS, 'config.', 'config');
  const pick = <K extends keyof SimConfig>(key: K, read: (v: unknown, field: string) => SimConfig[K]): SimConfig[K] =>
    raw[key] === undefined ? DEFAULT_CONFIG[key] : read(raw[key], `config.${key}`);
  const tickMs = pick('tickMs', (v, f) => asInteger(v, f, 1, 1_000_000));
  const electionTimeoutMs = pick('electionTimeoutMs', (v, f) => asInteger(v, f, 1, 100_000_000));
  const heartbeatMs = pick('heartbeatMs', (v, f) => asInteger(v, f, 1, 100_000_000));
  if (electionTimeoutMs % tickMs !== 0) {
    throw new FieldError('config.electionTimeoutMs', `must be a multiple of tickMs (${tickMs}), got ${electionTimeoutMs}`);
  }
  if (heartbeatMs % tickMs !== 0) {
    throw new FieldError('config.heartbeatMs', `must be a multiple of tickMs (${tickMs}), got ${heartbeatMs}`);
  }
  if (heartbeatMs >= electionTimeoutMs) {
    throw new FieldError('config.heartbeatMs', `must be less than electionTimeoutMs (${electionTimeoutMs}), got ${heartbeatMs}`);
  }
  const preVote = pick('preVote', asBoolean);
  const checkQuorum = pick('checkQuorum', asBoolean);
  const readOnly = pick('readOnly', (v, f) => asEnum(v, f, ['safe', 'lease'] as const));
  if (readOnly === 'lease' && !checkQuorum) {
    throw new FieldError('config.readOnly', '"lease" reads are only safe with checkQuorum: true');
  }
  const unsafe = pick('unsafe', (v, f) => {
    if (!Array.isArray(v)) throw new FieldError(f, `must be an array of names (${UNSAFE_NAMES.join(', ')})`);
    return v.map((name, i) => asEnum(name, `${f}[${i}]`, UNSAFE_NAMES));
  });
  return {
    electionTimeoutMs,
    heartbeatMs,
    preVote,
    checkQuorum,
    tickMs,
    readOnly,
    disableProposalForwarding: pick('disableProposalForwarding', asBoolean),
    maxInflight: pick('maxInflight', (v, f) => asInteger(v, f, 1, 1_000_000)),
    maxEntriesPerMsg: pick('maxEntriesPerMsg', (v, f) => asInteger(v, f, 1, 1_000_000)),
    unsafe,
  };
}

/** Validates network settings (all fields optional); `path` prefixes field names in errors. */
function resolveNetwork(value: unknown, path: string): Partial<NetworkSettings> {
  const raw = asObject(value, path);
  rejectUnknownFields(raw, NETWORK_FIELDS, `${path}.`, path);
  const out: { latencyMs?: [number, number]; dropRate?: number; duplicateRate?: number } = {};
  if (raw.latencyMs !== undefined) {
    const f = `${path}.latencyMs`;
    const range = raw.latencyMs;
    if (!Array.isArray(range) || range.length !== 2) throw new FieldError(f, `must be [minMs, maxMs], got ${show(range)}`);
    const min = asInteger(range[0], `${f}[0]`, 0, 100_000_000);
    const max = asInteger(range[1], `${f}[1]`, 0, 100_000_000);
    if (max < min) throw new FieldError(f, `max (${max}) is less than min (${min})`);
    out.latencyMs = [min, max];
  }
  if (raw.dropRate !== undefined) out.dropRate = asProbability(raw.dropRate, `${path}.dropRate`);
  if (raw.duplicateRate !== undefined) out.duplicateRate = asProbability(raw.duplicateRate, `${path}.duplicateRate`);
  return out;
}

function resolveActions(value: unknown, nodes: number): ScenarioAction[] {
  if (!Array.isArray(value)) throw new FieldError('actions', `must be an array, got ${show(value)}`);
  const actions = value.map((item, i) => resolveAction(item, `actions[${i}]`, nodes));
  // Stable sort: equal `at` keep file order (the contract's tie rule).
  const sorted = actions.map((a, i) => ({ a, i })).sort((x, y) => x.a.at - y.a.at || x.i - y.i);
  checkClientsExist(sorted);
  return sorted.map((x) => x.a);
}

/** Every action naming a client comes after (in run order) the `client` action creating it, and a name is created once. */
function checkClientsExist(sorted: readonly { a: ScenarioAction; i: number }[]): void {
  const created = new Set<string>();
  const need = (name: string, field: string): void => {
    if (!created.has(name)) throw new FieldError(field, `unknown client ${show(name)} (no earlier "client" action creates it)`);
  };
  for (const { a, i } of sorted) {
    const path = `actions[${i}]`;
    switch (a.do) {
      case 'client':
        if (created.has(a.spec.client)) throw new FieldError(`${path}.client`, `client ${show(a.spec.client)} is already created`);
        created.add(a.spec.client);
        break;
      case 'cut':
      case 'restore':
        if (typeof a.from === 'object') need(a.from.client, `${path}.from`);
        if (typeof a.to === 'object') need(a.to.client, `${path}.to`);
        break;
      case 'partition':
        a.groups.forEach((group, g) => group.forEach((m, k) => {
          if (typeof m === 'string') need(m, `${path}.groups[${g}][${k}]`);
        }));
        break;
      default:
        if ('client' in a) need(a.client, `${path}.client`);
    }
  }
}

/**
 * Validates one action object (a scenario's `actions[i]`, a UI command, a fuzzer's fault) for a cluster of
 * `nodes`; `path` prefixes field names in errors.
 */
export function parseAction(value: unknown, nodes: number, path = 'action'): ScenarioAction {
  return resolveAction(value, path, nodes);
}

function resolveAction(value: unknown, path: string, nodes: number): ScenarioAction {
  const raw = asObject(value, path);
  if (raw.do === undefined) throw new FieldError(`${path}.do`, `required (one of ${ACTION_NAMES.join(', ')})`);
  // Object.hasOwn, not `in`: "constructor", "toString", "__proto__"... are inherited by every object, not actions.
  if (typeof raw.do !== 'string' || !Object.hasOwn(ACTION_FIELDS, raw.do)) {
    throw new FieldError(`${path}.do`, `unknown action ${show(raw.do)} (known: ${ACTION_NAMES.join(', ')})`);
  }
  const name = raw.do as ActionName;
  const spec = ACTION_FIELDS[name];
  rejectUnknownFields(raw, ['at', 'do', ...spec.required, ...spec.optional], `${path}.`, `action "${name}"`);
  if (raw.at === undefined) throw new FieldError(`${path}.at`, 'required (virtual ms)');
  const at = asInteger(raw.at, `${path}.at`, 0, Number.MAX_SAFE_INTEGER);
  for (const field of spec.required) {
    if (raw[field] === undefined) throw new FieldError(`${path}.${field}`, `required by action "${name}"`);
  }
  const written = raw;
  const ref = (field: string): NodeRef => asNodeRef(raw[field], `${path}.${field}`, nodes);
  const end = (field: string): LinkEnd => asLinkEnd(raw[field], `${path}.${field}`, nodes);
  switch (name) {
    case 'crash': {
      const dropInFlight = raw.dropInFlight === undefined ? false : asBoolean(raw.dropInFlight, `${path}.dropInFlight`);
      return { at, written, do: name, node: ref('node'), dropInFlight };
    }
    case 'restart':
    case 'isolate':
    case 'timeout':
      return { at, written, do: name, node: ref('node') };
    case 'propose':
      return { at, written, do: name, node: ref('node'), data: asString(raw.data, `${path}.data`) };
    case 'partition':
      return { at, written, do: name, groups: asGroups(raw.groups, `${path}.groups`, nodes) };
    case 'heal':
      return { at, written, do: name };
    case 'cut':
    case 'restore': {
      const from = end('from');
      const to = end('to');
      if (typeof from === 'number' && from === to) throw new FieldError(`${path}.to`, `a link joins two different nodes, both are ${from}`);
      if (typeof from === 'object' && typeof to === 'object') throw new FieldError(`${path}.to`, 'a client has links to nodes only, not to other clients');
      return { at, written, do: name, from, to };
    }
    case 'transfer':
      return { at, written, do: name, to: ref('to') };
    case 'pause':
    case 'resume':
      return resolvePause(name, raw, at, path, nodes);
    case 'network': {
      const { at: _at, do: _do, ...settings } = raw;
      return { at, written, do: name, settings: resolveNetwork(settings, path) };
    }
    case 'client':
      return { at, written, do: name, spec: resolveClientSpec(raw, path, nodes) };
    case 'killClient':
      return { at, written, do: name, client: resolveClientSpec({ ...raw, via: 'any' }, path, nodes).client };
    default:
      if (isRecipeActionName(name)) {
        const recipe = parseRecipeAction(raw, path);
        return { at, written, do: name, client: recipe.client, recipe };
      }
      if (!isClientActionName(name)) throw new FieldError(`${path}.do`, `unknown action ${show(name)}`);
      return { at, written, do: name, ...resolveClientOp(name, raw, path) };
  }
}

/** `pause`/`resume`: of a node (`node`) or of a client (`client`), exactly one of the two. */
function resolvePause(name: PauseActionName, raw: Record<string, unknown>, at: number, path: string, nodes: number): ScenarioAction {
  const written = raw;
  if (raw.node !== undefined && raw.client !== undefined) {
    throw new FieldError(`${path}.client`, `action "${name}" takes either "node" or "client", not both`);
  }
  if (raw.client !== undefined) {
    return { at, written, do: name, client: resolveClientSpec({ client: raw.client, via: 'any' }, path, 1).client };
  }
  if (raw.node === undefined) throw new FieldError(`${path}.node`, `required by action "${name}" (or "client", to ${name} a client)`);
  if (name === 'resume' && raw.node === 'lastPaused') return { at, written, do: name, node: 'lastPaused' };
  return { at, written, do: name, node: asNodeRef(raw.node, `${path}.node`, nodes) };
}

function asGroups(value: unknown, path: string, nodes: number): PartitionMember[][] {
  if (!Array.isArray(value)) throw new FieldError(path, `must be an array of node-id arrays, got ${show(value)}`);
  const seen = new Map<PartitionMember, string>();
  return value.map((group, g) => {
    if (!Array.isArray(group)) throw new FieldError(`${path}[${g}]`, `must be an array of node ids, got ${show(group)}`);
    return group.map((id, k) => {
      const field = `${path}[${g}][${k}]`;
      const node = typeof id === 'string' ? asClientRef(id, field).client : asNodeId(id, field, nodes);
      const earlier = seen.get(node);
      if (earlier) throw new FieldError(field, `${typeof node === 'string' ? 'client' : 'node'} ${node} is already in ${earlier}`);
      seen.set(node, `${path}[${g}]`);
      return node;
    });
  });
}

/** A link end: a node reference, or any other string as a client's name (checked against the clients created). */
function asLinkEnd(value: unknown, field: string, nodes: number): LinkEnd {
  if (typeof value === 'string' && value !== 'leader' && value !== 'lastCrashed') return asClientRef(value, field);
  return asNodeRef(value, field, nodes);
}

function asClientRef(value: string, field: string): { client: string } {
  return { client: resolveClientSpec({ client: value, via: 'any' }, field, 1).client };
}

function asNodeRef(value: unknown, field: string, nodes: number): NodeRef {
  if (value === 'leader' || value === 'lastCrashed') return value;
  if (typeof value === 'string') throw new FieldError(field, `unknown node ${show(value)} (a node id 1..${nodes}, "leader" or "lastCrashed")`);
  return asNodeId(value, field, nodes);
}

function asNodeId(value: unknown, field: string, nodes: number): NodeId {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new FieldError(field, `must be a node id (an integer 1..${nodes}), got ${show(value)}`);
  }
  if (value < 1 || value > nodes) throw new FieldError(field, `unknown node ${value} (cluster has nodes 1..${nodes})`);
  return value;
}

function rejectUnknownFields(raw: Record<string, unknown>, allowed: string[], prefix: string, what: string): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) {
      throw new FieldError(`${prefix}${key}`, `unknown field for ${what} (allowed: ${allowed.join(', ')})`);
    }
  }
}

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FieldError(field, `must be a JSON object, got ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

function asInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new FieldError(field, `must be an integer, got ${show(value)}`);
  if (!Number.isInteger(value)) throw new FieldError(field, `must be an integer, got ${value}`);
  if (value < min) throw new FieldError(field, value < 0 ? `must not be negative, got ${value}` : `must be at least ${min}, got ${value}`);
  if (value > max) throw new FieldError(field, `must be at most ${max}, got ${value}`);
  return value;
}

function asProbability(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new FieldError(field, `must be a probability in [0, 1], got ${show(value)}`);
  }
  return value;
}

function asBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new FieldError(field, `must be true or false, got ${show(value)}`);
  return value;
}

function asString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new FieldError(field, `must be a string, got ${show(value)}`);
  return value;
}

function asEnum<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new FieldError(field, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${show(value)}`);
  }
  return value as T;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  // JSON reads 1e400 as Infinity, which JSON.stringify would print as null: say what the number became.
  if (typeof value === 'number' && !Number.isFinite(value)) return `${value} (a number too large for JSON's doubles)`;
  const text = JSON.stringify(value);
  return text.length > 40 ? text.slice(0, 37) + '...' : text;
}
