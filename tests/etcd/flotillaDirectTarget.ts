/**
 * Runs scripts against Flotilla's state machine directly: each action becomes a command applied at the next
 * log index, as a committed entry would be, and a watch is opened on a WatchHub over the same store, its
 * replay taken, and closed. Lease ids are chosen the way a proposer chooses them: deterministically.
 *
 * A later target will run the same scripts through clients against a simulated cluster (see README.md here).
 */
import { KvStateMachine, WatchHub, type KvRequest, type Outcome } from '../../src/kv/index.ts';
import type { ScriptTarget, TargetAction } from './script.ts';

export class FlotillaDirectTarget implements ScriptTarget {
  readonly name = 'flotilla (state machine)';
  private machine!: KvStateMachine;
  private hub!: WatchHub;
  private index = 0;
  private nextLease = 0;

  /** @param minLeaseTtlMs the minimum TTL the etcd cluster under comparison applies (etcd rounds it to seconds). */
  constructor(private readonly minLeaseTtlMs: number) {}

  async reset(): Promise<void> {
    this.machine = new KvStateMachine({ minLeaseTtlMs: this.minLeaseTtlMs });
    this.hub = new WatchHub(this.machine.store);
    this.index = 0;
    this.nextLease = 0;
  }

  async execute(action: TargetAction): Promise<Outcome<unknown>> {
    if (action.do === 'watch') {
      const { do: _, ...request } = action;
      const created = this.hub.watch('script', request);
      this.hub.cancel('script');
      return created.ok ? { ok: true, result: { header: created.header, events: created.events } } : { ok: false, error: created.error };
    }
    const request: KvRequest = action.do === 'grant' ? { do: 'grant', id: (++this.nextLease).toString(16), ttlMs: action.ttlMs } : action;
    const applied = this.machine.applyCommand({ clientId: 'script', requestId: ++this.index, request }, { index: this.index, nowMs: 0 });
    this.hub.publish(applied.events);
    return applied.outcome;
  }
}
