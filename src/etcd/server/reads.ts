/**
 * Linearizable reads (Raft thesis §6.4): a read asks the core for a read index (ReadIndex, or the lease read
 * when the core is configured for it) and is served from the local replica once the node has applied that
 * index, so any node can serve one. Serializable reads need none of this (the dispatcher serves them at once).
 */
import type { GetRequest, KvStateMachine } from '../../kv/index.ts';
import type { RawNode } from '../../raft/index.ts';
import type { LogIndex } from '../../raft/types.ts';
import type { HeldRequest } from './heldRequest.ts';
import type { InstanceNames } from './instanceNames.ts';
import type { ServerOutbox } from './outbox.ts';

interface PendingRead {
  readonly request: GetRequest;
  readonly held: HeldRequest;
}

interface ConfirmedRead extends PendingRead {
  readonly index: LogIndex;
}

export class LinearizableReads {
  /** Reads awaiting their read index, by ReadIndex context. */
  private readonly reads = new Map<string, PendingRead>();
  /** Reads whose index is confirmed, awaiting apply. */
  private confirmed: ConfirmedRead[] = [];

  constructor(
    private readonly raft: RawNode,
    private readonly machine: KvStateMachine,
    private readonly names: InstanceNames,
    private readonly outbox: ServerOutbox,
  ) {}

  /** Asks the core for the read index of `request`; the answer comes through confirm or takeFailed. */
  start(held: HeldRequest, request: GetRequest): void {
    const context = this.names.readContext('r');
    this.reads.set(context, { request, held });
    this.raft.readIndex(context);
  }

  /** The core confirmed the read index of `context` (if it names a read of this node's). */
  confirm(context: string, index: LogIndex): void {
    const read = this.reads.get(context);
    if (!read) return;
    this.reads.delete(context);
    this.confirmed.push({ ...read, index });
  }

  /** The core could not confirm `context` (no leader, leadership lost): the read, to wait for the next leader. */
  takeFailed(context: string): HeldRequest | undefined {
    const read = this.reads.get(context);
    if (!read) return undefined;
    this.reads.delete(context);
    return read.held;
  }

  /** Answers every confirmed read whose index the replica has applied. */
  serveConfirmed(): void {
    if (this.confirmed.length === 0) return;
    const applied = this.machine.appliedIndex;
    const later: ConfirmedRead[] = [];
    for (const read of this.confirmed) {
      if (read.index <= applied) this.outbox.respond(read.held.waiter, this.machine.get(read.request));
      else later.push(read);
    }
    this.confirmed = later;
  }

  /** Forgets reads whose client has given up. */
  dropStale(nowMs: number): void {
    for (const [context, read] of this.reads) if (read.held.deadlineMs <= nowMs) this.reads.delete(context);
    if (this.confirmed.length > 0) this.confirmed = this.confirmed.filter((r) => r.held.deadlineMs > nowMs);
  }
}
