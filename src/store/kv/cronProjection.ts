/**
 * The cron lane's projection: the cron jobs, each run (or refused run: a deposed leader's fenced record) as a
 * mark, and the periods that ran more than once, which must stay empty (docs/recipes.md, cron) and are shown if not.
 * The cron job's own election is the recipes' (recipeProjection.ts).
 */
import type { ActionEvent, SimEvent } from '../../sim/index.ts';
import type { KvPatch, KvProjection } from './kvProjection.ts';
import type { CronJob, CronMark, CronSlice, KvState } from './kvState.ts';

/** Cron marks kept. */
export const CRON_MARK_CAPACITY = 400;

type RecipeEvent = Extract<SimEvent, { type: 'recipe' }>;

export class CronProjection implements KvProjection {
  private readonly jobs = new Map<string, CronJob>();
  private marks: CronMark[] = [];
  /** Who ran each period, by `job\0period`, as `client@t`. */
  private readonly runs = new Map<string, Set<string>>();
  private dirty = false;

  reset(): void {
    this.jobs.clear();
    this.marks = [];
    this.runs.clear();
    this.dirty = false;
  }

  event(ev: SimEvent): void {
    if (ev.type === 'action') this.onAction(ev);
    else if (ev.type === 'recipe' && ev.recipe === 'cron') this.onCron(ev);
  }

  publish(_state: KvState, patch: KvPatch): void {
    if (this.dirty) patch.cron = { jobs: [...this.jobs.values()], marks: this.marks.slice(), doubleRuns: this.doubleRuns() };
    this.dirty = false;
  }

  private onAction(ev: ActionEvent): void {
    const a = ev.action;
    if (ev.noop || a.do !== 'cron') return;
    const job = String(a.job);
    this.jobs.set(job, { job, everyMs: Number(a.everyMs), atMs: Number(a.at ?? ev.t) });
    this.dirty = true;
  }

  private onCron(ev: RecipeEvent): void {
    if (ev.event !== 'run' && ev.event !== 'refused') return;
    const period = Number(ev.detail.period);
    this.marks.push({ t: ev.t, client: ev.client, job: ev.name, period, kind: ev.event });
    if (this.marks.length > CRON_MARK_CAPACITY) this.marks.shift();
    if (ev.event === 'run') {
      const key = `${ev.name}\u0000${period}`;
      const runs = this.runs.get(key) ?? new Set<string>();
      runs.add(`${ev.client}@${ev.t}`);
      this.runs.set(key, runs);
    }
    this.dirty = true;
  }

  private doubleRuns(): CronSlice['doubleRuns'] {
    const out = [];
    for (const [key, runs] of this.runs) {
      if (runs.size < 2) continue;
      const [job, period] = key.split('\u0000');
      out.push({ job, period: Number(period), clients: [...runs].map((r) => r.split('@')[0]) });
    }
    return out;
  }
}
