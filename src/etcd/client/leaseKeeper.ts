/**
 * A client's leases (docs/clients.md, "The contract"): scenario authors name leases, the client learns each
 * lease's id from its grant and sends ids; a successful `keepalive` action starts a loop that renews the lease
 * every ttl/3 until it is revoked or expired. Separate from the endpoint (clientEndpoint.ts): this is the state
 * a client keeps about leases, the endpoint only carries the requests.
 */
import type { LeaseId } from '../../kv/index.ts';
import type { ClientAction } from './clientOps.ts';
import type { ClientCore, ClientOutcome } from './clientPort.ts';

/** A lease id no node ever grants (ids are drawn with a first hex digit 1..7 and 16 digits: this is 15). */
const UNKNOWN_LEASE_ID = '7e5700000000001';

interface KeepaliveLoop {
  readonly lease: string;
  /** A keepalive of this loop is in flight. */
  busy: boolean;
}

export class LeaseKeeper {
  private readonly leaseIds = new Map<string, LeaseId>();
  private readonly leaseTtlMs = new Map<string, number>();
  private readonly keepalives = new Map<string, KeepaliveLoop>();

  constructor(private readonly client: ClientCore) {}

  /** The id the client learned for a lease name (undefined until its grant succeeded). */
  idOf(name: string): LeaseId | undefined {
    return this.leaseIds.get(name);
  }

  /** The id a request carries for a lease name: "0" for none, an id no node grants for a name never granted. */
  requestIdOf(name: string | number | undefined): LeaseId {
    if (name === undefined || name === 0 || name === '0') return '0';
    return (typeof name === 'string' ? this.leaseIds.get(name) : undefined) ?? UNKNOWN_LEASE_ID;
  }

  /** What an action's end teaches the client: lease ids, keepalive loops. */
  learn(action: ClientAction, outcome: ClientOutcome): void {
    if (action.do === 'grant' && outcome.phase === 'ok') {
      this.leaseIds.set(action.lease, outcome.result.id as string);
      this.leaseTtlMs.set(action.lease, outcome.result.ttlMs as number);
    } else if (action.do === 'revoke' && outcome.phase === 'ok') {
      this.keepalives.delete(action.lease);
    } else if (action.do === 'keepalive') {
      if (outcome.phase === 'ok') this.startKeepaliveLoop(action.lease, outcome.result.ttlMs as number);
    }
  }

  /** Keeps the lease alive every ttl/3 until it is revoked or expired (a keepalive answered "lease not found"). */
  startKeepaliveLoop(lease: string, ttlMs: number): void {
    if (this.keepalives.has(lease)) return;
    this.keepalives.set(lease, { lease, busy: false });
    this.leaseTtlMs.set(lease, ttlMs);
    this.armKeepalive(lease);
  }

  /** The client was killed: its keepalive loops stop. */
  stopKeepalives(): void {
    this.keepalives.clear();
  }

  private armKeepalive(lease: string): void {
    const ttlMs = this.leaseTtlMs.get(lease) ?? this.client.retryMs * 3;
    this.client.after(this.client.bus.nowMs + Math.max(1, Math.floor(ttlMs / 3)), () => this.sendKeepalive(lease));
  }

  private sendKeepalive(lease: string): void {
    const loop = this.keepalives.get(lease);
    if (!loop) return;
    if (loop.busy) {
      this.armKeepalive(lease);
      return;
    }
    loop.busy = true;
    this.client.request({ do: 'keepalive', id: this.leaseIds.get(lease) ?? UNKNOWN_LEASE_ID }, {
      traceOp: { do: 'keepalive', lease, leaseId: this.leaseIds.get(lease) ?? null },
      // A keepalive is outside the log: it needs no exactly-once lane, but must not share the main one.
      lane: 'keepalive',
      onDone: (outcome) => {
        loop.busy = false;
        if (outcome.phase === 'fail' && outcome.error === 'lease not found') {
          this.keepalives.delete(lease);
          return;
        }
        if (outcome.phase === 'ok') this.leaseTtlMs.set(lease, outcome.result.ttlMs as number);
        if (this.keepalives.get(lease) === loop) this.armKeepalive(lease);
      },
    });
  }
}
