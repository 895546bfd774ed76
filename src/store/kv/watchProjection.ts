/**
 * The watch stream's projection: the watches open now (opened by the user or a scenario; a recipe's own,
 * named "_...", are left out) and every event they delivered, or their cancellation.
 */
import type { ActionEvent, SimEvent } from '../../sim/index.ts';
import type { KvStore } from './createKvStore.ts';
import type { KvNarrator } from './kvNarrator.ts';
import type { KvPatch, KvProjection } from './kvProjection.ts';
import type { KvState } from './kvState.ts';

type WatchEvent = Extract<SimEvent, { type: 'watch' }>;

export class WatchProjection implements KvProjection {
  private open: KvState['watches']['open'] = [];
  private seq = 0;
  private dirty = false;

  constructor(private readonly store: KvStore, private readonly narrator: KvNarrator) {}

  reset(): void {
    this.open = [];
    this.seq = 0;
    this.dirty = false;
  }

  event(ev: SimEvent): void {
    if (ev.type === 'action') this.onAction(ev);
    else if (ev.type === 'watch') this.onWatch(ev);
  }

  publish(state: KvState, patch: KvPatch): void {
    if (this.dirty) patch.watches = { ...state.watches, version: state.watches.version + 1, open: this.open };
    this.dirty = false;
  }

  private onAction(ev: ActionEvent): void {
    if (ev.noop) return;
    const a = ev.action;
    const client = typeof a.client === 'string' ? a.client : null;
    if (a.do === 'watch') {
      const watch = String(a.watch ?? '');
      if (client && !watch.startsWith('_')) {
        this.open = [...this.open.filter((w) => !(w.client === client && w.watch === watch)),
          { client, watch, key: String(a.key ?? ''), prefix: a.prefix === true }];
        this.dirty = true;
      }
    } else if (a.do === 'cancelWatch') {
      this.open = this.open.filter((w) => !(w.client === client && w.watch === a.watch));
      this.dirty = true;
    }
  }

  private onWatch(ev: WatchEvent): void {
    if (ev.watch.startsWith('_')) return;
    const lines = this.store.getState().watches.lines;
    for (const w of ev.events) {
      lines.push({
        seq: ++this.seq, t: ev.t, client: ev.client, watch: ev.watch, kind: w.type, key: w.kv.key,
        value: w.type === 'PUT' ? w.kv.value : '', modRevision: w.kv.modRevision, error: null,
      });
    }
    if (ev.canceled) {
      lines.push({ seq: ++this.seq, t: ev.t, client: ev.client, watch: ev.watch, kind: 'CANCELED', key: '', value: '', modRevision: 0, error: ev.error ?? null });
      this.open = this.open.filter((w) => !(w.client === ev.client && w.watch === ev.watch));
      this.narrator.line(ev.t, 0, ev.client, `${ev.client}'s watch ${ev.watch} is cancelled: ${ev.error ?? 'no reason given'}.`);
    }
    this.dirty = true;
  }
}
