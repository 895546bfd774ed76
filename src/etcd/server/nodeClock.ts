/**
 * A node's own clock: its tick count times tickMs since it (re)started. A lease clock needs only to be monotonic
 * and to run at the rate of real time, as etcd's does; every wait of the server (request deadlines, proposal
 * ages, lease TTLs) is measured on it.
 */
export class NodeClock {
  private localMs = 0;

  constructor(private readonly tickMs: number) {}

  /** The time of the last tick, in ms. */
  get nowMs(): number {
    return this.localMs;
  }

  /**
   * A time no earlier than now: between ticks the clock reads the last tick, up to tickMs behind. Lease TTLs
   * start from it (grant, keepalive, promotion), so a lease never expires before its TTL has really passed;
   * it may expire up to a tick late, which only favours its holder.
   */
  get leaseStartMs(): number {
    return this.localMs + this.tickMs;
  }

  tick(): void {
    this.localMs += this.tickMs;
  }
}
