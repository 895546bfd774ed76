/**
 * A client's watches and their resync protocol (docs/clients.md, "The contract"): the node numbers a stream's
 * messages; the client delivers them in order, and when one is lost, its node restarted or the client moved to
 * another node, it reopens the stream from the revision after the last event it delivered, so its `watch`
 * events have no gap and no duplicate. Separate from the endpoint (clientEndpoint.ts), which only carries the
 * requests this protocol sends.
 */
import type { KeyValue, WatchEvent } from '../../kv/index.ts';
import type { NodeId } from '../../raft/types.ts';
import type { ClientOp, ClientWatchEventsMsg } from '../server/messages.ts';
import type { ClientCore, ClientOutcome } from './clientPort.ts';

/** A watch as a client opens it (the `watch` action's fields). */
export interface WatchSpec {
  /** The watch's name, unique among the client's open watches (recipes start theirs with `_`). */
  readonly watch: string;
  readonly key: string;
  readonly rangeEnd?: string;
  readonly prefix?: boolean;
  /** Inclusive; 0 or absent = from the next revision. */
  readonly startRevision?: number;
  readonly prevKv?: boolean;
}

/** Where a watch's events go (besides the trace). */
export interface WatchHandlers {
  /** Events of one delivery, in revision order, none missing, none repeated. */
  onEvents(events: readonly WatchEvent[]): void;
  /** The cluster cancelled the watch (its start revision was compacted): nothing follows. */
  onCancelled(error: string): void;
}

/** The live part of one watch. */
interface WatchState {
  readonly name: string;
  readonly key: string;
  readonly rangeEnd?: string;
  readonly prefix?: boolean;
  readonly prevKv?: boolean;
  /** Reopening counter: the stream id is `${client}/${name}#${epoch}`. */
  epoch: number;
  stream: string;
  /** The next revision owed to the trace. Invariant: every event below it in the range was emitted once. */
  nextRevision: number;
  /** Next message number expected on the stream; -1 until the create answer (number 0) arrived. */
  nextSeq: number;
  /** Messages that arrived ahead of their turn (or before the create answer), by `${instance}#${seq}`. */
  readonly early: Map<string, ClientWatchEventsMsg>;
  /** The stream instance the create answer named: only its messages count. */
  instance: string;
  /** Messages below this number had been sent when the last probe was answered: they are overdue by the next. */
  owedSeq: number;
  /** The node the stream lives on. */
  node: NodeId;
  /** A reopen is in flight. */
  reopening: boolean;
  /** Where events go besides the trace (a recipe's watch). */
  readonly handlers?: WatchHandlers;
}

export class WatchStreams {
  private readonly watches = new Map<string, WatchState>();
  private probeArmed = false;

  constructor(private readonly client: ClientCore) {}

  /** Opens a watch (see ClientEndpoint.openWatch). */
  open(spec: WatchSpec, options: { handlers?: WatchHandlers; onOutcome?: (outcome: ClientOutcome) => void }): void {
    const name = spec.watch;
    const traceOp = { do: 'watch', ...spec };
    if (this.watches.has(name)) {
      this.client.failNow(traceOp, `watch ${JSON.stringify(name)} is already open`, options.onOutcome);
      return;
    }
    const startRevision = spec.startRevision ?? 0;
    const watch: WatchState = {
      name, key: spec.key, rangeEnd: spec.rangeEnd, prefix: spec.prefix, prevKv: spec.prevKv, epoch: 0, stream: `${this.client.name}/${name}#0`,
      nextRevision: startRevision, nextSeq: -1, early: new Map(), instance: '', owedSeq: 0, node: this.client.currentNode(), reopening: false, handlers: options.handlers,
    };
    // Registered at once, so stream messages that overtake the create answer wait in `early`.
    this.watches.set(name, watch);
    this.client.request(watchOp(watch, startRevision), {
      traceOp,
      // The replayed history follows as a `watch` event; the op's result is its header (the contract).
      traceResult: (result) => ({ header: result.header }),
      onDone: (outcome) => {
        if (this.watches.get(name) === watch) {
          if (outcome.phase === 'ok') this.opened(watch, outcome.result, outcome.node);
          else this.watches.delete(name);
        }
        options.onOutcome?.(outcome.phase === 'ok' ? { ...outcome, result: { header: outcome.result.header } } : outcome);
      },
    });
  }

  /** Closes a watch (see ClientEndpoint.closeWatch). */
  close(name: string, onOutcome?: (outcome: ClientOutcome) => void): void {
    const traceOp = { do: 'cancelWatch', watch: name };
    const watch = this.watches.get(name);
    if (!watch) {
      this.client.failNow(traceOp, `no open watch ${JSON.stringify(name)}`, onOutcome);
      return;
    }
    this.watches.delete(name);
    this.client.request({ do: 'cancelWatch', stream: watch.stream }, { traceOp, onDone: (outcome) => onOutcome?.(outcome) });
  }

  /** The client moved to another node: streams live on the node, so the open ones reopen there. */
  moved(): void {
    // A create in flight is retried on the new node by the request itself.
    for (const watch of this.watches.values()) if (watch.nextSeq >= 0) this.reopen(watch);
  }

  /** The client was killed: every watch is forgotten. */
  clear(): void {
    this.watches.clear();
  }

  /** A stream message arrived: taken in order, kept when early, dropped when stale or another instance's. */
  receive(msg: ClientWatchEventsMsg): void {
    const watch = [...this.watches.values()].find((w) => w.stream === msg.stream);
    if (!watch) return; // a closed stream's
    if (watch.nextSeq < 0) {
      watch.early.set(`${msg.instance}#${msg.seq}`, msg); // the create answer has not come yet
      return;
    }
    if (msg.instance !== watch.instance || msg.seq < watch.nextSeq) return; // another instance's, or a duplicate
    if (msg.seq > watch.nextSeq) {
      watch.early.set(`${msg.instance}#${msg.seq}`, msg);
      return;
    }
    this.take(watch, msg);
    this.drainEarly(watch);
  }

  private opened(watch: WatchState, result: Readonly<Record<string, unknown>>, node: NodeId): void {
    const header = result.header as { revision: number };
    if (watch.nextRevision === 0) watch.nextRevision = header.revision + 1;
    // The stream lives where the create was answered (a retried create may have reached several nodes).
    watch.node = node;
    this.resume(watch, result, node);
    this.armProbe();
  }

  /**
   * A create answer arrived: the stream lives on `node`, under the instance the answer names (a retried create
   * may have opened other instances, on this node, on another, or before a restart); its replay is delivered and
   * its messages count from number 1.
   */
  private resume(watch: WatchState, result: Readonly<Record<string, unknown>>, node: NodeId): void {
    watch.node = node;
    watch.instance = result.instance as string;
    for (const [key, msg] of watch.early) if (msg.instance !== watch.instance) watch.early.delete(key);
    this.deliver(watch, result.events as readonly WatchEvent[]);
    watch.nextSeq = 1;
    this.drainEarly(watch);
  }

  private drainEarly(watch: WatchState): void {
    for (let msg = watch.early.get(`${watch.instance}#${watch.nextSeq}`); msg; msg = watch.early.get(`${watch.instance}#${watch.nextSeq}`)) {
      watch.early.delete(`${msg.instance}#${msg.seq}`);
      this.take(watch, msg);
    }
  }

  private take(watch: WatchState, msg: ClientWatchEventsMsg): void {
    watch.nextSeq = msg.seq + 1;
    if (msg.canceled !== undefined) {
      this.cancelWith(watch, msg.canceled);
      return;
    }
    this.deliver(watch, msg.events);
  }

  /** Emits the events not yet delivered (a reopened stream may replay some), in order. */
  private deliver(watch: WatchState, events: readonly WatchEvent[]): void {
    const fresh = events.filter((e) => e.kv.modRevision >= watch.nextRevision);
    if (fresh.length === 0) return;
    watch.nextRevision = fresh[fresh.length - 1]!.kv.modRevision + 1;
    const bus = this.client.bus;
    const delivered = fresh.map(plainEvent);
    bus.emit({ t: bus.nowMs, type: 'watch', client: this.client.name, watch: watch.name, events: delivered });
    watch.handlers?.onEvents(delivered);
  }

  private cancelWith(watch: WatchState, error: string): void {
    this.watches.delete(watch.name);
    const bus = this.client.bus;
    bus.emit({ t: bus.nowMs, type: 'watch', client: this.client.name, watch: watch.name, events: [], canceled: true, error });
    watch.handlers?.onCancelled(error);
  }

  private armProbe(): void {
    if (this.probeArmed || this.watches.size === 0) return;
    this.probeArmed = true;
    this.client.after(this.client.bus.nowMs + 2 * this.client.retryMs, () => {
      this.probeArmed = false;
      this.probe();
    });
  }

  /**
   * Every 2 × retryMs: a stream still waiting for a missing message is reopened; otherwise the node is asked
   * whether it still holds the stream (a restarted node forgot it).
   */
  private probe(): void {
    for (const watch of [...this.watches.values()]) {
      if (watch.reopening || watch.nextSeq < 0) continue;
      // A gap, a message sent before the last probe and still missing, or a move: the stream is reopened.
      if (watch.early.size > 0 || watch.nextSeq < watch.owedSeq || watch.node !== this.client.currentNode()) {
        this.reopen(watch);
        continue;
      }
      const stream = watch.stream;
      this.client.request({ do: 'watchProgress', stream }, {
        traceOp: null, once: true,
        onDone: (outcome) => {
          if (outcome.phase !== 'ok' || this.watches.get(watch.name) !== watch || watch.stream !== stream) return;
          if (outcome.result.exists === false) this.reopen(watch);
          else if (outcome.result.instance === watch.instance) watch.owedSeq = outcome.result.nextSeq as number;
        },
      });
    }
    this.armProbe();
  }

  /** Opens the stream again on the current node from the next revision owed (the old one is cancelled). */
  private reopen(watch: WatchState): void {
    if (watch.reopening) return;
    const old = watch.stream;
    this.client.request({ do: 'cancelWatch', stream: old }, { traceOp: null, once: true, onDone: () => undefined });
    watch.epoch++;
    watch.stream = `${this.client.name}/${watch.name}#${watch.epoch}`;
    watch.nextSeq = -1;
    watch.owedSeq = 0;
    watch.early.clear();
    watch.node = this.client.currentNode();
    watch.reopening = true;
    const stream = watch.stream;
    this.client.request(watchOp(watch, watch.nextRevision), {
      traceOp: null,
      onDone: (outcome) => {
        if (this.watches.get(watch.name) !== watch || watch.stream !== stream) return;
        watch.reopening = false;
        if (outcome.phase === 'ok') {
          this.resume(watch, outcome.result, outcome.node);
        } else if (outcome.error.startsWith('mvcc:')) {
          this.cancelWith(watch, outcome.error);
        }
        // Otherwise (timed out) the next probe reopens it again.
      },
    });
  }
}

/** The request that creates a watch's stream (the key order is the trace's: `send` events show it). */
function watchOp(watch: WatchState, startRevision: number): ClientOp {
  return {
    do: 'watch', stream: watch.stream, key: watch.key, ...(watch.rangeEnd !== undefined ? { rangeEnd: watch.rangeEnd } : {}),
    ...(watch.prefix !== undefined ? { prefix: watch.prefix } : {}), startRevision, ...(watch.prevKv !== undefined ? { prevKv: watch.prevKv } : {}),
  };
}

/** A watch event as the trace writes it (KeyValue fields in the contract's order). */
function plainEvent(event: WatchEvent): WatchEvent {
  const kv = (k: KeyValue): KeyValue => ({
    key: k.key, value: k.value, createRevision: k.createRevision, modRevision: k.modRevision, version: k.version, lease: k.lease,
  });
  return event.prevKv ? { type: event.type, kv: kv(event.kv), prevKv: kv(event.prevKv) } : { type: event.type, kv: kv(event.kv) };
}
