/**
 * Runs scripts against a simulated three-node Flotilla cluster through a client on the bus: every action is a
 * client request (traced, retried, answered by the node the client is attached to after it applied the command,
 * or after ReadIndex for a read), exactly as a scenario's client would send it. A `watch` opens a watch from the
 * past revision, takes its replay, and closes it. Answers drop `header.raftTerm` (etcd's terms differ).
 *
 * Each reset starts a fresh cluster and runs it until it has a leader. The cluster's election timeout is chosen
 * so its minimum lease TTL, ceil(1.5 × election timeout), is etcd's 2 s (etcd rounds its minimum up to whole
 * seconds; Flotilla's TTLs are milliseconds, see differences.ts): 1333 ms with a 1 ms tick.
 */
import type { Outcome } from '../../src/kv/index.ts';
import type { ClientEndpoint } from '../../src/etcd/client/clientEndpoint.ts';
import type { ClientOutcome } from '../../src/etcd/client/clientPort.ts';
import type { ClientOp } from '../../src/etcd/server/messages.ts';
import { InlineHost } from '../../src/sim/inlineHost.ts';
import { resolveScenario, type ResolvedScenario } from '../../src/sim/scenario.ts';
import type { TraceEvent } from '../../src/sim/traceEvents.ts';
import { World } from '../../src/sim/world.ts';
import { kvClients } from '../../src/etcd/kvClients.ts';
import type { ScriptTarget, TargetAction } from './script.ts';

/** How long (virtual ms) one action may take before the target gives up: far beyond any healthy answer. */
const ACTION_DEADLINE_MS = 60_000;

export class FlotillaClusterTarget implements ScriptTarget {
  readonly name: string;
  private world!: World;
  private host!: InlineHost;
  private client!: ClientEndpoint;
  private grants = 0;
  private watches = 0;
  /** Every trace event of the current script's run (for checks on the run itself). */
  events: TraceEvent[] = [];

  /** @param electionTimeoutMs the cluster's; 1333 (with tickMs 1) gives etcd's 2 s minimum lease TTL. */
  constructor(private readonly electionTimeoutMs = 1333, private readonly tickMs = 1) {
    this.name = `flotilla (3-node cluster, election timeout ${electionTimeoutMs} ms)`;
  }

  async reset(): Promise<void> {
    const scenario: ResolvedScenario = resolveScenario({
      name: 'etcd compatibility', nodes: 3, seed: 1, until: Number.MAX_SAFE_INTEGER,
      config: { electionTimeoutMs: this.electionTimeoutMs, heartbeatMs: 100, tickMs: this.tickMs },
      actions: [{ at: 0, do: 'client', client: 'script', via: 1 }],
    });
    this.world = new World({ scenario, clientLayer: kvClients });
    this.host = new InlineHost();
    this.events = [];
    this.world.subscribe((e) => {
      if (e.type !== 'explain' && e.type !== 'read') this.events.push(e);
    });
    this.grants = 0;
    this.watches = 0;
    this.runWhile(() => this.world.resolveNode('leader') === 0 || this.world.clientHub.get('script') === undefined);
    this.client = this.world.clientHub.get('script')!;
  }

  async execute(action: TargetAction): Promise<Outcome<unknown>> {
    if (action.do === 'watch') return this.watch(action);
    let outcome: ClientOutcome | undefined;
    const op = this.opOf(action);
    // Traced in the contract's shapes: leases named (here by their ids, or the grant's own name).
    const traceOp = op.do === 'grant' ? { do: 'grant', lease: op.name, ttlMs: op.ttlMs } : op.do === 'revoke' ? { do: 'revoke', lease: op.id } : { ...action };
    this.client.request(op, { traceOp, onDone: (o) => (outcome = o) });
    this.runWhile(() => outcome === undefined);
    return answer(outcome!);
  }

  private opOf(action: Exclude<TargetAction, { do: 'watch' }>): ClientOp {
    switch (action.do) {
      case 'grant':
        return { do: 'grant', ttlMs: action.ttlMs, name: `L${++this.grants}` };
      case 'txn':
        return { ...action, compare: action.compare.map((c) => (c.target === 'lease' ? { ...c, value: String(c.value) } : c)) } as ClientOp;
      default:
        return action as ClientOp;
    }
  }

  private async watch(action: Extract<TargetAction, { do: 'watch' }>): Promise<Outcome<unknown>> {
    const { do: _do, ...spec } = action;
    const name = `w${++this.watches}`;
    const events: unknown[] = [];
    let canceled: string | undefined;
    let outcome: ClientOutcome | undefined;
    this.client.openWatch({ watch: name, ...spec }, {
      handlers: { onEvents: (delivered) => events.push(...delivered), onCancelled: (error) => (canceled = error) },
      onOutcome: (o) => (outcome = o),
    });
    this.runWhile(() => outcome === undefined);
    if (outcome!.phase !== 'ok') return { ok: false, error: outcome!.error };
    if (canceled !== undefined) return { ok: false, error: canceled };
    let closed = false;
    this.client.closeWatch(name, () => (closed = true));
    this.runWhile(() => !closed);
    const header = outcome!.result.header as { revision: number };
    return { ok: true, result: { header: { revision: header.revision }, events } };
  }

  /** Runs the world in small slices while `pending()` holds. */
  private runWhile(pending: () => boolean): void {
    const deadline = this.world.now + ACTION_DEADLINE_MS;
    while (pending()) {
      if (this.world.now >= deadline) throw new Error(`flotilla cluster target: no answer within ${ACTION_DEADLINE_MS} ms`);
      this.world.runUntil(this.world.now + 5, this.host);
    }
  }
}

/** A client outcome as a script answer: header.raftTerm dropped; a timeout is a harness error (the cluster is healthy). */
function answer(outcome: ClientOutcome): Outcome<unknown> {
  if (outcome.phase !== 'ok') {
    if (outcome.phase === 'info') throw new Error(`flotilla cluster target: outcome unknown (${outcome.error})`);
    return { ok: false, error: outcome.error };
  }
  const { header, ...rest } = outcome.result as { header: { revision: number } };
  return { ok: true, result: { header: { revision: header.revision }, ...rest } };
}
