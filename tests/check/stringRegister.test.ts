import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../src/check/linearizability.ts';
import { UNKNOWN_RETURN } from '../../src/check/model.ts';
import {
  stringRegisterModel,
  UNKNOWN_STRING_OUTPUT,
  type StringRegisterInput,
  type StringRegisterOutput,
} from '../../src/check/models/stringRegister.ts';
import type { Operation } from '../../src/check/model.ts';

type Op = Operation<StringRegisterInput, StringRegisterOutput>;
const append = (key: string, value: string, call: number, returnAt: number): Op =>
  ({ clientId: 'w', input: { kind: 'append', key, value }, output: { kind: 'done' }, call, returnAt });
const get = (key: string, value: string, call: number, returnAt: number): Op =>
  ({ clientId: 'r', input: { kind: 'get', key }, output: { kind: 'got', value }, call, returnAt });

describe('string register model', () => {
  it('reads a key never written as the empty string', () => {
    expect(checkOperations(stringRegisterModel, [get('k', '', 0, 1)]).linearizable).toBe(true);
    expect(checkOperations(stringRegisterModel, [get('k', 'x', 0, 1)]).linearizable).toBe(false);
  });

  it('orders concurrent appends one way for every reader', () => {
    const appends = [append('k', 'a', 0, 10), append('k', 'b', 0, 10)];
    expect(checkOperations(stringRegisterModel, [...appends, get('k', 'ba', 11, 12), get('k', 'ba', 13, 14)]).linearizable).toBe(true);
    expect(checkOperations(stringRegisterModel, [...appends, get('k', 'ba', 11, 12), get('k', 'ab', 13, 14)]).linearizable).toBe(false);
  });

  it('lets an append of unknown outcome land late or never', () => {
    const unknown: Op = { clientId: 'w', input: { kind: 'append', key: 'k', value: 'z' }, output: UNKNOWN_STRING_OUTPUT, call: 0, returnAt: UNKNOWN_RETURN };
    expect(checkOperations(stringRegisterModel, [unknown, get('k', '', 5, 6), get('k', 'z', 7, 8)]).linearizable).toBe(true);
    expect(checkOperations(stringRegisterModel, [unknown, get('k', 'z', 5, 6), get('k', '', 7, 8)]).linearizable).toBe(false);
  });

  it('checks keys independently, one partition each', () => {
    const result = checkOperations(stringRegisterModel, [append('a', 'x', 0, 1), append('b', 'y', 0, 1), get('a', 'x', 2, 3), get('b', 'x', 2, 3)]);
    expect(result.partitions).toBe(2);
    expect(result.linearizable).toBe(false);
    expect(result.failure?.partition).toBe('key "b"');
  });
});
