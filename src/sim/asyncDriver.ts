/**
 * Driving a World whose nodes answer asynchronously (one Web Worker per node). The world asks for one host call
 * at a time and waits for it, so the order of everything, and therefore the trace, is exactly the order of the
 * synchronous path: only the wall-clock time differs.
 */
import type { AsyncNodeHost, NodeHost } from './host.ts';
import { performWorkAsync } from './host.ts';
import type { World } from './world.ts';

/** Runs every event with t <= until, awaiting each host call in turn (stops early on a violation). */
export async function runUntilAsync(world: World, host: AsyncNodeHost, until: number): Promise<void> {
  for (let work = world.nextNodeWork(until); work; work = world.nextNodeWork(until)) {
    world.completeNodeWork(await performWorkAsync(host, work));
  }
}

/** Wraps a synchronous host as an asynchronous one (tests use it to prove both paths write the same trace). */
export function asAsyncHost(host: NodeHost): AsyncNodeHost {
  return {
    create: async (node, init) => host.create(node, init),
    step: async (node, input) => host.step(node, input),
    crash: async (node) => host.crash(node),
    status: async (node) => host.status(node),
  };
}
