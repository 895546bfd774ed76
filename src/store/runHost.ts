/**
 * How the driver reaches the nodes: a synchronous host (in-process) or an asynchronous one (a Web Worker per
 * node). The composition root (src/ui/main.tsx) chooses and injects the factory; nothing else in the UI or the
 * store knows which one runs.
 */
import type { ModalHost } from '../sim/index.ts';

/** A host of either kind (the driver reaches it through a runner, sim/runner.ts) that the driver disposes of. */
export type RunHost = ModalHost & { dispose(): void };

/** Makes a fresh host for one run (or one re-simulation) of `nodeCount` nodes. */
export type HostFactory = (nodeCount: number) => RunHost | Promise<RunHost>;

/**
 * The in-process host: every node in this thread. The consensus core is loaded on first use, so a page whose
 * nodes run in Web Workers does not load it on the main thread.
 */
export const inlineHostFactory: HostFactory = async () => {
  const { InlineHost } = await import('../sim/inlineHost.ts');
  return { mode: 'sync', host: new InlineHost(), dispose() {} };
};
