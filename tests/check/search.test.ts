import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../src/check/linearizability.ts';
import { UNKNOWN_RETURN, type Model, type Operation } from '../../src/check/model.ts';
import {
  casRegisterModel,
  UNKNOWN_REGISTER_OUTPUT,
  type CasRegisterInput,
  type CasRegisterOutput,
  type CasRegisterState,
} from '../../src/check/models/casRegister.ts';

type RegisterOp = Operation<CasRegisterInput, CasRegisterOutput>;

const write = (client: string, value: number, call: number, returnAt: number): RegisterOp =>
  ({ clientId: client, input: { kind: 'write', value }, output: { kind: 'written' }, call, returnAt });
const read = (client: string, value: number | null, call: number, returnAt: number): RegisterOp =>
  ({ clientId: client, input: { kind: 'read' }, output: { kind: 'read', value }, call, returnAt });
const cas = (client: string, from: number, to: number, succeeded: boolean, call: number, returnAt: number): RegisterOp =>
  ({ clientId: client, input: { kind: 'cas', from, to }, output: { kind: 'cas', succeeded }, call, returnAt });
const unknownWrite = (client: string, value: number, call: number): RegisterOp =>
  ({ clientId: client, input: { kind: 'write', value }, output: UNKNOWN_REGISTER_OUTPUT, call, returnAt: UNKNOWN_RETURN });

describe('linearizability search', () => {
  it('accepts an empty history', () => {
    expect(checkOperations(casRegisterModel, []).linearizable).toBe(true);
  });

  it('accepts a read that returns the last completed write', () => {
    expect(checkOperations(casRegisterModel, [write('a', 1, 0, 1), read('b', 1, 2, 3)]).linearizable).toBe(true);
  });

  it('rejects a read that misses a write completed before it began', () => {
    const result = checkOperations(casRegisterModel, [write('a', 1, 0, 1), write('a', 2, 2, 3), read('b', 1, 4, 5)]);
    expect(result.linearizable).toBe(false);
    expect(result.failure?.blockedOperation).toContain('read -> 1');
  });

  it('lets concurrent operations take effect in either order', () => {
    // The read overlaps the write of 2: it may see 1 or 2, but not both orders at once for two sequential reads.
    const history = [write('a', 1, 0, 1), write('a', 2, 2, 10), read('b', 2, 3, 4), read('b', 1, 5, 6)];
    expect(checkOperations(casRegisterModel, history).linearizable).toBe(false);
    expect(checkOperations(casRegisterModel, [history[0], history[1], history[3], read('b', 2, 7, 8)]).linearizable).toBe(true);
  });

  it('treats a call at the same time as a return as concurrent with it (closed intervals)', () => {
    // The read starts at 5, the write of 2 returns at 5: the read may still be ordered before the write.
    expect(checkOperations(casRegisterModel, [write('a', 1, 0, 1), write('a', 2, 2, 5), read('b', 1, 5, 6)]).linearizable).toBe(true);
    expect(checkOperations(casRegisterModel, [write('a', 1, 0, 1), write('a', 2, 2, 5), read('b', 1, 6, 7)]).linearizable).toBe(false);
  });

  it('lets a write of unknown outcome take effect at any later time, even after other operations completed', () => {
    const history = [write('a', 1, 0, 1), unknownWrite('c', 7, 2), read('b', 1, 10, 11), read('b', 7, 20, 21)];
    expect(checkOperations(casRegisterModel, history).linearizable).toBe(true);
    // ...but never before its call.
    expect(checkOperations(casRegisterModel, [read('b', 7, 0, 1), unknownWrite('c', 7, 2)]).linearizable).toBe(false);
  });

  it('lets a write of unknown outcome never take effect', () => {
    const history = [write('a', 1, 0, 1), unknownWrite('c', 7, 2), read('b', 1, 10, 11)];
    expect(checkOperations(casRegisterModel, history).linearizable).toBe(true);
  });

  it('checks compare-and-set outcomes against the value at the linearization point', () => {
    expect(checkOperations(casRegisterModel, [write('a', 1, 0, 1), cas('b', 1, 2, true, 2, 3), read('c', 2, 4, 5)]).linearizable).toBe(true);
    expect(checkOperations(casRegisterModel, [write('a', 1, 0, 1), cas('b', 3, 2, true, 2, 3)]).linearizable).toBe(false);
    // Two successful CAS from the same value cannot both win.
    expect(checkOperations(casRegisterModel, [write('a', 1, 0, 1), cas('b', 1, 2, true, 2, 5), cas('c', 1, 3, true, 2, 5)]).linearizable).toBe(false);
    expect(checkOperations(casRegisterModel, [write('a', 1, 0, 1), cas('b', 1, 2, true, 2, 5), cas('c', 1, 3, false, 2, 5)]).linearizable).toBe(true);
  });

  it('reports undecided, not a verdict, when the step budget runs out', () => {
    const history = [write('a', 1, 0, 10), write('b', 2, 0, 10), write('c', 3, 0, 10), read('d', 3, 11, 12)];
    const result = checkOperations(casRegisterModel, history, { maxSteps: 2 });
    expect(result.linearizable).toBe('undecided');
    expect(result.steps).toBe(2);
    expect(result.failure?.partition).toBe('all');
    expect(checkOperations(casRegisterModel, history).linearizable).toBe(true);
  });

  it('is deterministic: the same history takes the same number of steps', () => {
    const history = [write('a', 1, 0, 10), write('b', 2, 0, 10), cas('c', 2, 3, true, 0, 10), read('d', 3, 11, 12)];
    expect(checkOperations(casRegisterModel, history).steps).toBe(checkOperations(casRegisterModel, history).steps);
  });

  it('explores every state a nondeterministic model may reach', () => {
    // A register whose "flip" may leave 0 or 1: only the second choice explains the read of 1.
    const flipModel: Model<number, 'flip' | 'read', number | null> = {
      init: () => 0,
      step: (state, input, output) => (input === 'flip' ? [0, 1] : output === state ? [state] : []),
      equal: (a, b) => a === b,
      hash: (state) => state,
    };
    const op = (input: 'flip' | 'read', output: number | null, call: number, returnAt: number) =>
      ({ clientId: 'x', input, output, call, returnAt });
    expect(checkOperations(flipModel, [op('flip', null, 0, 1), op('read', 1, 2, 3)]).linearizable).toBe(true);
    expect(checkOperations(flipModel, [op('flip', null, 0, 1), op('read', 2, 2, 3)]).linearizable).toBe(false);
  });

  it('rejects an operation that returns before it is called', () => {
    expect(() => checkOperations(casRegisterModel, [write('a', 1, 5, 4)])).toThrow(/call 5 is after its returnAt 4/);
  });
});

/** A sequential run of a real register: each operation takes effect at point 10*i, inside its interval. */
interface PlannedOp {
  readonly kind: 'read' | 'write' | 'cas';
  readonly value: number;
  readonly from: number;
  readonly before: number;
  readonly after: number;
  readonly unknown: boolean;
}

const plannedOp = fc.record({
  kind: fc.constantFrom('read', 'write', 'cas') as fc.Arbitrary<'read' | 'write' | 'cas'>,
  value: fc.integer({ min: 0, max: 3 }),
  from: fc.integer({ min: 0, max: 3 }),
  before: fc.integer({ min: 0, max: 35 }),
  after: fc.integer({ min: 0, max: 35 }),
  unknown: fc.boolean(),
});

function execute(plan: readonly PlannedOp[], allowUnknown: boolean): RegisterOp[] {
  let state: CasRegisterState = null;
  return plan.map((p, i) => {
    const point = 10 * i;
    const call = point - p.before;
    const returnAt = point + p.after;
    const clientId = `p${i % 5}`;
    if (p.kind === 'read') return { clientId, input: { kind: 'read' }, output: { kind: 'read', value: state }, call, returnAt };
    const unknown = allowUnknown && p.unknown;
    if (p.kind === 'write') {
      state = p.value;
      return unknown ? unknownWrite(clientId, p.value, call)
        : { clientId, input: { kind: 'write', value: p.value }, output: { kind: 'written' }, call, returnAt };
    }
    const succeeded = state === p.from;
    if (succeeded) state = p.value;
    return {
      clientId,
      input: { kind: 'cas', from: p.from, to: p.value },
      output: unknown ? UNKNOWN_REGISTER_OUTPUT : { kind: 'cas', succeeded },
      call,
      returnAt: unknown ? UNKNOWN_RETURN : returnAt,
    };
  });
}

describe('linearizability search (properties)', () => {
  it('accepts every history of a real register run sequentially, whatever the overlaps and unknown outcomes', () => {
    fc.assert(
      fc.property(fc.array(plannedOp, { minLength: 1, maxLength: 40 }), (plan) => {
        expect(checkOperations(casRegisterModel, execute(plan, true)).linearizable).toBe(true);
      }),
      { numRuns: 300, seed: 6 },
    );
  });

  it('catches one corrupted value of a read that overlaps nothing, right after a write that overlaps nothing', () => {
    fc.assert(
      fc.property(
        fc.array(plannedOp, { minLength: 2, maxLength: 40 }),
        fc.nat(),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 4 }),
        (plan, at, written, corrupt) => {
          const j = 1 + (at % (plan.length - 1));
          const forced = plan.map((p, i) =>
            i === j - 1 ? { ...p, kind: 'write' as const, value: written } : i === j ? { ...p, kind: 'read' as const } : p);
          const history = execute(forced, false).map((op, i) => {
            // Isolate operations j-1 and j: nothing else overlaps them.
            const low = 10 * (j - 1);
            const high = 10 * j;
            if (i === j - 1 || i === j) return { ...op, call: 10 * i, returnAt: 10 * i };
            if (i < j - 1) return { ...op, returnAt: Math.min(op.returnAt, low - 1) };
            return { ...op, call: Math.max(op.call, high + 1) };
          });
          expect(checkOperations(casRegisterModel, history).linearizable).toBe(true);
          // A value other than the one written just before (4 stands for "never written": nil).
          const wrong = corrupt === written ? null : corrupt === 4 ? null : corrupt;
          history[j] = { ...history[j], output: { kind: 'read', value: wrong } };
          expect(checkOperations(casRegisterModel, history).linearizable).toBe(false);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
