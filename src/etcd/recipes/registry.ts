/**
 * Service registration with a lease (etcd client/v3/naming/endpoints; ZooKeeper's ephemeral node, done with a
 * lease): an instance puts `service + instance` = {"addr": ...} under its session's lease and keeps the lease
 * alive. When the instance's client dies or is cut off for longer than the TTL, the leader expires the lease
 * and the key is deleted with it, so every discovering client's watch sees the instance go. Nothing comes
 * back on its own: after a lost session the instance is gone until its client registers again.
 *
 * Events (recipe `registry`, name = the service prefix): registered, lost.
 */
import { ERR_LEASE_NOT_FOUND, type LeaseId } from '../../kv/index.ts';
import { PendingDone, RetryTimer } from '../concurrency/periodicTask.ts';
import type { RecipeClient, RecipeDone } from '../concurrency/recipeClient.ts';
import { Session } from '../concurrency/session.ts';
import { ERR_SESSION_EXPIRED } from '../concurrency/election.ts';

/** The value a registration writes: the instance's address, as JSON (etcd's endpoints write JSON too). */
export function registrationValue(addr: string): string {
  return JSON.stringify({ addr });
}

/** The address in a registration's value; undefined when the value is not one. */
export function addrOfRegistration(value: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { addr?: unknown }).addr === 'string') {
      return (parsed as { addr: string }).addr;
    }
  } catch {
    // Not JSON: not a registration.
  }
  return undefined;
}

export type RegistrationState = 'registering' | 'registered' | 'lost' | 'closed';

/** One instance registered by one client, held by its session's lease. */
export class Registration {
  private current: RegistrationState = 'registering';
  private readonly session: Session;
  private readonly retry: RetryTimer;
  private readonly registerDone = new PendingDone();
  readonly key: string;

  constructor(
    private readonly client: RecipeClient,
    readonly service: string,
    readonly instance: string,
    readonly addr: string,
    ttlMs: number,
  ) {
    this.key = `${service}${instance}`;
    this.retry = new RetryTimer(client);
    this.session = new Session(client, ttlMs, {
      onAlive: (lease) => this.put(lease),
      onLost: (reason) => this.sessionLost(reason),
    });
  }

  get state(): RegistrationState {
    return this.current;
  }

  get lease(): LeaseId | undefined {
    return this.session.lease;
  }

  /** Grants the session and writes the registration; `done` once it is written (or the session was lost). */
  start(done: RecipeDone): void {
    this.registerDone.set(done);
    this.session.start();
  }

  /** Deregisters: revoking the session's lease deletes the key. */
  close(): void {
    this.retry.cancel();
    if (this.current === 'registering' || this.current === 'registered') this.current = 'closed';
    this.session.close();
  }

  /** The client died: stop silently. */
  stop(): void {
    this.retry.cancel();
    this.session.orphan();
    if (this.current === 'registering' || this.current === 'registered') this.current = 'closed';
  }

  private put(lease: LeaseId): void {
    if (this.current !== 'registering') return;
    this.client.send({ do: 'put', key: this.key, value: registrationValue(this.addr), lease }, (outcome) => {
      if (this.current !== 'registering') return;
      if (outcome.phase !== 'ok') {
        // A put naming an expired lease fails for good; the session notices on its next keepalive.
        if (outcome.phase === 'fail' && outcome.error === ERR_LEASE_NOT_FOUND) return;
        this.retry.later(() => this.put(lease));
        return;
      }
      this.current = 'registered';
      this.client.emit({
        recipe: 'registry', name: this.service, event: 'registered',
        detail: { instance: this.instance, addr: this.addr, key: this.key, lease },
      });
      this.registerDone.finish();
    });
  }

  private sessionLost(reason: string): void {
    if (this.current !== 'registering' && this.current !== 'registered') return;
    const wasRegistering = this.current === 'registering';
    this.current = 'lost';
    this.retry.cancel();
    this.client.emit({
      recipe: 'registry', name: this.service, event: 'lost',
      detail: { instance: this.instance, key: this.key, lease: this.session.lease ?? null, reason },
    });
    if (wasRegistering) this.registerDone.finish(ERR_SESSION_EXPIRED);
  }
}
