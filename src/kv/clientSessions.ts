/**
 * Exactly-once writes (Raft thesis §6.3, "Implementing linearizable semantics"): each client numbers its
 * requests, a retry reuses the number, and the state machine keeps, per client, the number and the result of
 * the last request it applied. A committed command whose number was already applied is not applied again: its
 * cached result is returned. Clients run one request at a time (the contract), so one entry per client is
 * enough. The table is replicated state (identical on every replica, part of the digest) and bounded: beyond
 * `maxClients` the least recently active client is forgotten, deterministically, in log order.
 */
import type { Outcome } from './requests.ts';

/** A client's latest applied request. */
export interface ClientSession {
  readonly requestId: number;
  readonly outcome: Outcome<unknown>;
  /** Log index at which it was applied: for the digest and to explain eviction. */
  readonly index: number;
}

/** Default bound on remembered clients: far above the 1–8 clients a simulation drives. */
export const DEFAULT_MAX_CLIENTS = 1024;

export class ClientSessions {
  // Invariant: Map order is least recently applied first (an update re-inserts), so eviction takes the first.
  private readonly sessions = new Map<string, ClientSession>();

  constructor(private readonly maxClients: number = DEFAULT_MAX_CLIENTS) {}

  /** The client's latest applied request, if remembered. */
  lookup(clientId: string): ClientSession | undefined {
    return this.sessions.get(clientId);
  }

  /** Remembers `outcome` as the result of the client's request `requestId`, applied at log `index`. */
  remember(clientId: string, requestId: number, outcome: Outcome<unknown>, index: number): void {
    this.sessions.delete(clientId);
    this.sessions.set(clientId, { requestId, outcome, index });
    if (this.sessions.size > this.maxClients) {
      const oldest = this.sessions.keys().next().value!;
      this.sessions.delete(oldest);
    }
  }

  /** Every remembered client, in id order: for the digest. */
  entries(): [string, ClientSession][] {
    return [...this.sessions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
