import { UNKNOWN_RETURN, type Operation } from './model.ts';

/** How an invoked operation ended, in Jepsen's terms. */
export type Completion<O> =
  | { readonly type: 'ok'; readonly output: O }
  /** It certainly did not take effect. */
  | { readonly type: 'fail' }
  /** Its outcome is unknown: it may take effect at any time after its call, even after this event. */
  | { readonly type: 'info' };

/** Everything a recorder must know about a model's operations. */
export interface RecorderPolicy<I, O> {
  /** Whether an operation only observes (a read). Reads of unknown outcome constrain nothing and are dropped. */
  isReadOnly(input: I): boolean;
  /** The output given to an operation of unknown outcome (the model must accept it in any state). */
  readonly unknownOutput: O;
}

interface Slot<I, O> {
  readonly clientId: string;
  readonly input: I;
  readonly call: number;
  completion?: Completion<O>;
  returnAt?: number;
}

/**
 * Pairs invocations with completions, per client, and turns them into operations with Knossos/Porcupine's
 * semantics: `ok` is a completed operation; `fail` never happened (dropped); `info`, or an invocation that never
 * completes, may have happened at any time after its call (`returnAt = UNKNOWN_RETURN`), except that an
 * unfinished read is dropped, since what it would have returned is unknown and it changes nothing.
 * Operations come out in invocation order, so the result does not depend on map iteration order.
 */
export class HistoryRecorder<I, O> {
  private readonly slots: Slot<I, O>[] = [];
  private readonly pending = new Map<string, Slot<I, O>>();

  constructor(private readonly policy: RecorderPolicy<I, O>) {}

  /** Records a call. Throws when the client still has an operation pending (`where` names the source line). */
  invoke(clientId: string, input: I, time: number, where: string): void {
    if (this.pending.has(clientId)) {
      throw new Error(`${where}: client ${clientId} invokes while its previous operation is still pending`);
    }
    const slot: Slot<I, O> = { clientId, input, call: time };
    this.slots.push(slot);
    this.pending.set(clientId, slot);
  }

  /** Records the completion of the client's pending operation. Throws when it has none. */
  complete(clientId: string, completion: Completion<O>, time: number, where: string): void {
    const slot = this.pending.get(clientId);
    if (slot === undefined) throw new Error(`${where}: client ${clientId} completes an operation it never invoked`);
    this.pending.delete(clientId);
    slot.completion = completion;
    slot.returnAt = time;
  }

  /** The input of the client's pending operation, if any. */
  pendingInput(clientId: string): I | undefined {
    return this.pending.get(clientId)?.input;
  }

  /** The operations to check. */
  operations(): Operation<I, O>[] {
    const result: Operation<I, O>[] = [];
    for (const slot of this.slots) {
      const { clientId, input, call } = slot;
      const completion = slot.completion;
      if (completion?.type === 'fail') continue;
      if (completion?.type === 'ok') {
        result.push({ clientId, input, output: completion.output, call, returnAt: slot.returnAt! });
        continue;
      }
      if (this.policy.isReadOnly(input)) continue;
      result.push({ clientId, input, output: this.policy.unknownOutput, call, returnAt: UNKNOWN_RETURN });
    }
    return result;
  }
}
