import { combineHash, hashString } from '../hashing.ts';
import type { Model, Operation, Partition } from '../model.ts';

/**
 * A key-value store of string registers, one per key, as in Porcupine's key-value tests: `put` replaces the
 * string, `append` concatenates to it, `get` returns it (a key never written reads as ""). Keys are independent,
 * so histories are partitioned by key.
 */
export type StringRegisterInput =
  | { readonly kind: 'get'; readonly key: string }
  | { readonly kind: 'put' | 'append'; readonly key: string; readonly value: string };

export type StringRegisterOutput =
  | { readonly kind: 'got'; readonly value: string }
  | { readonly kind: 'done' }
  | { readonly kind: 'unknown' };

export const UNKNOWN_STRING_OUTPUT: StringRegisterOutput = { kind: 'unknown' };

type Op = Operation<StringRegisterInput, StringRegisterOutput>;

export const stringRegisterModel: Model<string, StringRegisterInput, StringRegisterOutput> = {
  init: () => '',

  step(state, input, output) {
    switch (input.kind) {
      case 'get':
        return { ok: output.kind === 'unknown' || (output.kind === 'got' && output.value === state), next: state };
      case 'put':
        return { ok: output.kind !== 'got', next: input.value };
      case 'append':
        return { ok: output.kind !== 'got', next: state + input.value };
    }
  },

  equal: (a, b) => a === b,
  hash: (state) => combineHash(state.length, hashString(state)),

  partition(operations: readonly Op[]): Partition<StringRegisterInput, StringRegisterOutput>[] {
    const byKey = new Map<string, Op[]>();
    for (const op of operations) {
      const list = byKey.get(op.input.key);
      if (list) list.push(op);
      else byKey.set(op.input.key, [op]);
    }
    return [...byKey].map(([key, ops]) => ({ label: `key ${JSON.stringify(key)}`, operations: ops }));
  },

  describe(op: Op): string {
    const input = op.input;
    const what = input.kind === 'get' ? `get ${JSON.stringify(input.key)}` : `${input.kind} ${JSON.stringify(input.key)} ${JSON.stringify(input.value)}`;
    const result = op.output.kind === 'got' ? JSON.stringify(op.output.value) : op.output.kind === 'unknown' ? 'unknown' : 'ok';
    return `process ${op.clientId}: ${what} -> ${result} (lines ${op.call + 1}..${op.returnAt === Infinity ? 'never' : op.returnAt + 1})`;
  },
};
