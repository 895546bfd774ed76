/**
 * Entry of one node's module worker (one per node; see workerHost.ts). Everything it does is in serveNode.
 */
import type { Reply, Request } from './protocol.ts';
import { serveNode } from './nodeServer.ts';

declare const self: {
  postMessage(message: Reply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Request>) => void): void;
};

serveNode(self);
