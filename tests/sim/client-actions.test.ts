/**
 * A client action is parsed once into its typed form (src/etcd/client/clientOps.ts) and turned into its request
 * (actionRequest.ts): the trace writes both, so the fields keep the author's order, lease names become the ids
 * the client learned, and a name it never learned becomes an id no node grants.
 */
import { describe, expect, it } from 'vitest';
import { requestOf, traceOpOf, type LeaseIds } from '../../src/etcd/client/actionRequest.ts';
import { resolveClientOp, type KvAction } from '../../src/etcd/client/clientOps.ts';

const leases: LeaseIds = {
  requestIdOf: (name) => (name === undefined || name === 0 || name === '0' ? '0' : name === 'L1' ? '1234' : '7e5700000000001'),
  idOf: (name) => (name === 'L1' ? '1234' : undefined),
};

function parse(raw: Record<string, unknown>): KvAction {
  const { op } = resolveClientOp(raw.do as 'put', raw, 'actions[0]');
  if (op.do === 'watch' || op.do === 'cancelWatch') throw new Error('not a key-value action');
  return op;
}

describe('client actions', () => {
  it('keep the fields in the order written, minus at and client', () => {
    const op = parse({ value: 'v', client: 'c1', lease: 'L1', at: 5, do: 'put', key: 'k' });
    expect(JSON.stringify(op)).toBe('{"value":"v","lease":"L1","do":"put","key":"k"}');
    expect(JSON.stringify(traceOpOf(op, leases))).toBe('{"value":"v","lease":"L1","do":"put","key":"k","leaseId":"1234"}');
  });

  it('become requests with do first, lease ids for names, and a put lease last', () => {
    expect(JSON.stringify(requestOf(parse({ at: 0, lease: 'L1', do: 'put', client: 'c', key: 'k', value: 'v' }), leases)))
      .toBe('{"do":"put","key":"k","value":"v","lease":"1234"}');
    expect(JSON.stringify(requestOf(parse({ at: 0, do: 'revoke', client: 'c', lease: 'never' }), leases)))
      .toBe('{"do":"revoke","id":"7e5700000000001"}');
    expect(JSON.stringify(requestOf(parse({ at: 0, do: 'grant', client: 'c', ttlMs: 900, lease: 'L2' }), leases)))
      .toBe('{"do":"grant","ttlMs":900,"name":"L2"}');
    const txn = parse({
      at: 0, do: 'txn', client: 'c', success: [{ put: { value: 'x', lease: 'L1', key: 'a' } }],
      compare: [{ value: 0, target: 'lease', key: 'a', op: '=' }, { target: 'lease', key: 'a', op: '=', value: 'L1' }],
    });
    expect(JSON.stringify(requestOf(txn, leases))).toBe(
      '{"do":"txn","compare":[{"value":"0","target":"lease","key":"a","op":"="},{"target":"lease","key":"a","op":"=","value":"1234"}],' +
      '"success":[{"put":{"do":"put","value":"x","key":"a","lease":"1234"}}],"failure":[]}',
    );
  });
});
