/**
 * src/etcd: public surface (docs/architecture.md).
 */
export { ClientEndpoint } from './client/clientEndpoint.ts';
export type { ClientBus, ClientOutcome, RequestOptions } from './client/clientPort.ts';
export type { WatchHandlers, WatchSpec } from './client/watchStreams.ts';
export { ClientHistoryCollector, checkClientHistory, clientHistoryOk } from './client/clientHistoryCheck.ts';
export type { ClientHistoryVerdict } from './client/clientHistoryCheck.ts';
export { ClientHub } from './client/clientHub.ts';
export type { ClientDefaults } from './client/clientHub.ts';
export { CLIENT_ACTION_NAMES, clientActionFields, isClientActionName, resolveClientOp, resolveClientSpec } from './client/clientOps.ts';
export type { AnyClientActionName, ClientAction, ClientActionName, ClientSpec } from './client/clientOps.ts';
export { kvEventJson, kvSendJson } from './client/clientTrace.ts';
export type { ClientEvent, KvTraceEvent, LeaseEvent, WatchTraceEvent } from './client/clientTrace.ts';
export { checkWatchStreams } from './client/watchCheck.ts';
export type { WatchCheckResult } from './client/watchCheck.ts';
export type { ClientLayer } from './clientLayer.ts';
export type { RecipeEventName } from './concurrency/recipeClient.ts';
export { queuePrefixOf } from './concurrency/keyQueue.ts';
export { FieldError } from './fieldError.ts';
export { checkRecipes } from './recipes/checks.ts';
export type { ClusterRecipeClient } from './recipes/clusterAdapter.ts';
export { RECIPE_ACTION_NAMES, isRecipeActionName, recipeActionFields } from './recipes/recipeActionFields.ts';
export { parseRecipeAction } from './recipes/recipeActions.ts';
export type { RecipeAction, RecipeActionName } from './recipes/recipeActions.ts';
export { recipeEventJson } from './recipes/recipeTrace.ts';
export type { RecipeTraceEvent } from './recipes/recipeTrace.ts';
export { KvServer } from './server/kvServer.ts';
export type { KvServerOptions } from './server/kvServer.ts';
export type { KvBusMsg, KvStepOutput } from './server/messages.ts';
