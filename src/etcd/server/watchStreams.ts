/**
 * A node's watch streams: its watchers see the entries it applies, in order, and each client stream is
 * numbered so the client can put messages back in order and notice a lost one. Every opening of a stream has
 * its own instance name, so the client can ignore an earlier opening's messages.
 */
import { WatchHub, type KvStateMachine, type StoreEvent } from '../../kv/index.ts';
import type { NodeId } from '../../raft/types.ts';
import type { HeldRequest } from './heldRequest.ts';
import type { InstanceNames } from './instanceNames.ts';
import type { ClientName, ClientOp } from './messages.ts';
import type { ServerOutbox } from './outbox.ts';

interface WatchStream {
  /** Names this opening of the stream: its messages carry it, so the client ignores an earlier opening's. */
  readonly instance: string;
  readonly client: ClientName;
  /** Number of the next events message. Invariant: messages 1..seq-1 were sent. */
  seq: number;
}

export class WatchStreams {
  private readonly watchers: WatchHub;
  private readonly streams = new Map<string, WatchStream>();

  constructor(
    private readonly nodeId: NodeId,
    private readonly machine: KvStateMachine,
    private readonly names: InstanceNames,
    private readonly outbox: ServerOutbox,
  ) {
    this.watchers = new WatchHub(machine.store);
  }

  /**
   * Every create opens the stream anew (a retried create, whose answer was lost, starts over from the asked
   * revision) under a fresh instance name: the client takes only the answered instance's messages.
   */
  open(request: HeldRequest, op: Extract<ClientOp, { do: 'watch' }>): void {
    const { do: _do, stream, ...watch } = op;
    this.watchers.cancel(stream);
    this.streams.delete(stream);
    const created = this.watchers.watch(stream, watch);
    if (!created.ok) {
      this.outbox.respond(request.waiter, { ok: false, error: created.error });
      return;
    }
    const instance = this.names.streamInstance();
    this.streams.set(stream, { instance, client: request.waiter.client, seq: 1 });
    this.outbox.respond(request.waiter, { ok: true, result: { header: created.header, events: created.events, instance } });
  }

  cancel(request: HeldRequest, stream: string): void {
    this.watchers.cancel(stream);
    this.streams.delete(stream);
    this.outbox.respond(request.waiter, { ok: true, result: { header: { revision: this.machine.revision } } });
  }

  /**
   * Whether the stream still exists here (a restarted node lost it), and (for the client to notice a lost last
   * message) which instance it is and the number its next message will have.
   */
  progress(request: HeldRequest, stream: string): void {
    const open = this.streams.get(stream);
    const progress = open ? { exists: true, instance: open.instance, nextSeq: open.seq } : { exists: false };
    this.outbox.respond(request.waiter, { ok: true, result: { header: { revision: this.machine.revision }, ...progress } });
  }

  /** Sends the events of an applied entry to the streams that watch them. */
  publish(events: readonly StoreEvent[]): void {
    if (events.length === 0) return;
    for (const delivery of this.watchers.publish(events)) {
      const stream = this.streams.get(delivery.watchId);
      if (!stream) continue;
      this.outbox.send({
        type: 'ClientWatchEvents', from: this.nodeId, to: stream.client, stream: delivery.watchId, instance: stream.instance,
        seq: stream.seq++, events: delivery.events,
      });
    }
  }
}
