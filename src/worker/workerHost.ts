/**
 * The browser's node host: one module Web Worker per node, each running the real consensus core (node.worker.ts),
 * driven by the bus on the main thread. A crash is `worker.terminate()` (the node's memory is really gone); a
 * restart is a new worker rebuilt from the persisted state the world's disk model hands to `create`.
 *
 * It is a WindowedNodeHost: given a lookahead window (World.upcomingSteps), it sends each node ONE message with
 * all of its inputs, so the nodes of a window compute in parallel and a window costs about one round trip
 * instead of one per input. The merge stays deterministic because the world takes the results in its own
 * order (runWindowAsync). docs/workers.md has the protocol, the costs and the failure semantics.
 */
import type { NodeId, NodeStatus } from '../raft/types.ts';
import type { StepOutcome, WindowStep, WindowedNodeHost } from '../sim/index.ts';
import type { NodeInit, StepInput, StepResult } from '../sim/index.ts';
import type { FaultPlan } from './faultPlan.ts';
import { NodeLink, unwrap, type WorkerLike } from './nodeLink.ts';

export interface WorkerHostOptions {
  /** Makes the worker of a node (tests pass an in-process double); default: a real module worker. */
  readonly spawn?: (node: NodeId) => WorkerLike;
  /** Test-only fault injection: the first worker of each listed node throws on that input number. */
  readonly faults?: FaultPlan;
  /** Called with the number of live workers whenever it changes. */
  readonly onWorkerCount?: (count: number) => void;
}

/**
 * A real module worker for `node`. Written literally (not through a helper taking the URL), or Vite does not
 * bundle node.worker.ts as a worker chunk (docs/workers.md).
 */
export function spawnNodeWorker(node: NodeId): WorkerLike {
  return new Worker(new URL('./node.worker.ts', import.meta.url), { type: 'module', name: `flotilla-node-${node}` });
}

export class WorkerHost implements WindowedNodeHost {
  /** The live worker of each running node. Invariant: every link here is alive. */
  private readonly links = new Map<NodeId, NodeLink>();
  /** Why each node's last worker ended, when it failed (kept until the node is created again). */
  private readonly failures = new Map<NodeId, string>();
  /** Nodes whose injected fault was armed already (a fault fires in the node's first worker only). */
  private readonly faultsArmed = new Set<NodeId>();
  private readonly spawn: (node: NodeId) => WorkerLike;

  constructor(private readonly options: WorkerHostOptions = {}) {
    this.spawn = options.spawn ?? spawnNodeWorker;
  }

  /** Live workers: the running nodes, without crashed or failed ones. */
  get workerCount(): number {
    return this.links.size;
  }

  /** The error that ended the node's worker, if it failed (not crashed) and was not created again since. */
  failure(node: NodeId): string | undefined {
    return this.failures.get(node);
  }

  async create(node: NodeId, init: NodeInit): Promise<StepResult> {
    this.links.get(node)?.terminate(`node ${node} was created again`);
    this.failures.delete(node);
    let failAtInput = 0;
    if (!this.faultsArmed.has(node)) {
      failAtInput = this.options.faults?.get(node) ?? 0;
      this.faultsArmed.add(node);
    }
    const link = new NodeLink(node, this.spawn(node), init, failAtInput, (ended) => this.onLinkEnd(ended));
    this.links.set(node, link);
    this.options.onWorkerCount?.(this.links.size);
    return link.started();
  }

  async step(node: NodeId, input: StepInput): Promise<StepResult> {
    const [outcome] = await this.stepWindow([{ op: 'step', node, input }]);
    return unwrap(outcome!);
  }

  /** One message per node carrying all of its inputs of the window, all sent before any answer is awaited. */
  async stepWindow(steps: readonly WindowStep[]): Promise<StepOutcome[]> {
    const byNode = new Map<NodeId, { inputs: StepInput[]; positions: number[] }>();
    steps.forEach((step, position) => {
      let batch = byNode.get(step.node);
      if (!batch) byNode.set(step.node, (batch = { inputs: [], positions: [] }));
      batch.inputs.push(step.input);
      batch.positions.push(position);
    });
    const outcomes = new Array<StepOutcome>(steps.length);
    await Promise.all(
      [...byNode].map(async ([node, batch]) => {
        const link = this.links.get(node);
        const answers = link
          ? await link.steps(batch.inputs)
          : batch.inputs.map((): StepOutcome => ({ ok: false, error: this.failures.get(node) ?? `node ${node} is not running` }));
        batch.positions.forEach((position, i) => (outcomes[position] = answers[i]!));
      }),
    );
    return outcomes;
  }

  async crash(node: NodeId): Promise<void> {
    this.links.get(node)?.terminate(`node ${node} crashed`);
  }

  status(node: NodeId): Promise<NodeStatus> {
    const link = this.links.get(node);
    if (!link) return Promise.reject(new Error(this.failures.get(node) ?? `node ${node} is not running`));
    return link.status();
  }

  /** Terminates every worker (the end of a run). */
  dispose(): void {
    for (const link of [...this.links.values()]) link.terminate('the run ended');
  }

  private onLinkEnd(link: NodeLink): void {
    // A link replaced by a newer incarnation must not remove that one.
    if (this.links.get(link.node) !== link) return;
    this.links.delete(link.node);
    if (link.failure !== undefined) this.failures.set(link.node, link.failure);
    this.options.onWorkerCount?.(this.links.size);
  }
}
