/**
 * Observing an election (etcd election.go observe): needs no session and takes no part in the queue.
 * Loop: read the first created key of the prefix; if there is none, watch the prefix for the first PUT; report
 * that leader (`observed`); watch the leader's key, reporting each new value it is proclaimed with, until it is
 * deleted; start over.
 */
import type { KeyValue, Revision, WatchEvent } from '../../kv/index.ts';
import { firstCreated, queuePrefixOf } from './keyQueue.ts';
import { RetryTimer } from './periodicTask.ts';
import type { RecipeClient } from './recipeClient.ts';

/** Follows who leads an election and with which value, without campaigning. */
export class ElectionObserver {
  private watching: string | undefined;
  private readonly retry: RetryTimer;
  private stopped = false;
  private watches = 0;
  private lastReported = '';
  private readonly keyPrefix: string;

  /** @param watchBaseName base of the watches' names; must start with `_`. */
  constructor(
    private readonly client: RecipeClient,
    private readonly prefix: string,
    private readonly watchBaseName: string,
  ) {
    this.keyPrefix = queuePrefixOf(prefix);
    this.retry = new RetryTimer(client);
  }

  start(): void {
    this.readLeader();
  }

  /** Stops observing (the client died or stopped): cancels the watch, no more events. */
  stop(): void {
    this.stopped = true;
    this.retry.cancel();
    this.cancelWatch();
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
    this.openWatch({ key: this.keyPrefix, prefix: true, startRevision: fromRevision }, (events, name) => {
      const put = events.find((event) => event.type === 'PUT');
      if (put === undefined) return;
      this.closeWatch(name);
      this.followLeader(put.kv, put.kv.modRevision);
    });
  }

  private followLeader(leader: KeyValue, seenRevision: Revision): void {
    this.report(leader);
    this.openWatch({ key: leader.key, startRevision: seenRevision + 1 }, (events, name) => {
      for (const event of events) {
        if (event.type === 'DELETE') {
          this.closeWatch(name);
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

  private openWatch(
    request: { key: string; prefix?: boolean; startRevision: Revision },
    onEvents: (events: readonly WatchEvent[], name: string) => void,
  ): void {
    const name = `${this.watchBaseName}.${++this.watches}`;
    this.watching = name;
    const current = (): boolean => !this.stopped && this.watching === name;
    this.client.watch(
      { watch: name, ...request },
      {
        onEvents: (events) => {
          if (current()) onEvents(events, name);
        },
        onCancelled: () => {
          if (!current()) return;
          this.watching = undefined;
          this.retryLater();
        },
      },
      (outcome) => {
        if (!current() || outcome.phase === 'ok') return;
        this.watching = undefined;
        this.retryLater();
      },
    );
  }

  private closeWatch(name: string): void {
    if (this.watching !== name) return;
    this.cancelWatch();
  }

  private cancelWatch(): void {
    if (this.watching === undefined) return;
    this.client.cancelWatch(this.watching);
    this.watching = undefined;
  }

  private retryLater(): void {
    this.retry.later(() => this.readLeader());
  }
}
