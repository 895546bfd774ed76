/**
 * The bus's connection to one worker incarnation of one node: sends requests, matches replies to them in order
 * (the worker answers each request exactly once, in order; protocol.ts), expands the results, and turns a
 * failure (the worker threw, or died of an uncaught error) into failed outcomes instead of rejections, so the
 * other nodes of a window are not disturbed.
 */
import * as Comlink from 'comlink';
import type { NodeId, NodeStatus } from '../raft/types.ts';
import type { StepOutcome } from '../sim/index.ts';
import type { NodeInit, StepInput, StepResult } from '../sim/index.ts';
import type { NodeControl, Reply, Request } from './protocol.ts';
import { ResultDecoder } from './protocol.ts';

/** What the host needs of a module worker (the real Worker, or a MessagePort-backed double in tests). */
export interface WorkerLike {
  postMessage(message: Request, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Reply>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

interface Waiting {
  /** Inputs of the request (1 for boot). */
  readonly count: number;
  readonly resolve: (outcomes: StepOutcome[]) => void;
}

export class NodeLink {
  private readonly decoder: ResultDecoder;
  /** Requests sent and not answered yet, oldest first. */
  private readonly waiting: Waiting[] = [];
  private readonly control: Comlink.Remote<NodeControl>;
  private readonly controlPort: MessagePort;
  /** Set once the node failed or was terminated. Invariant: once set, `waiting` is empty and stays so. */
  private endedWith: string | undefined;
  /** The error the node failed with (its worker threw); undefined while alive or after a plain terminate. */
  failure: string | undefined;
  /** The answer to boot: the node's first batch. */
  private bootOutcome: Promise<StepOutcome[]> | undefined;

  /**
   * Boots the node in `worker`. `onEnd` is called once, when the worker is gone (failure or terminate), after
   * it was terminated.
   */
  constructor(
    readonly node: NodeId,
    private readonly worker: WorkerLike,
    init: NodeInit,
    failAtInput: number,
    private readonly onEnd: (link: NodeLink) => void,
  ) {
    this.decoder = new ResultDecoder(node);
    worker.addEventListener('message', (event) => this.onReply(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault?.();
      this.end(`node ${node} failed: ${event.message || 'uncaught error in its worker'}`, true);
    });
    const channel = new MessageChannel();
    this.controlPort = channel.port1;
    this.control = Comlink.wrap<NodeControl>(channel.port1);
    this.post({ kind: 'boot', node, init, failAtInput, control: channel.port2 }, 1, [channel.port2]);
  }

  /** The first batch of the node (its answer to boot); throws the failure if it failed to boot. */
  async started(): Promise<StepResult> {
    return unwrap((await this.bootOutcome!)[0]!);
  }

  /** Runs `inputs` in order; one outcome per input. Never rejects. */
  steps(inputs: readonly StepInput[]): Promise<StepOutcome[]> {
    if (this.endedWith !== undefined) return Promise.resolve(inputs.map(() => ({ ok: false, error: this.endedWith! })));
    return this.post({ kind: 'steps', inputs }, inputs.length, []);
  }

  /** The node's full status, through Comlink. */
  status(): Promise<NodeStatus> {
    if (this.endedWith !== undefined) return Promise.reject(new Error(this.endedWith));
    return this.control.status();
  }

  /** Kills the worker: its memory is gone (a crash, or the end of the run). */
  terminate(reason: string): void {
    this.end(reason, false);
  }

  private post(request: Request, count: number, transfer: Transferable[]): Promise<StepOutcome[]> {
    const answer = new Promise<StepOutcome[]>((resolve) => this.waiting.push({ count, resolve }));
    if (request.kind === 'boot') this.bootOutcome = answer;
    this.worker.postMessage(request, transfer);
    return answer;
  }

  private onReply(reply: Reply): void {
    const waiting = this.waiting.shift();
    if (!waiting) return; // A reply after terminate: ignored.
    const outcomes: StepOutcome[] = reply.results.map((wire) => ({ ok: true, result: this.decoder.decode(wire) }));
    if (reply.failure !== undefined) {
      while (outcomes.length < waiting.count) outcomes.push({ ok: false, error: reply.failure });
      waiting.resolve(outcomes);
      this.end(reply.failure, true);
      return;
    }
    waiting.resolve(outcomes);
  }

  private end(reason: string, failed: boolean): void {
    if (this.endedWith !== undefined) return;
    this.endedWith = reason;
    if (failed) this.failure = reason;
    this.worker.terminate();
    void this.control[Comlink.releaseProxy]();
    this.controlPort.close();
    for (const waiting of this.waiting.splice(0)) waiting.resolve(Array.from({ length: waiting.count }, () => ({ ok: false, error: reason })));
    this.onEnd(this);
  }
}

/** The result of an outcome, or its failure thrown as an Error. */
export function unwrap(outcome: StepOutcome): StepResult {
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.result;
}
