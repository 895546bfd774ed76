/**
 * Scenario files: the types, and the validator that turns untrusted JSON into a ResolvedScenario or rejects it
 * with an error naming the offending field (contract: docs/scenarios.md). Nothing runs on bad input. The
 * cluster's settings (`config`, `network`) and their defaults are validated in scenarioConfig.ts, the client
 * and recipe actions by their own parsers in src/etcd.
 */
import type { NodeId } from '../raft/index.ts';
import { DuplicateKeyError, parseJsonWithoutDuplicateKeys } from './jsonDuplicateKeys.ts';
import { MAX_SEED } from './prng.ts';
import { FieldError } from '../etcd/index.ts';
import { isRecipeActionName, RECIPE_ACTION_NAMES, recipeActionFields } from '../etcd/index.ts';
import { parseRecipeAction, type RecipeAction, type RecipeActionName } from '../etcd/index.ts';
import {
  CLIENT_ACTION_NAMES, clientActionFields, isClientActionName, resolveClientOp, resolveClientSpec, type AnyClientActionName,
  type ClientAction, type ClientActionName, type ClientSpec,
} from '../etcd/index.ts';
import { DEFAULT_NETWORK, resolveConfig, resolveNetwork, type NetworkSettings, type SimConfig } from './scenarioConfig.ts';
import { asBoolean, asInteger, asObject, asString, rejectUnknownFields, show } from './scenarioFields.ts';

/** The error every validator throws (re-exported: it is part of the parser's surface). */
export { FieldError };
/** The settings' types and defaults (re-exported: part of the scenario's surface). */
export { DEFAULT_CONFIG, DEFAULT_NETWORK } from './scenarioConfig.ts';
export type { NetworkSettings, SimConfig } from './scenarioConfig.ts';

/**
 * A node named by an action: an id 1..N, or resolved at the moment the action runs. `lastPaused` is accepted by
 * `resume` only (the node paused most recently that is still paused).
 */
export type NodeRef = NodeId | 'leader' | 'lastCrashed' | 'lastPaused';

/** One end of a link named by `cut`/`restore`: a node, or a client (docs/clients.md: clients have their own links). */
export type LinkEnd = NodeRef | { readonly client: string };

/** A member of a `partition` group: a node id, or a client's name. */
export type PartitionMember = NodeId | string;

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

export const DEFAULT_SEED = 1;
/** Cluster sizes accepted: the UI draws up to this many nodes, and the bus keeps an N x N link table. */
export const MAX_NODES = 25;

const TOP_FIELDS = ['name', 'description', 'nodes', 'seed', 'until', 'config', 'network', 'actions'];

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
  ...(Object.fromEntries(CLIENT_ACTION_NAMES.map((name) => [name, clientActionFields(name)])) as Record<AnyClientActionName, { required: string[]; optional: string[] }>),
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
