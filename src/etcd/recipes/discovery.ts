/**
 * Service discovery (etcd client/v3/naming: a prefix read plus a watch from the read's revision): the list of
 * live instances follows registrations and their leases' deaths without polling, and without missing a change
 * between the read and the watch (the watch starts at the revision right after the read's). A client-side
 * round-robin picks an instance per call.
 *
 * Events (recipe `registry`, name = the service prefix): `discovered`, with detail.instances the full current
 * list [{instance, addr}] in key order, after the first read and after every change of the list.
 */
import { compareKeys, type Revision } from '../../kv/index.ts';
import { PendingDone, RetryTimer } from '../concurrency/periodicTask.ts';
import { RecipeWatch } from '../concurrency/recipeWatch.ts';
import type { RecipeClient, RecipeDone } from '../concurrency/recipeClient.ts';
import { addrOfRegistration } from './registry.ts';

/** One instance as discovery reports it. */
export interface DiscoveredInstance {
  readonly instance: string;
  readonly addr: string;
}

/** One client's live view of a service's instances (read + watch), with a round-robin pick. */
export class Discovery {
  // Key → instance, for the keys under the service prefix holding a registration.
  private readonly instances = new Map<string, DiscoveredInstance>();
  private readonly retry: RetryTimer;
  private readonly watch: RecipeWatch;
  private stopped = false;
  private readonly startDone = new PendingDone();
  private lastReported: string | undefined;
  // Invariant: 0 <= nextPick; taken modulo the list length at each pick.
  private nextPick = 0;

  /** @param watchBaseName base of the watches' names; must start with `_`. */
  constructor(
    private readonly client: RecipeClient,
    readonly service: string,
    watchBaseName: string,
  ) {
    this.retry = new RetryTimer(client);
    this.watch = new RecipeWatch(client, watchBaseName, () => this.stopped, () => this.retryLater());
  }

  /** The live instances as last seen, in key order. */
  list(): DiscoveredInstance[] {
    return [...this.instances.entries()].sort(([a], [b]) => compareKeys(a, b)).map(([, instance]) => instance);
  }

  /** Round-robin: the next instance of the current list, or undefined when there is none. */
  pick(): DiscoveredInstance | undefined {
    const list = this.list();
    if (list.length === 0) return undefined;
    const picked = list[this.nextPick % list.length];
    this.nextPick = (this.nextPick + 1) % list.length;
    return picked;
  }

  /** Reads and starts watching; `done` once the watch is open (the action then lets the client go on). */
  start(done: RecipeDone): void {
    this.startDone.set(done);
    this.read();
  }

  stop(): void {
    this.stopped = true;
    this.retry.cancel();
    this.watch.cancel();
  }

  private read(): void {
    if (this.stopped) return;
    this.client.send({ do: 'get', key: this.service, prefix: true }, (outcome) => {
      if (this.stopped) return;
      if (outcome.phase !== 'ok') return this.retryLater();
      this.instances.clear();
      for (const kv of outcome.result.kvs) this.record(kv.key, kv.value);
      this.report();
      this.watchFrom(outcome.result.header.revision + 1);
    });
  }

  private watchFrom(startRevision: Revision): void {
    this.watch.open(
      { key: this.service, prefix: true, startRevision },
      (events) => {
        for (const event of events) {
          if (event.type === 'DELETE') this.instances.delete(event.kv.key);
          else this.record(event.kv.key, event.kv.value);
        }
        this.report();
      },
      () => this.startDone.finish(),
    );
  }

  private record(key: string, value: string): void {
    const addr = addrOfRegistration(value);
    if (addr === undefined) {
      this.instances.delete(key);
      return;
    }
    this.instances.set(key, { instance: key.slice(this.service.length), addr });
  }

  /** Emits `discovered` when the list differs from the last one reported. */
  private report(): void {
    const instances = this.list();
    const text = JSON.stringify(instances);
    if (text === this.lastReported) return;
    this.lastReported = text;
    this.client.emit({ recipe: 'registry', name: this.service, event: 'discovered', detail: { instances } });
  }

  private retryLater(): void {
    this.retry.later(() => this.read());
  }
}
