/**
 * The recipe actions' names and fields (see recipeActions.ts for their meaning and validation). Kept apart and
 * free of imports so the scenario validator can build its action table from it while its modules load, without
 * an import cycle through recipeActions.ts (which needs the validator's FieldError).
 */
import type { RecipeActionName } from './recipeActions.ts';

/** For each recipe action, its fields besides `at`, `do` and `client`. */
const RECIPE_ACTION_FIELDS: Record<RecipeActionName, { required: string[]; optional: string[] }> = {
  campaign: { required: ['election', 'value'], optional: ['ttlMs'] },
  proclaim: { required: ['election', 'value'], optional: [] },
  resign: { required: ['election'], optional: [] },
  observe: { required: ['election'], optional: [] },
  lock: { required: ['mutex'], optional: ['ttlMs'] },
  tryLock: { required: ['mutex'], optional: ['ttlMs'] },
  unlock: { required: ['mutex'], optional: [] },
  register: { required: ['service', 'instance', 'addr'], optional: ['ttlMs'] },
  discover: { required: ['service'], optional: [] },
  cron: { required: ['job', 'everyMs'], optional: ['election', 'ttlMs'] },
  heartbeat: { required: ['service', 'instance', 'addr', 'everyMs'], optional: [] },
  discoverHeartbeats: { required: ['service', 'everyMs'], optional: ['staleAfterMs'] },
};

/** The names of the recipe actions. */
export const RECIPE_ACTION_NAMES = Object.keys(RECIPE_ACTION_FIELDS) as RecipeActionName[];

/** Whether `name` is a recipe action. */
export function isRecipeActionName(name: unknown): name is RecipeActionName {
  return typeof name === 'string' && Object.hasOwn(RECIPE_ACTION_FIELDS, name);
}

/** The fields a recipe action may carry (besides at, do, client): for a validator that checks unknown fields. */
export function recipeActionFields(name: RecipeActionName): { required: string[]; optional: string[] } {
  const spec = RECIPE_ACTION_FIELDS[name];
  return { required: [...spec.required], optional: [...spec.optional] };
}
