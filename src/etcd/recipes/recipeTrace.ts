/**
 * The `recipe` trace event (docs/trace-format.md, "Client, watch and lease events") and its JSON line, with a fixed key order so a
 * run writes the same bytes on every host.
 */
import type { RecipeEventName, RecipeKind } from '../concurrency/recipeClient.ts';

export interface RecipeTraceEvent {
  readonly t: number;
  readonly type: 'recipe';
  readonly client: string;
  readonly recipe: RecipeKind;
  readonly name: string;
  readonly event: RecipeEventName;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Whether a trace event (any shape) is a `recipe` event. */
export function isRecipeEvent(event: object): event is RecipeTraceEvent {
  return (event as { type?: unknown }).type === 'recipe';
}

/** The event as one JSON line (without "\n"); `detail` keeps the order its recipe built it in. */
export function recipeEventJson(e: RecipeTraceEvent): string {
  return `{"t":${e.t},"type":"recipe","client":${JSON.stringify(e.client)},"recipe":"${e.recipe}","name":${JSON.stringify(e.name)},`
    + `"event":"${e.event}","detail":${JSON.stringify(e.detail)}}`;
}
