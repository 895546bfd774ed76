/**
 * How a failed etcd-model verdict names an operation (the model's `describe`): the request in etcd's words and the
 * result the history shows. Apart from the model (etcdKv.ts), which only judges.
 */
import type { KvOperation, KvRequest } from './etcdKv.ts';
import { describeRange } from './describeRange.ts';

function describeRequest(request: KvRequest): string {
  switch (request.kind) {
    case 'range':
      return `get ${describeRange(request.range)}`;
    case 'put':
      return `put ${JSON.stringify(request.key)}=${JSON.stringify(request.value)}${request.lease ? ` lease ${request.lease}` : ''}`;
    case 'deleteRange':
      return `delete ${describeRange(request.range)}`;
    case 'revokeLease':
      return `revoke lease ${request.lease}`;
    case 'txn': {
      const compares = request.compares.map((c) => `${c.target}(${JSON.stringify(c.key)}) ${c.op} ${JSON.stringify(c.value)}`);
      return `txn if [${compares.join(', ')}] then [${request.success.map(describeRequest).join(', ')}] else [${request.failure.map(describeRequest).join(', ')}]`;
    }
  }
}

export function describeKvOperation(op: KvOperation): string {
  const result = op.output.kind === 'unknown' ? 'unknown outcome' : `revision ${op.output.revision} ${JSON.stringify(op.output.response)}`;
  return `client ${op.clientId}: ${describeRequest(op.input)} -> ${result}`;
}
