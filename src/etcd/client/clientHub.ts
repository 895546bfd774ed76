/**
 * The clients of a run and their links (docs/clients.md, "The contract"). Each client has its own links to the
 * nodes, one per direction; `partition` and `isolate` act on links between nodes only, so a client's links
 * change only when an action names the client (`cut`/`restore` with it as `from` or `to`, a `partition` group
 * listing it) or on `heal`, which restores every link.
 *
 * The simulator owns the bus (trace, latency, loss, duplication, the clock and the seeded PRNG) and reaches the
 * clients through this hub; the hub reaches the simulator only through the port it defines, `ClientHubPort` (a
 * bus to send on, a clock, timers, a trace sink, a random source): the etcd layer never sees a World.
 */
import type { NodeId, RandomSource } from '../../raft/types.ts';
import type { KvBusMsg, ToClientMsg } from '../server/messages.ts';
import { ClientEndpoint } from './clientEndpoint.ts';
import type { ClientBus } from './clientPort.ts';
import type { ClientSpec } from './clientOps.ts';
import type { ClientTraceEvent } from './clientTrace.ts';

/** What the hub needs from the simulator that hosts it. */
export interface ClientHubPort {
  readonly nowMs: number;
  readonly nodeCount: number;
  /** Puts a key-value message on the bus (traced; delivered, dropped or duplicated like any message). */
  sendKv(msg: KvBusMsg): void;
  /** Calls hub.fire(client, timer) at `atMs`. */
  setClientTimer(atMs: number, client: string, timer: number): void;
  emit(event: ClientTraceEvent): void;
  /** The simulator's seeded source (a client's first node is drawn from it). */
  readonly random: RandomSource;
}

/** Defaults of a client's timing, from the cluster's election timeout. */
export interface ClientDefaults {
  /** etcd's request timeout: 5 s plus twice the election timeout. */
  readonly timeoutMs: number;
  /** One attempt's wait before the request is sent again. */
  readonly retryMs: number;
}

/** etcd's ReqTimeout (server/config): 5000 ms + 2 × election timeout. */
export function clientDefaultsFor(electionTimeoutMs: number): ClientDefaults {
  return { timeoutMs: 5000 + 2 * electionTimeoutMs, retryMs: electionTimeoutMs };
}

export class ClientHub {
  private readonly clients = new Map<string, ClientEndpoint>();
  /** Cut directed links with a client at one end, as `${from}>${to}`. */
  private readonly cuts = new Set<string>();
  private readonly bus: ClientBus;

  constructor(private readonly port: ClientHubPort, private readonly defaults: ClientDefaults) {
    this.bus = {
      get nowMs() {
        return port.nowMs;
      },
      send: (msg) => port.sendKv(msg),
      setTimer: (atMs, client, timer) => port.setClientTimer(atMs, client.name, timer),
      emit: (event) => port.emit(event),
      pickNode: (avoid) => this.pickNode(avoid),
    };
  }

  /** The client named so, if it exists (killed ones included). */
  get(name: string): ClientEndpoint | undefined {
    return this.clients.get(name);
  }

  /** Every client, in creation order. */
  all(): IterableIterator<ClientEndpoint> {
    return this.clients.values();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Creates a client; returns it, or a reason it could not be created. */
  create(spec: ClientSpec): ClientEndpoint | string {
    if (this.clients.has(spec.client)) return `client ${spec.client} already exists`;
    const client = new ClientEndpoint(spec, this.bus, this.defaults);
    this.clients.set(spec.client, client);
    return client;
  }

  /** A message for a client arrived (the simulator checked the link). */
  deliver(msg: ToClientMsg): void {
    this.clients.get(msg.to)?.receive(msg);
  }

  /** Whether a message to this client would be dropped as `crashed` (killed or never created). */
  isGone(name: string): boolean {
    const client = this.clients.get(name);
    return client === undefined || client.killed;
  }

  fire(name: string, timer: number): void {
    const client = this.clients.get(name);
    if (client && !client.killed) client.fire(timer);
  }

  // ---- links ----

  isCut(from: NodeId | string, to: NodeId | string): boolean {
    return this.cuts.size > 0 && this.cuts.has(`${from}>${to}`);
  }

  setCut(from: NodeId | string, to: NodeId | string, cut: boolean): void {
    if (cut) this.cuts.add(`${from}>${to}`);
    else this.cuts.delete(`${from}>${to}`);
  }

  /** Cuts each of `links` (a `partition` listing clients: which ones is the simulator's link rule, sim/linkRules.ts). */
  cutAll(links: readonly (readonly [NodeId | string, NodeId | string])[]): void {
    for (const [from, to] of links) this.setCut(from, to, true);
  }

  heal(): void {
    this.cuts.clear();
  }

  /** A node for a client attached to "any": a seeded draw among the nodes, avoiding `avoid` when possible. */
  private pickNode(avoid: NodeId): NodeId {
    const n = this.port.nodeCount;
    if (n === 1 || avoid === 0) return 1 + this.port.random.int(n);
    const pick = 1 + this.port.random.int(n - 1);
    return pick >= avoid ? pick + 1 : pick;
  }
}
