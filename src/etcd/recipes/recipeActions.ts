/**
 * The scenario actions that run recipes (docs/scenarios.md and docs/recipes.md, "Scenario actions": campaign, resign, observe,
 * lock, unlock, register, discover, cron), plus four additions documented in docs/recipes.md: proclaim and
 * tryLock (etcd's Proclaim and TryLock), heartbeat and discoverHeartbeats (the heartbeat-timestamp pattern).
 * parseRecipeAction validates one, naming the bad field, for the scenario validator and the UI.
 */
import { FieldError } from '../fieldError.ts';
import { defaultCronElection } from './cron.ts';
import { isRecipeActionName, RECIPE_ACTION_NAMES, recipeActionFields } from './recipeActionFields.ts';

/** etcd's default session TTL (client/v3/concurrency session.go: 60 s), used when an action gives none. */
export const DEFAULT_SESSION_TTL_MS = 60_000;

interface RecipeActionBase {
  readonly at: number;
  readonly client: string;
}

export type RecipeAction =
  | (RecipeActionBase & { readonly do: 'campaign'; readonly election: string; readonly value: string; readonly ttlMs: number })
  | (RecipeActionBase & { readonly do: 'proclaim'; readonly election: string; readonly value: string })
  | (RecipeActionBase & { readonly do: 'resign' | 'observe'; readonly election: string })
  | (RecipeActionBase & { readonly do: 'lock' | 'tryLock'; readonly mutex: string; readonly ttlMs: number })
  | (RecipeActionBase & { readonly do: 'unlock'; readonly mutex: string })
  | (RecipeActionBase & {
    readonly do: 'register'; readonly service: string; readonly instance: string; readonly addr: string; readonly ttlMs: number;
  })
  | (RecipeActionBase & { readonly do: 'discover'; readonly service: string })
  | (RecipeActionBase & {
    readonly do: 'cron'; readonly job: string; readonly everyMs: number; readonly election: string; readonly ttlMs: number;
  })
  | (RecipeActionBase & {
    readonly do: 'heartbeat'; readonly service: string; readonly instance: string; readonly addr: string; readonly everyMs: number;
  })
  | (RecipeActionBase & {
    readonly do: 'discoverHeartbeats'; readonly service: string; readonly everyMs: number; readonly staleAfterMs: number;
  });

/** The recipe actions' names (their field table is in recipeActionFields.ts). */
export type RecipeActionName = RecipeAction['do'];

/**
 * Validates a recipe action object (`at`, `do`, `client` and its own fields; no others). Throws FieldError
 * naming the field (`${path}.ttlMs`, ...).
 */
export function parseRecipeAction(raw: Readonly<Record<string, unknown>>, path: string): RecipeAction {
  const name = raw.do;
  if (!isRecipeActionName(name)) {
    throw new FieldError(`${path}.do`, `not a recipe action (one of ${RECIPE_ACTION_NAMES.join(', ')})`);
  }
  const spec = recipeActionFields(name);
  const allowed = ['at', 'do', 'client', ...spec.required, ...spec.optional];
  for (const field of Object.keys(raw)) {
    if (!allowed.includes(field)) {
      throw new FieldError(`${path}.${field}`, `unknown field for action "${name}" (allowed: ${allowed.join(', ')})`);
    }
  }
  for (const field of ['at', 'client', ...spec.required]) {
    if (raw[field] === undefined) throw new FieldError(`${path}.${field}`, `required by action "${name}"`);
  }
  const at = integer(raw.at, `${path}.at`, 0);
  const client = nonEmpty(raw.client, `${path}.client`);
  const text = (field: string): string => nonEmpty(raw[field], `${path}.${field}`);
  const ttlMs = (): number => (raw.ttlMs === undefined ? DEFAULT_SESSION_TTL_MS : integer(raw.ttlMs, `${path}.ttlMs`, 1));
  const base = { at, client };
  switch (name) {
    case 'campaign':
      return { ...base, do: name, election: text('election'), value: string(raw.value, `${path}.value`), ttlMs: ttlMs() };
    case 'proclaim':
      return { ...base, do: name, election: text('election'), value: string(raw.value, `${path}.value`) };
    case 'resign':
    case 'observe':
      return { ...base, do: name, election: text('election') };
    case 'lock':
    case 'tryLock':
      return { ...base, do: name, mutex: text('mutex'), ttlMs: ttlMs() };
    case 'unlock':
      return { ...base, do: name, mutex: text('mutex') };
    case 'register':
      return { ...base, do: name, service: text('service'), instance: text('instance'), addr: text('addr'), ttlMs: ttlMs() };
    case 'discover':
      return { ...base, do: name, service: text('service') };
    case 'cron': {
      const job = text('job');
      const election = raw.election === undefined ? defaultCronElection(job) : text('election');
      return { ...base, do: name, job, everyMs: integer(raw.everyMs, `${path}.everyMs`, 1), election, ttlMs: ttlMs() };
    }
    case 'heartbeat':
      return {
        ...base, do: name, service: text('service'), instance: text('instance'), addr: text('addr'),
        everyMs: integer(raw.everyMs, `${path}.everyMs`, 1),
      };
    case 'discoverHeartbeats': {
      const everyMs = integer(raw.everyMs, `${path}.everyMs`, 1);
      const staleAfterMs = raw.staleAfterMs === undefined ? 3 * everyMs : integer(raw.staleAfterMs, `${path}.staleAfterMs`, 1);
      return { ...base, do: name, service: text('service'), everyMs, staleAfterMs };
    }
  }
}

function integer(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new FieldError(field, `must be an integer, got ${show(value)}`);
  if (value < min) throw new FieldError(field, `must be at least ${min}, got ${value}`);
  return value;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new FieldError(field, `must be a string, got ${show(value)}`);
  return value;
}

function nonEmpty(value: unknown, field: string): string {
  const text = string(value, field);
  if (text === '') throw new FieldError(field, 'must not be empty');
  return text;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
