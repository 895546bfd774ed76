/**
 * src/worker: public surface (docs/architecture.md). The page's composition root (src/ui/main.tsx) builds a
 * WorkerHost: one Web Worker per node (node.worker.ts), driven from the bus. parseFaultPlan reads the test-only
 * `?fault=` parameter that makes a node's worker fail on purpose.
 */
export { WorkerHost, type WorkerHostOptions } from './workerHost.ts';
export { parseFaultPlan, type FaultPlan } from './faultPlan.ts';
