/**
 * The clients and their recipes, wired into the world: the hub is built on first need from the injected client
 * layer (so a Raft-only run never loads it) and given the world's bus, clock, timers and PRNG as ports; client
 * actions (create, kill, pause, a request, a recipe step, a cut of a client's link) run here.
 */
import type { NodeId } from '../../raft/types.ts';
import type { ClientEndpoint, ClientHub, ClusterRecipeClient, KvBusMsg } from '../../etcd/index.ts';
import type { ScenarioAction } from '../scenario.ts';
import type { ActionEvent } from '../traceEvents.ts';
import { sendKv } from './bus.ts';
import { CLIENT_TIMER, KV_DELIVER } from './queueItems.ts';
import type { WorldCore } from './worldCore.ts';

/** World.clientHub: the clients of this run, created on first need. Throws without a client layer. */
export function clientHubOf(core: WorldCore): ClientHub {
  if (!core.clients) {
    const layer = core.clientLayer;
    if (!layer) throw new Error('WorldOptions.clientLayer: this run names a client, but the world was created without a client layer (pass kvClients from src/etcd/kvClients.ts)');
    const now = (): number => core.now;
    core.clients = layer.createHub({
      get nowMs() {
        return now();
      },
      nodeCount: core.scenario.nodes,
      sendKv: (msg) => sendKv(core, msg),
      setClientTimer: (atMs, client, timer) => core.queue.push({
        time: atMs, seq: 0, kind: CLIENT_TIMER, client, timer, frozenMs: core.clientFrozenMs.get(client) ?? 0,
      }),
      emit: (event) => core.emit(event),
      random: core.prng,
    }, core.scenario.config.electionTimeoutMs);
  }
  return core.clients;
}

/** `client`: creates a client (the hub, too, if it is the first). */
export function runCreateClient(core: WorldCore, a: Extract<ScenarioAction, { do: 'client' }>, base: ActionEvent): undefined {
  const created = clientHubOf(core).create(a.spec);
  if (typeof created === 'string') return core.noop(base, created);
  core.emit({ ...base, node: created.node });
  return undefined;
}

/** `pause`/`resume` of a client: its messages wait, its timers stand still. */
export function runClientPause(core: WorldCore, a: Extract<ScenarioAction, { do: 'pause' | 'resume'; client: string }>, base: ActionEvent): undefined {
  const name = a.client;
  const client = core.clients?.get(name);
  if (!client) return core.noop(base, `unknown client ${name}`);
  if (client.killed) return core.noop(base, `client ${name} was killed`);
  const pause = core.clientPauses.get(name);
  const t = core.now;
  if (a.do === 'pause') {
    if (pause) return core.noop(base, `client ${name} is already paused`);
    core.emit(base);
    core.clientPauses.set(name, { sinceMs: t, held: [] });
    core.emit({ t, type: 'pause', client: name });
    return undefined;
  }
  if (!pause) return core.noop(base, `client ${name} is not paused`);
  core.emit(base);
  core.clientPauses.delete(name);
  const frozenMs = (core.clientFrozenMs.get(name) ?? 0) + (t - pause.sinceMs);
  core.clientFrozenMs.set(name, frozenMs);
  core.emit({ t, type: 'resume', client: name });
  // Messages first, in arrival order; the timers that came due go back on the queue, frozen for the pause.
  for (const item of pause.held) {
    if (item.kind === CLIENT_TIMER) core.queue.push({ ...item, time: item.time + (frozenMs - item.frozenMs), frozenMs });
    else if (!client.killed) {
      core.emit({ t, type: 'deliver', id: item.id });
      core.clients!.deliver(item.msg as Extract<KvBusMsg, { to: string }>);
    }
  }
  return undefined;
}

/** `cut`/`restore` of a link between a client and a node. */
export function runClientLinkAction(core: WorldCore, a: Extract<ScenarioAction, { do: 'cut' | 'restore' }>, base: ActionEvent): undefined {
  const end = (e: typeof a.from): NodeId | string => (typeof e === 'object' ? e.client : core.resolveNode(e));
  const from = end(a.from);
  const to = end(a.to);
  if (from === 0 || to === 0) {
    const unresolved = from === 0 ? a.from : a.to;
    return core.noop(base, unresolved === 'leader' ? 'no leader' : 'no crashed node');
  }
  clientHubOf(core).setCut(from, to, a.do === 'cut');
  core.emit({ ...base, ...(typeof from === 'number' ? { from } : {}), ...(typeof to === 'number' ? { to } : {}) });
  return undefined;
}

/** The recipes of a client (they run in it, through its requests and timers). */
function recipeClientOf(core: WorldCore, client: ClientEndpoint): ClusterRecipeClient {
  let recipes = core.recipeClients.get(client.name);
  if (!recipes) {
    // A client exists, so the hub, and with it the layer, does too.
    recipes = core.clientLayer!.createRecipes(client, (event) => core.emit(event), () => core.now);
    core.recipeClients.set(client.name, recipes);
  }
  return recipes;
}

/** An action run by a client: queued behind its running action, traced when its request is sent. */
export function runClientAction(core: WorldCore, a: Extract<ScenarioAction, { client: string }>, base: ActionEvent): undefined {
  const client = core.clients?.get(a.client);
  if (!client) return core.noop(base, `unknown client ${a.client}`);
  if (client.killed) return core.noop(base, `client ${a.client} was killed`);
  const pause = core.clientPauses.get(a.client);
  if (pause && a.do !== 'killClient') return core.noop(base, `client ${a.client} is paused`);
  core.emit(base);
  switch (a.do) {
    case 'killClient':
      client.kill();
      if (pause) {
        // Its inbox dies with it.
        core.clientPauses.delete(a.client);
        for (const item of pause.held) if (item.kind === KV_DELIVER) core.drop(item.id, 'crashed');
      }
      break;
    default:
      if ('recipe' in a) recipeClientOf(core, client).runAction(a.recipe);
      else if ('op' in a) client.run(a.op);
      break;
  }
  return undefined;
}
