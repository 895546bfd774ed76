/**
 * The recipes one client runs: its elections, observers, mutexes, registrations, discoveries, cron jobs and
 * heartbeats, keyed by the name their actions give. The client's action queue hands each recipe action to
 * run() and waits for `done` before its next action (campaign and lock block until elected/locked; observe,
 * discover, cron and the heartbeats start and then run alongside). stop() is the client's death.
 */
import { CronJob } from './cron.ts';
import { Discovery } from './discovery.ts';
import { Election } from '../concurrency/election.ts';
import { HeartbeatReader, HeartbeatWriter } from './heartbeat.ts';
import { Mutex } from '../concurrency/mutex.ts';
import { ElectionObserver } from '../concurrency/observer.ts';
import type { RecipeAction } from './recipeActions.ts';
import type { RecipeClient, RecipeDone } from '../concurrency/recipeClient.ts';
import { Registration } from './registry.ts';

/** A cron job, heartbeat or heartbeat reader started twice on one client. */
export const ERR_ALREADY_RUNNING = 'already running on this client';

/** One client's recipes, by the names their actions give (election and mutex prefixes, services, jobs). */
export class ClientRecipes {
  readonly elections = new Map<string, Election>();
  readonly observers = new Map<string, ElectionObserver>();
  readonly mutexes = new Map<string, Mutex>();
  /** By key (service + instance). */
  readonly registrations = new Map<string, Registration>();
  readonly discoveries = new Map<string, Discovery>();
  readonly cronJobs = new Map<string, CronJob>();
  /** By key (service + instance). */
  readonly heartbeats = new Map<string, HeartbeatWriter>();
  readonly heartbeatReaders = new Map<string, HeartbeatReader>();
  private watchBases = 0;
  private stopped = false;

  constructor(private readonly client: RecipeClient) {}

  /** Runs one recipe action; `done` when the client may go on to its next action. */
  run(action: RecipeAction, done: RecipeDone): void {
    if (this.stopped) return;
    switch (action.do) {
      case 'campaign':
        return this.electionFor(action.election).campaign(action.value, action.ttlMs, done);
      case 'proclaim':
        return this.electionFor(action.election).proclaim(action.value, done);
      case 'resign':
        return this.electionFor(action.election).resign(done);
      case 'observe': {
        if (this.observers.has(action.election)) return this.later(() => done());
        const observer = new ElectionObserver(this.client, action.election, this.watchBase('observe'));
        this.observers.set(action.election, observer);
        observer.start();
        return this.later(() => done());
      }
      case 'lock':
        return this.mutexFor(action.mutex).lock(action.ttlMs, done);
      case 'tryLock':
        return this.mutexFor(action.mutex).tryLock(action.ttlMs, done);
      case 'unlock':
        return this.mutexFor(action.mutex).unlock(done);
      case 'register': {
        const registration = new Registration(this.client, action.service, action.instance, action.addr, action.ttlMs);
        const previous = this.registrations.get(registration.key);
        this.registrations.set(registration.key, registration);
        // Registering again replaces the old registration: the new lease holds the key once written, and
        // revoking the old lease afterwards deletes nothing.
        registration.start((error) => {
          if (error === undefined) previous?.close();
          // A registration that never took keeps the previous one (if any) as the instance's registration.
          else if (previous !== undefined) this.registrations.set(registration.key, previous);
          done(error);
        });
        return;
      }
      case 'discover': {
        if (this.discoveries.has(action.service)) return this.later(() => done());
        const discovery = new Discovery(this.client, action.service, this.watchBase('discover'));
        this.discoveries.set(action.service, discovery);
        return discovery.start(done);
      }
      case 'cron': {
        if (this.cronJobs.has(action.job)) return this.later(() => done(ERR_ALREADY_RUNNING));
        const job = new CronJob(this.client, {
          job: action.job, everyMs: action.everyMs, election: action.election, ttlMs: action.ttlMs, startMs: action.at,
          watchBaseName: this.watchBase('cron'),
        });
        this.cronJobs.set(action.job, job);
        return job.start(done);
      }
      case 'heartbeat': {
        const key = `${action.service}${action.instance}`;
        if (this.heartbeats.has(key)) return this.later(() => done(ERR_ALREADY_RUNNING));
        const writer = new HeartbeatWriter(this.client, action.service, action.instance, action.addr, action.everyMs);
        this.heartbeats.set(key, writer);
        return writer.start(done);
      }
      case 'discoverHeartbeats': {
        if (this.heartbeatReaders.has(action.service)) return this.later(() => done(ERR_ALREADY_RUNNING));
        const reader = new HeartbeatReader(this.client, action.service, action.everyMs, action.staleAfterMs);
        this.heartbeatReaders.set(action.service, reader);
        return reader.start(done);
      }
    }
  }

  /** The client died: every recipe stops at once, silently; leases it kept alive expire on the leader. */
  stop(): void {
    this.stopped = true;
    for (const election of this.elections.values()) election.stop();
    for (const observer of this.observers.values()) observer.stop();
    for (const mutex of this.mutexes.values()) mutex.stop();
    for (const registration of this.registrations.values()) registration.stop();
    for (const discovery of this.discoveries.values()) discovery.stop();
    for (const job of this.cronJobs.values()) job.stop();
    for (const writer of this.heartbeats.values()) writer.stop();
    for (const reader of this.heartbeatReaders.values()) reader.stop();
  }

  private electionFor(prefix: string): Election {
    let election = this.elections.get(prefix);
    if (election === undefined) {
      election = new Election(this.client, { prefix, watchBaseName: this.watchBase('campaign') });
      this.elections.set(prefix, election);
    }
    return election;
  }

  private mutexFor(prefix: string): Mutex {
    let mutex = this.mutexes.get(prefix);
    if (mutex === undefined) {
      mutex = new Mutex(this.client, prefix, this.watchBase('lock'));
      this.mutexes.set(prefix, mutex);
    }
    return mutex;
  }

  /** A fresh base for a recipe's watch names: starts with `_`, as the contract requires, and unique per client. */
  private watchBase(kind: string): string {
    return `_${kind}${++this.watchBases}`;
  }

  private later(step: () => void): void {
    this.client.at(this.client.nowMs(), step);
  }
}
