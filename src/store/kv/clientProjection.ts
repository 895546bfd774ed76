/**
 * The clients' projection: each client's node, pause, kill and link state, its operation in flight and its
 * last failure, and the completed operations (the console's outcomes). A client's links are cut and restored by
 * the simulator's own link rules (sim/linkRules.ts), read from the actions in the trace.
 */
import type { NodeId } from '../../raft/types.ts';
import { applyLinkChange, linkChangeOf, linkKey, type ActionEvent, type DirectedLink, type SimEvent } from '../../sim/index.ts';
import type { KvStore } from './createKvStore.ts';
import type { KvNarrator } from './kvNarrator.ts';
import type { KvPatch, KvProjection } from './kvProjection.ts';
import type { ClientView, KvState } from './kvState.ts';
import { describeOp, failureReason, narrateClientFailure, summarizeResult } from './kvNarration.ts';
import type { ReplicaChange, ReplicaSet } from './replicaSet.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type ClientEvent = Extract<SimEvent, { type: 'client' }>;

interface PendingOp {
  readonly op: Readonly<Record<string, unknown>>;
  readonly text: string;
}

export class ClientProjection implements KvProjection {
  private readonly clients = new Map<string, Mutable<ClientView>>();
  private readonly pendingOps = new Map<string, PendingOp>();
  /** The cut links that have a client at one end, keyed by linkKey. */
  private readonly cuts = new Set<string>();
  private outcomeSeq = 0;
  private dirty = false;
  private outcomesDirty = false;

  constructor(private readonly store: KvStore, private readonly replicas: ReplicaSet, private readonly narrator: KvNarrator) {}

  reset(): void {
    this.clients.clear();
    this.pendingOps.clear();
    this.cuts.clear();
    this.outcomeSeq = 0;
    this.dirty = this.outcomesDirty = false;
  }

  /** The node a client talks to now; 0 for an unknown client or one not yet attached. */
  nodeOf(client: string): NodeId {
    return this.clients.get(client)?.node ?? 0;
  }

  event(ev: SimEvent, change: ReplicaChange): void {
    if (change.crashedOrRestarted) this.dirty = true;
    switch (ev.type) {
      case 'action': return this.onAction(ev);
      case 'pause':
      case 'resume':
        if ('client' in ev) this.onPause(ev.client, ev.type === 'pause');
        return;
      case 'kvSend': return this.onKvSend(ev.msg.from, ev.msg.to);
      case 'client': return this.onClient(ev);
    }
  }

  publish(state: KvState, patch: KvPatch): void {
    if (this.dirty) patch.clients = [...this.clients.values()].map((c) => ({ ...c }));
    if (this.outcomesDirty) patch.outcomes = { ...state.outcomes, version: state.outcomes.version + 1 };
    this.dirty = this.outcomesDirty = false;
  }

  /** A client's pause or resume (a node's is the cluster view's). */
  private onPause(client: string, paused: boolean): void {
    const c = this.clients.get(client);
    if (!c) return;
    c.paused = paused;
    this.dirty = true;
  }

  private onAction(ev: ActionEvent): void {
    if (ev.noop) return;
    const a = ev.action;
    const client = typeof a.client === 'string' ? a.client : null;
    if (a.do === 'client' && client) {
      this.clients.set(client, {
        name: client, node: typeof ev.node === 'number' ? ev.node : typeof a.via === 'number' ? a.via : 0,
        requireLeader: a.requireLeader === true, killed: false, paused: false, cutToNode: false, cutFromNode: false, pending: null, lastError: null,
      });
      this.dirty = true;
    } else if (a.do === 'killClient' && client) {
      const c = this.clients.get(client);
      if (c) {
        c.killed = true;
        c.paused = false;
        c.pending = null;
        this.dirty = true;
      }
      this.narrator.line(ev.t, c?.node ?? 0, client, `${client} is killed: it does nothing more; its pending request never completes and its sessions end when their leases expire.`);
    } else {
      const links = linkChangeOf(ev, this.replicas.all.length);
      if (!links) return;
      applyLinkChange(this.cuts, links, withClient);
      this.showCuts();
    }
  }

  /** Shows, for each client, whether the two directions of its link to its node are cut now. */
  private showCuts(): void {
    for (const c of this.clients.values()) {
      const toNode = this.cuts.has(linkKey(c.name, c.node));
      const fromNode = this.cuts.has(linkKey(c.node, c.name));
      if (c.cutToNode === toNode && c.cutFromNode === fromNode) continue;
      c.cutToNode = toNode;
      c.cutFromNode = fromNode;
      this.dirty = true;
    }
  }

  /** A client's request went to another node: a client attached to "any" moved. */
  private onKvSend(from: unknown, to: unknown): void {
    if (typeof from !== 'string' || typeof to !== 'number') return;
    const c = this.clients.get(from);
    if (c && c.node !== to) {
      c.node = to;
      this.dirty = true;
      this.showCuts();
    }
  }

  private onClient(ev: ClientEvent): void {
    const c = this.clients.get(ev.client);
    const opKey = `${ev.client}#${ev.id}`;
    if (ev.phase === 'invoke') {
      const text = describeOp(ev.op);
      this.pendingOps.set(opKey, { op: ev.op, text });
      if (c && ev.op.do !== 'keepalive') {
        c.pending = text;
        this.dirty = true;
      }
      return;
    }
    const pending = this.pendingOps.get(opKey);
    this.pendingOps.delete(opKey);
    if (c && pending && c.pending === pending.text) c.pending = null;
    if (pending && pending.op.do !== 'keepalive') {
      this.store.getState().outcomes.lines.push({
        seq: ++this.outcomeSeq, t: ev.t, client: ev.client, id: ev.id, op: pending.text, phase: ev.phase,
        text: ev.phase === 'ok' ? summarizeResult(pending.op, ev.result) : `Error: ${ev.error}`,
      });
      this.outcomesDirty = true;
    }
    if (ev.phase === 'ok') {
      if (c && pending && pending.op.do !== 'keepalive') c.lastError = null;
    } else {
      const text = pending?.text ?? `operation ${ev.id}`;
      const node = c?.node ?? 0;
      if (c) c.lastError = { t: ev.t, reason: failureReason(ev.error) ?? ev.error };
      this.narrator.line(ev.t, node, ev.client, narrateClientFailure(ev.client, text, ev.phase, ev.error, node));
    }
    this.dirty = true;
  }
}

/** A client's own links: the ones with a client at one end (the cluster view draws those between nodes). */
function withClient(link: DirectedLink): boolean {
  return typeof link[0] === 'string' || typeof link[1] === 'string';
}
