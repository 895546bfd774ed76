/**
 * The recipes' periodic task (src/etcd/concurrency/periodicTask.ts): a run every period, a run skipped while
 * the last one is unanswered (no backlog once a cut-off recipe is back), nothing after stop.
 */
import { describe, expect, it } from 'vitest';
import { PeriodicTask } from '../../src/etcd/concurrency/periodicTask.ts';
import { ManualClient } from './manualClient.ts';

describe('PeriodicTask', () => {
  it('runs every period, skips while the last run is unanswered, and stops', () => {
    const client = new ManualClient();
    const runs: number[] = [];
    let finish: (() => void) | undefined;
    const task = new PeriodicTask(client, 100, (finished) => {
      runs.push(client.nowMs());
      finish = finished;
    });
    task.start();
    expect(runs).toEqual([0]);
    client.advance(250); // runs at 100 and 200 skipped: the first is unanswered
    expect(runs).toEqual([0]);
    finish!();
    client.advance(300);
    expect(runs).toEqual([0, 300]);
    finish!();
    task.stop();
    client.advance(1000);
    expect(runs).toEqual([0, 300]);
    expect(task.stopped).toBe(true);
  });
});
