/**
 * The recipes' client (RecipeClient) on the simulated cluster: a thin adapter over the client endpoint of
 * src/etcd/client (ClientEndpoint), so a recipe's requests travel the bus like the client's own, with its
 * timeouts and retries, and are traced as that client's operations (docs/clients.md).
 *
 * - Lease names: the trace names every lease; a session's lease is called `<client>/_session<n>`, and the
 *   recipe's requests show that name in `lease` with the id next to it in `leaseId`, as the client's own do.
 * - Exactly-once lane: a recipe's writes run alongside the client's scenario actions, so they use their own
 *   lane (`<client>/recipes`), in which they are sent one at a time, in order (the state machine keeps one
 *   result per lane). Reads, keepalives and watches do not go through the log and are sent at once.
 * - Death: a killed endpoint drops its timers and pending requests, so no callback reaches a recipe again; the
 *   recipes are told, and stop (their sessions end by expiry).
 */
import type { HeaderResult, LeaseId } from '../../kv/index.ts';
import type { ClientEndpoint } from '../client/clientEndpoint.ts';
import type { ClientOutcome } from '../client/clientPort.ts';
import type { ClientOp } from '../server/messages.ts';
import { ClientRecipes } from './clientRecipes.ts';
import type { RecipeAction } from './recipeActions.ts';
import type {
  CancelTimer, RecipeClient, RecipeEventBody, RecipeOutcome, RecipeRequest, RecipeResults, RecipeWatch, WatchHandlers,
} from '../concurrency/recipeClient.ts';
import type { RecipeTraceEvent } from './recipeTrace.ts';

/** The lane a client's recipe writes use (the exactly-once table's key is `<client>/<lane>`). */
export const RECIPE_LANE = 'recipes';

/** A write waiting for its turn in the recipe lane. */
interface QueuedWrite {
  readonly op: ClientOp;
  readonly traceOp: Readonly<Record<string, unknown>>;
  readonly onDone: (outcome: ClientOutcome) => void;
}

/** One client's recipes, running in its endpoint (the world creates one per client that runs a recipe action). */
export class ClusterRecipeClient implements RecipeClient {
  readonly recipes: ClientRecipes;
  private readonly leaseNames = new Map<LeaseId, string>();
  private sessions = 0;
  // Invariant: at most one recipe write is in flight; the others wait here, in order.
  private readonly writes: QueuedWrite[] = [];
  private writing = false;

  /**
   * @param endpoint the client the recipes run in.
   * @param emitEvent writes a trace event (the world's emit).
   * @param clock the world's virtual time, in ms.
   */
  constructor(
    private readonly endpoint: ClientEndpoint,
    private readonly emitEvent: (event: RecipeTraceEvent) => void,
    private readonly clock: () => number,
  ) {
    this.recipes = new ClientRecipes(this);
    endpoint.onKilled(() => this.recipes.stop());
  }

  get name(): string {
    return this.endpoint.name;
  }

  /** Runs a recipe action in the client's action queue: the next action waits until this one lets go. */
  runAction(action: RecipeAction): void {
    this.endpoint.enqueueAction(() => this.recipes.run(action, () => this.endpoint.actionDone()));
  }

  nowMs(): number {
    return this.clock();
  }

  send<K extends RecipeRequest['do']>(
    request: Extract<RecipeRequest, { do: K }>,
    onOutcome: (outcome: RecipeOutcome<RecipeResults[K]>) => void,
  ): void {
    const done = (outcome: ClientOutcome): void => onOutcome(toRecipeOutcome(outcome) as RecipeOutcome<RecipeResults[K]>);
    const r = request as RecipeRequest;
    switch (r.do) {
      case 'get':
        this.endpoint.request({ do: 'get', key: r.key, ...(r.prefix ? { prefix: true } : {}) }, { traceOp: { ...r }, onDone: done });
        return;
      case 'keepalive':
        this.endpoint.request({ do: 'keepalive', id: r.lease }, {
          traceOp: { do: 'keepalive', lease: this.leaseName(r.lease), leaseId: r.lease }, lane: 'keepalive', onDone: done,
        });
        return;
      case 'grant': {
        const name = `${this.name}/_session${++this.sessions}`;
        this.write({ do: 'grant', ttlMs: r.ttlMs, name }, { do: 'grant', lease: name, ttlMs: r.ttlMs }, (outcome) => {
          if (outcome.phase === 'ok') this.leaseNames.set(outcome.result.id as LeaseId, name);
          done(outcome);
        });
        return;
      }
      case 'revoke':
        this.write({ do: 'revoke', id: r.lease }, { do: 'revoke', lease: this.leaseName(r.lease), leaseId: r.lease }, done);
        return;
      case 'put':
        this.write({ ...r }, this.namedLeases(r), done);
        return;
      case 'delete':
        this.write({ ...r }, { ...r }, done);
        return;
      case 'txn':
        this.write({ ...r }, {
          do: 'txn',
          compare: r.compare.map((c) => (c.target === 'lease' ? { ...c, value: this.leaseName(c.value as LeaseId) } : c)),
          success: r.success.map((op) => ('put' in op ? { put: this.namedLeases(op.put) } : op)),
          failure: r.failure.map((op) => ('put' in op ? { put: this.namedLeases(op.put) } : op)),
        }, done);
        return;
    }
  }

  watch(request: RecipeWatch, handlers: WatchHandlers, onOutcome: (outcome: RecipeOutcome<HeaderResult>) => void): void {
    this.endpoint.openWatch(request, {
      handlers,
      onOutcome: (outcome) => onOutcome(toRecipeOutcome(outcome) as RecipeOutcome<HeaderResult>),
    });
  }

  cancelWatch(watch: string): void {
    this.endpoint.closeWatch(watch);
  }

  at(atMs: number, callback: () => void): CancelTimer {
    return this.endpoint.at(atMs, callback);
  }

  emit(event: RecipeEventBody): void {
    if (this.endpoint.killed) return;
    this.emitEvent({ t: this.clock(), type: 'recipe', client: this.name, ...event });
  }

  /** Sends a write in the recipe lane, after the writes before it ended. */
  private write(op: ClientOp, traceOp: Readonly<Record<string, unknown>>, onDone: (outcome: ClientOutcome) => void): void {
    this.writes.push({ op, traceOp, onDone });
    this.nextWrite();
  }

  private nextWrite(): void {
    if (this.writing) return;
    const next = this.writes.shift();
    if (next === undefined) return;
    this.writing = true;
    this.endpoint.request(next.op, {
      traceOp: next.traceOp,
      lane: RECIPE_LANE,
      onDone: (outcome) => {
        this.writing = false;
        next.onDone(outcome);
        this.nextWrite();
      },
    });
  }

  /** A lease's name in the trace (its id when the recipe did not grant it through this client). */
  private leaseName(id: LeaseId): string {
    return this.leaseNames.get(id) ?? id;
  }

  /** A put as the trace shows it: the lease's name, and its id next to it. */
  private namedLeases<P extends { readonly lease?: LeaseId }>(put: P): Record<string, unknown> {
    if (put.lease === undefined || put.lease === '0') return { ...put };
    return { ...put, lease: this.leaseName(put.lease), leaseId: put.lease };
  }
}

function toRecipeOutcome(outcome: ClientOutcome): RecipeOutcome<unknown> {
  return outcome.phase === 'ok' ? { phase: 'ok', result: outcome.result } : { phase: outcome.phase, error: outcome.error };
}
