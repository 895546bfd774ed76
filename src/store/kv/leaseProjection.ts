/**
 * The lease panel's projection: every lease as the leader's lease clock counts it (live ones from the clock's
 * replica, the last ended ones from the lease events), with the scenario's names for them and the clients that
 * own them (whose grant created them). The table and the recipes read the names and owners from here.
 */
import type { SimEvent } from '../../sim/index.ts';
import type { KvNarrator } from './kvNarrator.ts';
import type { KvPatch, KvProjection } from './kvProjection.ts';
import type { KvState, LeaseView } from './kvState.ts';
import { narrateLease } from './kvNarration.ts';
import type { ReplicaChange, ReplicaSet } from './replicaSet.ts';

/** Ended (expired or revoked) leases kept on the lease panel. */
export const ENDED_LEASES_SHOWN = 8;

interface LeaseRecord {
  name: string;
  owner: string | null;
  state: LeaseView['state'];
  ttlMs: number;
  renewedAtMs: number | null;
  resetAtMs: number | null;
  endedAtMs: number | null;
  keys: readonly string[];
}

type ClientEvent = Extract<SimEvent, { type: 'client' }>;
type LeaseEvent = Extract<SimEvent, { type: 'lease' }>;

export class LeaseProjection implements KvProjection {
  private readonly names = new Map<string, string>();
  private readonly leases = new Map<string, LeaseRecord>();
  /** Grants in flight, by `client#id`: the scenario's name for the lease, when the grant gave one. */
  private readonly pendingGrants = new Map<string, string | undefined>();
  private ownerChanges = 0;
  private dirty = false;

  constructor(private readonly replicas: ReplicaSet, private readonly narrator: KvNarrator) {}

  reset(): void {
    this.names.clear();
    this.leases.clear();
    this.pendingGrants.clear();
    this.ownerChanges = 0;
    this.dirty = false;
  }

  /** The scenario's name for a lease id, when the trace told it; null for none. */
  nameOf(id: string): string | null {
    return this.names.get(id) ?? null;
  }

  /** The client whose grant created the lease, when known. */
  ownerOf(id: string): string | null {
    return this.leases.get(id)?.owner ?? null;
  }

  /** Lease id to owning client, for the leases whose owner is known. */
  owners(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [id, rec] of this.leases) if (rec.owner) out.set(id, rec.owner);
    return out;
  }

  /** Counts the owners learned so far: a view that shows owners rebuilds when it moves. */
  get ownerVersion(): number {
    return this.ownerChanges;
  }

  event(ev: SimEvent, change: ReplicaChange): void {
    if (change.promoted) {
      for (const lease of this.leases.values()) if (lease.state === 'live') lease.resetAtMs = ev.t;
      this.narrator.line(ev.t, change.promoted, null, `S${change.promoted} leads and takes over the lease clock: every lease restarts its full TTL plus an election timeout (${this.replicas.electionTimeoutMs} ms), as etcd's lessor does on promotion.`);
    }
    if (change.promoted || change.lessorChanged || change.applied || change.crashedOrRestarted) this.dirty = true;
    if (ev.type === 'client') this.onClient(ev);
    else if (ev.type === 'lease') this.onLease(ev);
  }

  publish(_state: KvState, patch: KvPatch): void {
    if (this.dirty) patch.leases = this.build();
    this.dirty = false;
  }

  /** A grant's answer names the lease and makes its client the owner. */
  private onClient(ev: ClientEvent): void {
    const key = `${ev.client}#${ev.id}`;
    if (ev.phase === 'invoke') {
      if (ev.op.do === 'grant') this.pendingGrants.set(key, typeof ev.op.lease === 'string' ? ev.op.lease : undefined);
      return;
    }
    if (!this.pendingGrants.has(key)) return;
    const given = this.pendingGrants.get(key);
    this.pendingGrants.delete(key);
    if (ev.phase !== 'ok' || typeof ev.result.id !== 'string') return;
    const id = ev.result.id;
    const name = given ?? this.names.get(id) ?? id;
    this.names.set(id, name);
    const rec = this.record(id);
    rec.name = name;
    rec.owner = ev.client;
    this.ownerChanges++;
    this.dirty = true;
  }

  private onLease(ev: LeaseEvent): void {
    this.names.set(ev.id, ev.lease);
    const rec = this.record(ev.id);
    rec.name = ev.lease;
    if (ev.ttlMs !== undefined && ev.event === 'granted') rec.ttlMs = ev.ttlMs;
    switch (ev.event) {
      case 'renewed':
        rec.renewedAtMs = ev.t;
        break;
      case 'expired':
        rec.state = 'expired';
        rec.endedAtMs = ev.t;
        break;
      case 'revoked':
        if (rec.state === 'live') rec.state = 'revoked';
        rec.endedAtMs ??= ev.t;
        break;
      case 'granted':
        rec.state = 'live';
        break;
    }
    const text = narrateLease(ev, rec.owner);
    if (text) this.narrator.line(ev.t, ev.node, rec.owner, text);
    this.dirty = true;
  }

  private build(): KvState['leases'] {
    const clock = this.replicas.clock();
    const source = clock ?? this.replicas.reference();
    const views: LeaseView[] = [];
    const live = new Set<string>();
    for (const l of source?.leases() ?? []) {
      live.add(l.id);
      const rec = this.record(l.id);
      rec.ttlMs = l.ttlMs;
      rec.keys = l.keys;
      views.push({
        id: l.id, name: rec.name, ttlMs: l.ttlMs, state: rec.state === 'expired' ? 'expired' : 'live', owner: rec.owner,
        expiresAtMs: clock && Number.isFinite(l.expiresAtMs) ? l.expiresAtMs : null,
        renewedAtMs: rec.renewedAtMs, resetAtMs: rec.resetAtMs, keys: l.keys, endedAtMs: rec.endedAtMs,
      });
    }
    const ended = [...this.leases.entries()]
      .filter(([id, rec]) => !live.has(id) && rec.state !== 'live')
      .sort((a, b) => (b[1].endedAtMs ?? 0) - (a[1].endedAtMs ?? 0))
      .slice(0, ENDED_LEASES_SHOWN);
    for (const [id, rec] of ended) {
      views.push({
        id, name: rec.name, ttlMs: rec.ttlMs, state: rec.state, owner: rec.owner, expiresAtMs: null,
        renewedAtMs: rec.renewedAtMs, resetAtMs: rec.resetAtMs, keys: rec.keys, endedAtMs: rec.endedAtMs,
      });
    }
    return { clockNode: clock?.node ?? 0, clockSinceMs: clock?.promotedAtMs ?? null, leases: views };
  }

  private record(id: string): LeaseRecord {
    let rec = this.leases.get(id);
    if (!rec) {
      rec = { name: this.names.get(id) ?? id, owner: null, state: 'live', ttlMs: 0, renewedAtMs: null, resetAtMs: null, endedAtMs: null, keys: [] };
      this.leases.set(id, rec);
    }
    return rec;
  }
}
