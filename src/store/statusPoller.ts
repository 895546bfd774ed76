/**
 * The nodes' live status (timer arcs, lease, replication progress) for the page: asked of the host after every
 * operation and, while playing, at most 20 times a second and only once a node clock could have ticked since the
 * last poll (at slow speeds that is far less often), which spares the workers. Separate from the driver because it
 * reads the host beside the world, not through it.
 */
import type { Ingestor } from './ingest.ts';
import type { RunSession } from './runSession.ts';

/** Wall ms between two polls of the nodes' live status while playing. */
const STATUS_POLL_MS = 50;

export class StatusPoller {
  private polledAtMs = -Infinity;
  /** Virtual time shown at the last poll. */
  private polledT = -Infinity;

  constructor(private readonly ingest: Ingestor) {}

  /** True when a frame should poll: enough wall time passed and a node clock could have ticked since. */
  due(tickMs: number): boolean {
    return performance.now() - this.polledAtMs >= STATUS_POLL_MS && this.ingest.time - this.polledT >= tickMs;
  }

  /** Asks the host for the status of every running node and hands it to the store. */
  async poll(session: RunSession | null): Promise<void> {
    this.polledAtMs = performance.now();
    this.polledT = this.ingest.time;
    if (!session) return;
    const { world, host, scenario } = session;
    const ids = Array.from({ length: scenario.nodes }, (_, i) => i + 1).filter((id) => world.isUp(id));
    let statuses;
    try {
      // An in-process host answers at once, a worker host later.
      statuses = await Promise.all(ids.map((id) => host.host.status(id)));
    } catch {
      // A worker that failed meanwhile: the next poll asks again (the world records the failure as a crash).
      return;
    }
    this.ingest.statuses(statuses, scenario.config.electionTimeoutMs / scenario.config.tickMs);
  }
}
