/**
 * The worker's side of one node: a NodeRuntime (the real consensus core) driven only by the bus's requests.
 * It never reads a clock and never schedules anything: it runs inputs when told and answers each request
 * once, in order (protocol.ts). Transport-agnostic, so the tests serve it on a Node MessageChannel and
 * node.worker.ts on the worker's global scope.
 */
import * as Comlink from 'comlink';
import { NodeRuntime } from '../sim/index.ts';
import { errorText } from '../sim/index.ts';
import type { NodeControl, Reply, Request, WireResult } from './protocol.ts';
import { ResultEncoder } from './protocol.ts';

/** The one end of a message channel the server needs (a worker's global scope, or a MessagePort). */
export interface ServerEndpoint {
  postMessage(message: Reply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Request>) => void): void;
}

/** Serves one node on `endpoint` until the worker is terminated. */
export function serveNode(endpoint: ServerEndpoint): void {
  let runtime: NodeRuntime | undefined;
  let node = 0;
  const encoder = new ResultEncoder();
  let inputsHandled = 0;
  let failAtInput = 0;
  /** Set once the node threw: every later request gets the same failure, nothing runs again. */
  let failure: string | undefined;

  endpoint.addEventListener('message', (event) => {
    const request = event.data;
    const results: WireResult[] = [];
    if (failure === undefined) {
      try {
        if (request.kind === 'boot') {
          node = request.node;
          failAtInput = request.failAtInput;
          runtime = new NodeRuntime(request.init);
          const current = runtime;
          const control: NodeControl = { status: () => current.status() };
          Comlink.expose(control, request.control);
          results.push(encoder.encode(runtime.start()));
        } else {
          if (!runtime) throw new Error('steps before boot');
          for (const input of request.inputs) {
            inputsHandled++;
            if (inputsHandled === failAtInput) {
              throw new Error(`injected fault (test-only failNode): node ${node} throws on its input #${failAtInput}`);
            }
            results.push(encoder.encode(runtime.step(input)));
          }
        }
      } catch (error) {
        failure = `node ${node} failed: ${errorText(error)}`;
      }
    }
    endpoint.postMessage(failure === undefined ? { results } : { results, failure });
  });
}
