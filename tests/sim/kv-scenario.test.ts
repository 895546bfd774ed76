/**
 * Validation of the client actions (docs/scenarios.md, "Clients and the key-value store"): the contract's examples are
 * accepted; bad input is rejected before the run with an error naming the field.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, FieldError } from '../../src/sim/scenario.ts';

const base = { name: 'kv', nodes: 3, until: 10_000 };
const create = { at: 1000, do: 'client', client: 'c1', via: 2 };

function rejection(actions: unknown[]): FieldError {
  try {
    parseScenario(JSON.stringify({ ...base, actions }));
  } catch (error) {
    if (error instanceof FieldError) return error;
    throw error;
  }
  throw new Error('scenario was accepted');
}

describe('client actions', () => {
  it('accepts the contract\'s key-value actions', () => {
    const s = parseScenario(JSON.stringify({
      ...base,
      actions: [
        create,
        { at: 1000, do: 'client', client: 'roamer', via: 'any', requireLeader: true, timeoutMs: 3000, retryMs: 200 },
        { at: 1100, do: 'put', client: 'c1', key: 'a', value: '1', lease: 'L1', prevKv: true },
        { at: 1200, do: 'get', client: 'c1', key: 'a', prefix: false, rangeEnd: 'b', serializable: false, revision: 0 },
        { at: 1300, do: 'delete', client: 'c1', key: 'a', prefix: true, prevKv: true },
        {
          at: 1400, do: 'txn', client: 'c1',
          compare: [{ key: 'a', target: 'version', op: '=', value: 0 }, { key: 'a', target: 'lease', op: '!=', value: 'L1' }],
          success: [{ put: { key: 'a', value: 'x' } }], failure: [{ get: { key: 'a' } }],
        },
        { at: 1500, do: 'grant', client: 'c1', lease: 'L1', ttlMs: 5000 },
        { at: 1600, do: 'keepalive', client: 'c1', lease: 'L1' },
        { at: 1700, do: 'revoke', client: 'c1', lease: 'L1' },
        { at: 1800, do: 'watch', client: 'c1', watch: 'w1', key: 'svc/', prefix: true, startRevision: 0 },
        { at: 1900, do: 'cancelWatch', client: 'c1', watch: 'w1' },
        { at: 2000, do: 'compact', client: 'c1', revision: 5 },
        { at: 2050, do: 'cut', from: 'c1', to: 2 },
        { at: 2060, do: 'restore', from: 2, to: 'c1' },
        { at: 2070, do: 'partition', groups: [[1, 'c1'], [2, 3, 'roamer']] },
        { at: 2100, do: 'killClient', client: 'c1' },
      ],
    }));
    expect(s.actions.map((a) => a.do)).toContain('killClient');
    const cut = s.actions.find((a) => a.do === 'cut')!;
    expect(cut).toMatchObject({ from: { client: 'c1' }, to: 2 });
  });

  it.each([
    [[{ at: 1100, do: 'put', client: 'c9', key: 'a', value: '1' }], 'actions[0].client', /unknown client "c9"/],
    [[{ at: 900, do: 'get', client: 'c1', key: 'a' }, create], 'actions[0].client', /no earlier "client" action/],
    [[create, { ...create, at: 1200 }], 'actions[1].client', /already created/],
    [[{ ...create, via: 7 }], 'actions[0].via', /node id 1..3 or "any"/],
    [[{ ...create, via: 'leader' }], 'actions[0].via', /"any"/],
    [[{ ...create, client: '1x' }], 'actions[0].client', /client name/],
    [[{ ...create, requireLeader: 'yes' }], 'actions[0].requireLeader', /true or false/],
    [[create, { at: 1100, do: 'put', client: 'c1', key: 'a' }], 'actions[1].value', /required/],
    [[create, { at: 1100, do: 'put', client: 'c1', key: '', value: '1' }], 'actions[1].key', /must not be empty/],
    [[create, { at: 1100, do: 'put', client: 'c1', key: 'a', value: '1', ttl: 3 }], 'actions[1].ttl', /unknown field/],
    [[create, { at: 1100, do: 'get', client: 'c1', key: '' }], 'actions[1].key', /without prefix or rangeEnd/],
    [[create, { at: 1100, do: 'grant', client: 'c1', lease: 'L1', ttlMs: 0 }], 'actions[1].ttlMs', /integer >= 1/],
    [[create, { at: 1100, do: 'grant', client: 'c1', lease: '694d77aa9e38260f', ttlMs: 5 }], 'actions[1].lease', /lease id/],
    [[create, { at: 1100, do: 'txn', client: 'c1', compare: [{ key: 'a', target: 'size', op: '=', value: 0 }] }], 'actions[1].compare[0].target', /one of/],
    [[create, { at: 1100, do: 'txn', client: 'c1', compare: [{ key: 'a', target: 'version', op: '<=', value: 0 }] }], 'actions[1].compare[0].op', /one of/],
    [[create, { at: 1100, do: 'txn', client: 'c1', compare: [{ key: 'a', target: 'version', op: '=', value: 'x' }] }], 'actions[1].compare[0].value', /integer/],
    [[create, { at: 1100, do: 'txn', client: 'c1', success: [{ put: { key: 'a', value: '1' }, get: { key: 'a' } }] }], 'actions[1].success[0]', /"put"/],
    [[create, { at: 1100, do: 'txn', client: 'c1', failure: [{ delete: { key: 'a', lease: 'L1' } }] }], 'actions[1].failure[0].delete.lease', /unknown field/],
    [[create, { at: 1100, do: 'watch', client: 'c1', key: 'a' }], 'actions[1].watch', /required/],
    [[create, { at: 1100, do: 'watch', client: 'c1', watch: 'w', key: 'a', startRevision: -1 }], 'actions[1].startRevision', /integer >= 0/],
    [[create, { at: 1100, do: 'compact', client: 'c1', revision: 0 }], 'actions[1].revision', /integer >= 1/],
    [[create, { at: 1100, do: 'cut', from: 'c1', to: 'c1' }], 'actions[1].to', /links to nodes only/],
    [[create, { at: 1100, do: 'cut', from: 'ghost', to: 1 }], 'actions[1].from', /unknown client "ghost"/],
    [[create, { at: 1100, do: 'partition', groups: [[1, 'c1'], [2, 'c1']] }], 'actions[1].groups[1][1]', /client c1 is already in/],
    [[create, { at: 1100, do: 'partition', groups: [[1, 'nobody']] }], 'actions[1].groups[0][1]', /unknown client/],
    [[{ at: 1100, do: 'killClient' }], 'actions[0].client', /required/],
  ])('rejects %j naming %s', (actions, field, problem) => {
    const error = rejection(actions);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(problem);
  });
});
