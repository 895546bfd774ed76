/**
 * A test double of a module worker: serveNode on one end of a Node MessageChannel, the host on the other. The
 * messages are structured-cloned exactly as between a page and its workers, so the protocol is tested for real;
 * terminate closes both ends (the node's memory is unreachable afterwards).
 */
import type { Request } from '../../src/worker/protocol.ts';
import type { WorkerLike } from '../../src/worker/nodeLink.ts';
import { serveNode } from '../../src/worker/nodeServer.ts';

export interface InProcessWorker extends WorkerLike {
  readonly terminated: boolean;
}

export function spawnInProcessWorker(): InProcessWorker {
  const { port1, port2 } = new MessageChannel();
  serveNode({
    postMessage: (reply) => port2.postMessage(reply),
    addEventListener: (type, listener) => port2.addEventListener(type, listener as EventListener),
  });
  port2.start();
  port1.start();
  let terminated = false;
  return {
    get terminated() {
      return terminated;
    },
    postMessage: (message: Request, transfer: Transferable[]) => port1.postMessage(message, transfer),
    addEventListener: (type: string, listener: (event: never) => void) => {
      if (type === 'message') port1.addEventListener('message', listener as EventListener);
    },
    terminate: () => {
      terminated = true;
      port1.close();
      port2.close();
    },
  } as InProcessWorker;
}
