/**
 * Observing an election (etcd election.go observe): needs no session and takes no part in the queue.
 * Loop: read the first created key of the prefix; if there is none, watch the prefix for the first PUT; report
 * that leader (`observed`); watch the leader's key, reporting each new value it is proclaimed with, until it is
 * deleted; start over.
 */
import type { KeyValue, Revision } from '../../kv/index.ts';
import { firstCreated, queuePrefixOf } from './keyQueue.ts';
import { RetryTimer } from './periodicTask.ts';
import { RecipeWatch } from './recipeWatch.ts';
import type { RecipeClient } from './recipeClient.ts';

/** Follows who leads an election and with which value, without campaigning. */
export class ElectionObserver {
  private readonly retry: RetryTimer;
  private readonly watch: RecipeWatch;
  private stopped = false;
  private lastReported = '';
  private readonly keyPrefix: string;

  /** @param watchBaseName base of the watches' names; must start with `_`. */
  constructor(
    private readonly client: RecipeClient,
    private readonly prefix: string,
    watchBaseName: string,
  ) {
    this.keyPrefix = queuePrefixOf(prefix);
    this.retry = new RetryTimer(client);
    this.watch = new RecipeWatch(client, watchBaseName, () => this.stopped, () => this.retryLater());
  }

  start(): void {
    this.readLeader();
  }

  /** Stops observing (the client died or stopped): cancels the watch, no more events. */
  stop(): void {
    this.stopped = true;
    this.retry.cancel();
    this.watch.cancel();
  }

  private readLeader(): void {
    if (this.stopped) return;
    this.client.send({ do: 'get', key: this.keyPrefix, prefix: true }, (outcome) => {
      if (this.stopped) return;
      if (outcome.phase !== 'ok') return this.retryLater();
      const leader = firstCreated(outcome.result.kvs);
      if (leader === undefined) this.awaitFirstPut(outcome.result.header.revision);
      else this.followLeader(leader, outcome.result.header.revision);
    });
  }

  /** No leader: the first PUT under the prefix is the next leader (etcd takes the first PUT of the batch). */
  private awaitFirstPut(fromRevision: Revision): void {
    this.watch.open({ key: this.keyPrefix, prefix: true, startRevision: fromRevision }, (events, name) => {
      const put = events.find((event) => event.type === 'PUT');
      if (put === undefined) return;
      this.watch.close(name);
      this.followLeader(put.kv, put.kv.modRevision);
    });
  }

  private followLeader(leader: KeyValue, seenRevision: Revision): void {
    this.report(leader);
    this.watch.open({ key: leader.key, startRevision: seenRevision + 1 }, (events, name) => {
      for (const event of events) {
        if (event.type === 'DELETE') {
          this.watch.close(name);
          this.readLeader();
          return;
        }
        this.report(event.kv);
      }
    });
  }

  /** One `observed` event per change of leader or value (a re-read finding the same leader says nothing). */
  private report(leader: KeyValue): void {
    const seen = `${leader.key}\u0000${leader.createRevision}\u0000${leader.value}`;
    if (seen === this.lastReported) return;
    this.lastReported = seen;
    this.client.emit({
      recipe: 'election', name: this.prefix, event: 'observed',
      detail: { key: leader.key, value: leader.value, createRevision: leader.createRevision },
    });
  }

  private retryLater(): void {
    this.retry.later(() => this.readLeader());
  }
}
