/**
 * The heartbeat-timestamp pattern, for stores with no ephemeral keys, to contrast with leases (registry.ts):
 * each instance rewrites `service + instance` = {"addr", "beatMs"} every `everyMs` with no lease, and readers
 * poll the prefix and ignore entries whose timestamp is older than `staleAfterMs`.
 *
 * What the contrast shows: a dead instance's key stays in the store forever (someone must garbage-collect it);
 * a reader notices a death only at its next poll after the entry turns stale, not at once through a watch; and
 * freshness is judged by comparing the writer's clock with the reader's. The simulation has one virtual clock,
 * so here that comparison is exact; on real machines clock skew widens or narrows the staleness window.
 *
 * Events (recipe `heartbeat`, name = the service prefix): registered (first beat written), discovered
 * (detail.instances: the fresh instances [{instance, addr}], on the first poll and whenever the list changes).
 */
import { compareKeys } from '../../kv/index.ts';
import { PendingDone, PeriodicTask } from '../concurrency/periodicTask.ts';
import type { RecipeClient, RecipeDone } from '../concurrency/recipeClient.ts';
import type { DiscoveredInstance } from './discovery.ts';

/** The value a heartbeat writes. */
export function heartbeatValue(addr: string, beatMs: number): string {
  return JSON.stringify({ addr, beatMs });
}

/** The address and time of a heartbeat value; undefined when the value is not one. */
export function parseHeartbeat(value: string): { addr: string; beatMs: number } | undefined {
  try {
    const parsed = JSON.parse(value) as { addr?: unknown; beatMs?: unknown } | null;
    if (parsed !== null && typeof parsed.addr === 'string' && typeof parsed.beatMs === 'number') {
      return { addr: parsed.addr, beatMs: parsed.beatMs };
    }
  } catch {
    // Not JSON: not a heartbeat.
  }
  return undefined;
}

/** Writes an instance's heartbeat every `everyMs` until stopped (or its client dies). */
export class HeartbeatWriter {
  // A beat not yet answered: the next one is skipped rather than queued behind it, so a writer cut off for a
  // while does not, once back, write a backlog of old timestamps.
  private readonly beats: PeriodicTask;
  private announced = false;
  private readonly startDone = new PendingDone();
  readonly key: string;

  constructor(
    private readonly client: RecipeClient,
    readonly service: string,
    readonly instance: string,
    readonly addr: string,
    readonly everyMs: number,
  ) {
    this.key = `${service}${instance}`;
    this.beats = new PeriodicTask(client, everyMs, (finished) => this.beat(finished));
  }

  /** Starts beating; `done` after the first beat is written (or failed: the beats go on regardless). */
  start(done: RecipeDone): void {
    this.startDone.set(done);
    this.beats.start();
  }

  stop(): void {
    this.beats.stop();
  }

  private beat(finished: () => void): void {
    const beatMs = this.client.nowMs();
    this.client.send({ do: 'put', key: this.key, value: heartbeatValue(this.addr, beatMs) }, (outcome) => {
      finished();
      if (this.beats.stopped) return;
      if (outcome.phase === 'ok' && !this.announced) {
        this.announced = true;
        this.client.emit({
          recipe: 'heartbeat', name: this.service, event: 'registered',
          detail: { instance: this.instance, addr: this.addr, key: this.key },
        });
      }
      this.startDone.finish(outcome.phase === 'ok' ? undefined : outcome.error);
    });
  }
}

/** Polls a service's heartbeats every `everyMs`, keeping those at most `staleAfterMs` old. */
export class HeartbeatReader {
  // A poll not yet answered: the next one is skipped, not stacked behind it.
  private readonly polls: PeriodicTask;
  private lastReported: string | undefined;
  private readonly startDone = new PendingDone();
  private fresh: DiscoveredInstance[] = [];

  constructor(
    private readonly client: RecipeClient,
    readonly service: string,
    readonly everyMs: number,
    readonly staleAfterMs: number,
  ) {
    this.polls = new PeriodicTask(client, everyMs, (finished) => this.poll(finished));
  }

  /** The fresh instances as of the last poll, in key order. */
  list(): readonly DiscoveredInstance[] {
    return this.fresh;
  }

  /** Starts polling; `done` after the first poll is sent (the client goes on; polls run alongside). */
  start(done: RecipeDone): void {
    this.startDone.set(done);
    this.polls.start();
  }

  stop(): void {
    this.polls.stop();
  }

  private poll(finished: () => void): void {
    this.client.send({ do: 'get', key: this.service, prefix: true }, (outcome) => {
      finished();
      if (this.polls.stopped) return;
      this.startDone.finish(outcome.phase === 'ok' ? undefined : outcome.error);
      if (outcome.phase !== 'ok') return;
      // Judge freshness when the answer arrives: the entry must be recent now, not when the poll left.
      const nowMs = this.client.nowMs();
      const fresh: DiscoveredInstance[] = [];
      const kvs = [...outcome.result.kvs].sort((a, b) => compareKeys(a.key, b.key));
      for (const kv of kvs) {
        const beat = parseHeartbeat(kv.value);
        if (beat !== undefined && nowMs - beat.beatMs <= this.staleAfterMs) {
          fresh.push({ instance: kv.key.slice(this.service.length), addr: beat.addr });
        }
      }
      this.fresh = fresh;
      const text = JSON.stringify(fresh);
      if (text === this.lastReported) return;
      this.lastReported = text;
      this.client.emit({ recipe: 'heartbeat', name: this.service, event: 'discovered', detail: { instances: fresh } });
    });
  }
}
