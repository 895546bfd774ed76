/**
 * Applying committed entries on one node: every entry to the replica, in log order, then whatever the entry
 * means beyond the replica on this node: a lease change to report, events for its watch streams, answers for
 * the clients that waited on it here, the lessor's promotion when a new leader applies its term's first entry.
 */
import { decodeCommand, type KvStateMachine } from '../../kv/index.ts';
import type { Entry, LogIndex, NodeId } from '../../raft/types.ts';
import type { LeaderLeaseClock } from './leaderLeaseClock.ts';
import type { LeaseNotes } from './leaseNotes.ts';
import type { NodeClock } from './nodeClock.ts';
import type { ProposalTracker } from './proposals.ts';
import type { WatchStreams } from './watchStreams.ts';

/** What applying an entry touches besides the replica. */
export interface EntryApplierDeps {
  readonly nodeId: NodeId;
  readonly machine: KvStateMachine;
  readonly clock: NodeClock;
  readonly leaseClock: LeaderLeaseClock;
  readonly leaseNotes: LeaseNotes;
  readonly watchStreams: WatchStreams;
  readonly proposals: ProposalTracker;
  /**
   * A restarted node re-applies its log up to the commit index it persisted: those entries' lease changes were
   * already reported (by its earlier life), so they are applied silently. 0 for a fresh node.
   */
  readonly reappliedThroughIndex: LogIndex;
}

export class EntryApplier {
  constructor(private readonly deps: EntryApplierDeps) {}

  apply(entry: Entry): void {
    const machine = this.deps.machine;
    // Invariant: entries apply once each, in log order, with no gap (applied <= commit, Raft Figure 2).
    if (entry.index !== machine.appliedIndex + 1) {
      throw new Error(`EntryApplier.apply: entry ${entry.index} follows applied index ${machine.appliedIndex}; entries apply in order without gaps`);
    }
    const data = entry.data;
    // Only commands change the replica; a leader's empty entry, a Raft-only scenario's plain strings and data that
    // is no command are no-ops, but every committed entry advances the applied index: a read confirmed at a new
    // leader's empty entry is served once that entry applies, not at the next write (tests/scenarios/read-without-writes.json).
    if (data === null || data.charCodeAt(0) !== 0x7b /* { */ || !this.applyCommandData(entry, data)) {
      machine.applyEntryData(null, { index: entry.index, nowMs: this.deps.clock.leaseStartMs });
    }
    this.deps.leaseClock.promoteOnApply(entry);
  }

  /** Applies a command entry; false (nothing applied) when `data` is no command. */
  private applyCommandData(entry: Entry, data: string): boolean {
    const decoded = decodeCommand(data);
    if (!decoded.ok) return false; // not a command: applied as a no-op on every replica alike
    const command = decoded.result;
    const { nodeId, machine, leaseNotes } = this.deps;
    const applied = machine.applyCommand(command, { index: entry.index, nowMs: this.deps.clock.leaseStartMs });
    const change = applied.leaseChange;
    if (change && (command.request.do === 'grant' || command.request.do === 'revoke')) {
      const { by, name } = command.request;
      if (change.kind === 'granted' && name !== undefined) leaseNotes.named(change.id, name);
      // Reported once, by the node that proposed the change (a duplicate or a revoke of a lease already gone
      // changes nothing, so it is never reported twice).
      if (by === nodeId && entry.index > this.deps.reappliedThroughIndex) {
        const ttlMs = change.kind === 'granted' ? machine.leases.get(change.id)?.ttlMs : undefined;
        leaseNotes.note(change.id, change.kind, ttlMs);
      }
    }
    this.deps.watchStreams.publish(applied.events);
    this.deps.proposals.answerApplied(command, applied.outcome);
    return true;
  }
}
