/**
 * The recipes' projection: each election, mutex and cron job's queue of contenders (the keys under its prefix,
 * read from the cluster's most advanced replica), who believes it leads, who observes, and why the last leader
 * left; and each service's live instances and what each discoverer saw. It also narrates the recipe events,
 * saying why a new leader was elected when the last one's departure is known.
 */
import { queuePrefixOf } from '../../etcd/index.ts';
import type { ActionEvent, SimEvent } from '../../sim/index.ts';
import type { ClientProjection } from './clientProjection.ts';
import type { KvNarrator } from './kvNarrator.ts';
import type { KvPatch, KvProjection } from './kvProjection.ts';
import type { ElectionView, KvState, QueueEntry, QueueKind, ServiceView } from './kvState.ts';
import { narrateRecipe } from './kvNarration.ts';
import type { LeaseProjection } from './leaseProjection.ts';
import type { ReplicaChange, ReplicaSet } from './replicaSet.ts';

type RecipeEvent = Extract<SimEvent, { type: 'recipe' }>;

interface ElectionRecord {
  readonly name: string;
  kind: QueueKind;
  /** Queue keys live under this prefix. */
  prefix: string;
  readonly believers: Map<string, number>;
  readonly observers: Map<string, { value: string; atMs: number }>;
  readonly candidates: Set<string>;
  /** The last client that left the queue's head (or its session) and why: the "why" of the next election. */
  departure: { readonly client: string; readonly why: string; readonly t: number } | null;
}

interface ServiceRecord {
  readonly name: string;
  pattern: ServiceView['pattern'];
  readonly registrants: Map<string, string>;
  readonly discoverers: Map<string, { instances: { instance: string; addr: string }[]; atMs: number }>;
}

export class RecipeProjection implements KvProjection {
  private readonly elections = new Map<string, ElectionRecord>();
  private readonly services = new Map<string, ServiceRecord>();
  /** A cron job's election prefix, by job name. */
  private readonly cronElectionOf = new Map<string, string>();
  private ownerVersion = 0;
  private dirty = false;

  constructor(
    private readonly replicas: ReplicaSet,
    private readonly leases: LeaseProjection,
    private readonly clients: ClientProjection,
    private readonly narrator: KvNarrator,
  ) {}

  reset(): void {
    this.elections.clear();
    this.services.clear();
    this.cronElectionOf.clear();
    this.ownerVersion = 0;
    this.dirty = false;
  }

  event(ev: SimEvent, change: ReplicaChange): void {
    if (change.applied) this.dirty = true;
    if (ev.type === 'action') this.onAction(ev);
    else if (ev.type === 'recipe') this.onRecipe(ev);
    else if (ev.type === 'lease' && ev.event === 'expired') {
      const owner = this.leases.ownerOf(ev.id);
      if (owner) this.depart(owner, `${owner}'s session lease expired at ${(ev.t / 1000).toFixed(3)} s (no keepalive within its TTL), which deleted its key`, ev.t);
    }
  }

  publish(_state: KvState, patch: KvPatch): void {
    // A queue shows each key's owner: a grant that named one changes what the queues show.
    if (this.dirty || this.leases.ownerVersion !== this.ownerVersion) {
      patch.elections = this.buildElections();
      patch.services = this.buildServices();
    }
    this.ownerVersion = this.leases.ownerVersion;
    this.dirty = false;
  }

  private onAction(ev: ActionEvent): void {
    if (ev.noop) return;
    const a = ev.action;
    const client = typeof a.client === 'string' ? a.client : null;
    switch (a.do) {
      case 'killClient':
        if (!client) return;
        // A dead client believes nothing; its key stays in the queue until its session lease expires.
        for (const el of this.elections.values()) el.believers.delete(client);
        break;
      case 'campaign':
      case 'observe': {
        const rec = this.electionRecord(String(a.election), 'election');
        if (a.do === 'campaign' && client) rec.candidates.add(client);
        break;
      }
      case 'lock':
        if (client) this.electionRecord(String(a.mutex), 'mutex').candidates.add(client);
        break;
      case 'cron': {
        this.cronElectionOf.set(String(a.job), String(a.election));
        const rec = this.electionRecord(String(a.election), 'cron');
        if (client) rec.candidates.add(client);
        break;
      }
      case 'register':
      case 'discover':
        this.serviceRecord(String(a.service));
        break;
      default:
        return;
    }
    this.dirty = true;
  }

  private electionRecord(name: string, kind: QueueKind): ElectionRecord {
    let rec = this.elections.get(name);
    if (!rec) {
      rec = { name, kind, prefix: queuePrefixOf(name), believers: new Map(), observers: new Map(), candidates: new Set(), departure: null };
      this.elections.set(name, rec);
    }
    return rec;
  }

  private serviceRecord(name: string): ServiceRecord {
    let rec = this.services.get(name);
    if (!rec) {
      rec = { name, pattern: 'lease', registrants: new Map(), discoverers: new Map() };
      this.services.set(name, rec);
    }
    return rec;
  }

  private onRecipe(ev: RecipeEvent): void {
    this.narrate(ev);
    this.dirty = true;
    const d = ev.detail;
    switch (ev.recipe) {
      case 'registry':
      case 'heartbeat': {
        const svc = this.serviceRecord(ev.name);
        svc.pattern = ev.recipe === 'heartbeat' ? 'heartbeat' : 'lease';
        if (ev.event === 'registered' && typeof d.instance === 'string') svc.registrants.set(d.instance, ev.client);
        if (ev.event === 'discovered' && Array.isArray(d.instances)) {
          const instances = (d.instances as { instance?: unknown; addr?: unknown }[]).map((i) => ({ instance: String(i.instance), addr: String(i.addr ?? '') }));
          svc.discoverers.set(ev.client, { instances, atMs: ev.t });
        }
        return;
      }
      case 'cron':
        // Runs are the cron lane's (cronProjection.ts); the job's own election carries the job's name, its
        // believers are kept under the job's election.
        if (ev.event !== 'run' && ev.event !== 'refused') this.believe(this.cronElection(ev.name), ev);
        return;
      case 'mutex':
        this.believe(this.electionRecord(ev.name, 'mutex'), ev);
        return;
      default: {
        const rec = this.electionRecord(ev.name, 'election');
        if (ev.event === 'observed') rec.observers.set(ev.client, { value: String(d.value ?? ''), atMs: ev.t });
        else this.believe(rec, ev);
      }
    }
  }

  /** Narrates a recipe event; a new leader's line says why the last one left, when that is known. */
  private narrate(ev: RecipeEvent): void {
    let text = narrateRecipe(ev);
    if (text && (ev.event === 'elected' || ev.event === 'locked')) {
      const rec = this.elections.get(ev.name) ?? (ev.recipe === 'cron' ? this.elections.get(this.cronElectionOf.get(ev.name) ?? '') : undefined);
      const gone = rec?.departure;
      if (rec && gone && gone.client !== ev.client) text = `${text.slice(0, -1)}, because ${gone.why}.`;
      if (rec) rec.departure = null;
    }
    if (text) this.narrator.line(ev.t, this.clients.nodeOf(ev.client), ev.client, text);
  }

  /** The election a cron job campaigns in: the cron action's `election` prefix (its events carry the job's name). */
  private cronElection(job: string): ElectionRecord {
    return this.electionRecord(this.cronElectionOf.get(job) ?? job, 'cron');
  }

  /** A client's session ended: the elections it stood in remember it as the reason for the next leader. */
  private depart(client: string, why: string, t: number): void {
    for (const rec of this.elections.values()) {
      if (!rec.candidates.has(client) && !rec.believers.has(client)) continue;
      rec.departure = { client, why, t };
      rec.candidates.delete(client);
      rec.believers.delete(client);
      this.dirty = true;
    }
  }

  private believe(rec: ElectionRecord, ev: RecipeEvent): void {
    switch (ev.event) {
      case 'elected':
      case 'locked':
        rec.believers.set(ev.client, ev.t);
        rec.candidates.add(ev.client);
        break;
      case 'resigned':
      case 'unlocked':
      case 'lost':
        rec.believers.delete(ev.client);
        rec.candidates.delete(ev.client);
        if (!rec.departure || rec.departure.client !== ev.client) {
          rec.departure = { client: ev.client, why: ev.event === 'lost' ? `${ev.client} lost its session${ev.detail.reason ? ` (${String(ev.detail.reason)})` : ''}` : `${ev.client} ${ev.event}`, t: ev.t };
        }
        break;
    }
  }

  private buildElections(): ElectionView[] {
    const keys = this.replicas.reference()?.keys() ?? [];
    const owners = this.leases.owners();
    return [...this.elections.values()].map((rec) => {
      const queue: QueueEntry[] = keys
        .filter((kv) => kv.key.startsWith(rec.prefix))
        .map((kv) => ({ key: kv.key, value: kv.value, createRevision: kv.createRevision, lease: kv.lease, owner: owners.get(kv.lease) ?? null }))
        .sort((a, b) => a.createRevision - b.createRevision);
      return {
        name: rec.name, kind: rec.kind, queue,
        believers: [...rec.believers].map(([client, sinceMs]) => ({ client, sinceMs })),
        observers: [...rec.observers].map(([client, o]) => ({ client, value: o.value, atMs: o.atMs })),
        candidates: [...rec.candidates],
      };
    });
  }

  private buildServices(): ServiceView[] {
    const keys = this.replicas.reference()?.keys() ?? [];
    return [...this.services.values()].map((svc) => ({
      name: svc.name, pattern: svc.pattern,
      live: keys.filter((kv) => kv.key.startsWith(svc.name)).map((kv) => {
        const instance = kv.key.slice(svc.name.length);
        return { instance, addr: addrOf(kv.value), key: kv.key, client: svc.registrants.get(instance) ?? null };
      }),
      discoverers: [...svc.discoverers].map(([client, v]) => ({ client, instances: v.instances, atMs: v.atMs })),
    }));
  }
}

/** The address in a registration's value ({"addr": ...} as etcd's endpoints write it), or the raw value. */
function addrOf(value: string): string {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { addr?: unknown }).addr === 'string') return (parsed as { addr: string }).addr;
  } catch {
    // A heartbeat value or a plain string: shown as it is.
  }
  return value;
}
