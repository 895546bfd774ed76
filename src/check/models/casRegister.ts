import { mix32 } from '../hashing.ts';
import type { Model, Operation, StepResult } from '../model.ts';

/**
 * Jepsen's single compare-and-set register (knossos.model/cas-register), as exercised by the Jepsen etcd
 * histories: read, write V, cas [FROM TO]. The register starts with no value (`null`, read back as `nil`).
 */
export type RegisterValue = number;

export type CasRegisterInput =
  | { readonly kind: 'read' }
  | { readonly kind: 'write'; readonly value: RegisterValue }
  | { readonly kind: 'cas'; readonly from: RegisterValue; readonly to: RegisterValue };

export type CasRegisterOutput =
  | { readonly kind: 'read'; readonly value: RegisterValue | null }
  | { readonly kind: 'written' }
  /** `succeeded: false` is Jepsen's `:fail :cas`: the compare saw another value, so nothing was written. */
  | { readonly kind: 'cas'; readonly succeeded: boolean }
  /** The operation's outcome is unknown (`:info`): it is legal in any state and takes its effect when it can. */
  | { readonly kind: 'unknown' };

/** The register's content; null when it was never written. */
export type CasRegisterState = RegisterValue | null;

/** The output every operation of unknown outcome carries. */
export const UNKNOWN_REGISTER_OUTPUT: CasRegisterOutput = { kind: 'unknown' };

export const casRegisterModel: Model<CasRegisterState, CasRegisterInput, CasRegisterOutput> = {
  init: () => null,

  step(state, input, output): StepResult<CasRegisterState> {
    switch (input.kind) {
      case 'read':
        return { ok: output.kind === 'unknown' || (output.kind === 'read' && output.value === state), next: state };
      case 'write':
        return { ok: output.kind === 'written' || output.kind === 'unknown', next: input.value };
      case 'cas': {
        const matches = state === input.from;
        const next = matches ? input.to : state;
        if (output.kind === 'unknown') return { ok: true, next };
        return { ok: output.kind === 'cas' && output.succeeded === matches, next };
      }
    }
  },

  equal: (a, b) => a === b,
  hash: (state) => (state === null ? 0x5bd1e995 : mix32(state)),

  describe(op: Operation<CasRegisterInput, CasRegisterOutput>): string {
    const input = op.input;
    const what = input.kind === 'read' ? 'read' : input.kind === 'write' ? `write ${input.value}` : `cas [${input.from} ${input.to}]`;
    const output = op.output;
    const result =
      output.kind === 'read' ? String(output.value ?? 'nil')
        : output.kind === 'cas' ? (output.succeeded ? 'ok' : 'compare failed')
          : output.kind === 'unknown' ? 'unknown' : 'ok';
    return `process ${op.clientId}: ${what} -> ${result} (lines ${op.call + 1}..${op.returnAt === Infinity ? 'never' : op.returnAt + 1})`;
  },
};
