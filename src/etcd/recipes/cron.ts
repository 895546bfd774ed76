/**
 * A job that must run once per period on exactly one machine. Every candidate campaigns on the job's election
 * (election.ts); only the client that believes it leads runs the job, and it records each run with a Txn
 * FENCED by its leader key's createRevision (Kleppmann's fencing token; etcd's createRevision is unique and
 * increasing):
 *
 *   If createRevision(leaderKey) = myRevision AND createRevision(cron/<job>/runs/<k>) = 0
 *   Then Put(cron/<job>/runs/<k>, "<client>@<myRevision>")
 *   Else Get(leaderKey), Get(cron/<job>/runs/<k>)
 *
 * The first compare makes the write fail once the leader key is gone (the session's lease expired or was
 * revoked), however sure the former leader still is of its leadership: a request sent while it believed, and
 * applied after it was deposed, is refused. The second makes the record once per period whoever asks.
 *
 * Periods: k covers [at + k*everyMs, at + (k+1)*everyMs), counted from the cron action's `at`. The leader
 * runs period k when it starts, and a client elected mid-period runs the current period if nobody has.
 * Events (recipe `cron`, name = the job): elected, lost (leadership belief, as the election's), run and
 * refused (detail.period = k). A candidate whose session is lost campaigns again with a new session, as a
 * cron daemon would keep trying.
 */
import type { Revision } from '../../kv/index.ts';
import { Election } from '../concurrency/election.ts';
import { RetryTimer } from '../concurrency/periodicTask.ts';
import { RECIPE_RETRY_MS, txnGetKvs, type CancelTimer, type RecipeClient, type RecipeDone } from '../concurrency/recipeClient.ts';

export interface CronOptions {
  readonly job: string;
  readonly everyMs: number;
  /** The election prefix the candidates campaign on. */
  readonly election: string;
  readonly ttlMs: number;
  /** The cron action's `at`: period 0 starts here. */
  readonly startMs: number;
  /** Base of the watches' names; must start with `_`. */
  readonly watchBaseName: string;
}

/** Where the run of period `k` is recorded. */
export function cronRunKey(job: string, period: number): string {
  return `cron/${job}/runs/${period}`;
}

/** The default election prefix of a job when the action names none. */
export function defaultCronElection(job: string): string {
  return `/cron/${job}`;
}

/** One client's part in a cron job: a candidate that runs the periods while it believes it leads. */
export class CronJob {
  private readonly election: Election;
  private periodTimer: CancelTimer | undefined;
  private readonly recampaign: RetryTimer;
  private stopped = false;
  // The (period, leaderRevision) pairs attempted: one attempt (with its retries) per period per leadership.
  private readonly attempted = new Set<string>();

  constructor(private readonly client: RecipeClient, private readonly options: CronOptions) {
    this.election = new Election(client, {
      prefix: options.election,
      watchBaseName: options.watchBaseName,
      recipe: 'cron',
      eventName: options.job,
      listener: {
        onElected: () => this.attempt(this.periodAt(this.client.nowMs())),
        onLost: () => this.campaignLater(),
      },
    });
    this.recampaign = new RetryTimer(client);
  }

  /** True while this client believes it is the job's leader. */
  get believesLeader(): boolean {
    return this.election.believesLeader;
  }

  /** The period that contains virtual time `timeMs`. */
  periodAt(timeMs: number): number {
    return Math.floor((timeMs - this.options.startMs) / this.options.everyMs);
  }

  /** Campaigns and starts the period clock; `done` at once: the job runs alongside the client's other actions. */
  start(done: RecipeDone): void {
    this.campaign();
    this.schedulePeriod(this.periodAt(this.client.nowMs()) + 1);
    this.client.at(this.client.nowMs(), () => done());
  }

  /** The client died: stop silently. */
  stop(): void {
    this.stopped = true;
    this.periodTimer?.();
    this.recampaign.cancel();
    this.election.stop();
  }

  private campaign(): void {
    if (this.stopped) return;
    // The campaign's own outcome needs no handling: onElected and onLost say everything.
    this.election.campaign(this.client.name, this.options.ttlMs, () => {});
  }

  private campaignLater(): void {
    if (this.stopped) return;
    this.recampaign.later(() => this.campaign());
  }

  private schedulePeriod(period: number): void {
    const startsMs = this.options.startMs + period * this.options.everyMs;
    this.periodTimer = this.client.at(startsMs, () => {
      if (this.stopped) return;
      if (this.election.believesLeader) this.attempt(period);
      this.schedulePeriod(period + 1);
    });
  }

  /** Records the run of `period` with the fenced txn, once per leadership (retried while the outcome is unknown). */
  private attempt(period: number): void {
    if (period < 0 || this.stopped || !this.election.believesLeader) return;
    const leaderKey = this.election.leaderKey!;
    const leaderRevision = this.election.leaderRevision;
    const attemptKey = `${period}@${leaderRevision}`;
    if (this.attempted.has(attemptKey)) return;
    this.attempted.add(attemptKey);
    this.sendRecord(period, leaderKey, leaderRevision);
  }

  private sendRecord(period: number, leaderKey: string, leaderRevision: Revision): void {
    const runKey = cronRunKey(this.options.job, period);
    const stamp = `${this.client.name}@${leaderRevision}`;
    this.client.send(
      {
        do: 'txn',
        compare: [
          { key: leaderKey, target: 'createRevision', op: '=', value: leaderRevision },
          { key: runKey, target: 'createRevision', op: '=', value: 0 },
        ],
        success: [{ put: { key: runKey, value: stamp } }],
        failure: [{ get: { key: leaderKey } }, { get: { key: runKey } }],
      },
      (outcome) => {
        if (this.stopped) return;
        const fence = { key: runKey, leaderKey, createRevision: leaderRevision };
        if (outcome.phase !== 'ok') {
          // Unknown or failed: send it again while still (believing to be) the same leader; the txn is
          // idempotent, and a retry that finds its own stamp reports the run.
          const sameLeadership = this.election.believesLeader && this.election.leaderRevision === leaderRevision;
          if (sameLeadership) this.client.at(this.client.nowMs() + RECIPE_RETRY_MS, () => this.sendRecord(period, leaderKey, leaderRevision));
          return;
        }
        const result = outcome.result;
        if (result.succeeded) {
          this.emitRun('run', period, { ...fence, revision: result.header.revision });
          return;
        }
        const leader = txnGetKvs(result, 0)[0];
        if (leader === undefined || leader.createRevision !== leaderRevision) {
          this.emitRun('refused', period, { ...fence, revision: result.header.revision, reason: 'leader key is gone: deposed' });
          return;
        }
        const record = txnGetKvs(result, 1)[0];
        if (record !== undefined && record.value === stamp) {
          // An earlier attempt whose outcome was unknown did apply: that was the run.
          this.emitRun('run', period, { ...fence, revision: record.modRevision, retried: true });
        }
        // Otherwise an earlier leader already ran this period: nothing to do.
      },
    );
  }

  private emitRun(event: 'run' | 'refused', period: number, detail: Record<string, unknown>): void {
    this.client.emit({ recipe: 'cron', name: this.options.job, event, detail: { period, ...detail } });
  }
}
