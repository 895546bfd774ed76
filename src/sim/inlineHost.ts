/**
 * The in-process NodeHost: every node's runtime lives in this thread and is called synchronously. The fast
 * path for the CLI, the tests and the fuzzer.
 */
import type { NodeId, NodeStatus } from '../raft/types.ts';
import type { NodeHost, NodeInit, StepInput, StepResult } from './host.ts';
import { NodeRuntime } from './nodeRuntime.ts';

export class InlineHost implements NodeHost {
  /** The live runtimes. Invariant: a crashed node has no entry. */
  private readonly runtimes = new Map<NodeId, NodeRuntime>();

  create(node: NodeId, init: NodeInit): StepResult {
    const runtime = new NodeRuntime(init);
    this.runtimes.set(node, runtime);
    return runtime.start();
  }

  step(node: NodeId, input: StepInput): StepResult {
    return this.runtime(node).step(input);
  }

  crash(node: NodeId): void {
    this.runtimes.delete(node);
  }

  status(node: NodeId): NodeStatus {
    return this.runtime(node).status();
  }

  private runtime(node: NodeId): NodeRuntime {
    const runtime = this.runtimes.get(node);
    if (!runtime) throw new Error(`InlineHost: node ${node} is not running`);
    return runtime;
  }
}
