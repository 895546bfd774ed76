import { HistoryRecorder } from '../historyRecorder.ts';
import type { Operation } from '../model.ts';
import {
  UNKNOWN_REGISTER_OUTPUT,
  type CasRegisterInput,
  type CasRegisterOutput,
  type RegisterValue,
} from '../models/casRegister.ts';

/**
 * Jepsen's register log, as in the Jepsen etcd histories (ahorn/linearizability-checker, via Porcupine):
 * `INFO  jepsen.util - P<TAB>:TYPE<TAB>:F<TAB>VALUE`, TYPE one of invoke/ok/fail/info, F one of read/write/cas,
 * VALUE `nil`, an integer, `[FROM TO]` or `:timed-out`. Fields may be separated by tabs or spaces.
 */
const LINE = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*?)\s*$/;

/** Whether the text's first non-blank line is a Jepsen register log line. */
export function looksLikeJepsenRegisterLog(text: string): boolean {
  const first = text.split('\n', 50).find((line) => line.trim() !== '');
  return first !== undefined && LINE.test(first.trim());
}

/**
 * Parses a Jepsen register log into operations; time is the line index (the log is in real-time order).
 * `:fail :cas` completes a cas whose compare failed (it observed another value and wrote nothing); `:fail :read`
 * (a timed-out read) is dropped; `:info`, or no completion, is an unknown outcome. Throws naming the bad line.
 */
export function parseJepsenRegisterLog(text: string): Operation<CasRegisterInput, CasRegisterOutput>[] {
  const recorder = new HistoryRecorder<CasRegisterInput, CasRegisterOutput>({
    isReadOnly: (input) => input.kind === 'read',
    unknownOutput: UNKNOWN_REGISTER_OUTPUT,
  });
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `line ${index + 1}`;
    const match = LINE.exec(line);
    if (!match) throw new Error(`${where}: not a Jepsen register log line: ${JSON.stringify(line.slice(0, 80))}`);
    const [, process, type, f, value] = match;
    if (type === 'invoke') {
      recorder.invoke(process, parseInput(f, value, where), index, where);
      return;
    }
    const input = recorder.pendingInput(process);
    if (input === undefined) throw new Error(`${where}: process ${process} completes an operation it never invoked`);
    if (input.kind !== f) throw new Error(`${where}: process ${process} completes :${f} but invoked :${input.kind}`);
    if (type === 'info') {
      recorder.complete(process, { type: 'info' }, index, where);
    } else if (type === 'fail') {
      // A failed cas is a definite answer: the compare saw another value. A failed read or write did nothing.
      const completion = f === 'cas'
        ? { type: 'ok' as const, output: { kind: 'cas' as const, succeeded: false } }
        : { type: 'fail' as const };
      recorder.complete(process, completion, index, where);
    } else {
      recorder.complete(process, { type: 'ok', output: parseOkOutput(input, value, where) }, index, where);
    }
  });
  return recorder.operations();
}

function parseInput(f: string, value: string, where: string): CasRegisterInput {
  if (f === 'read') return { kind: 'read' };
  if (f === 'write') return { kind: 'write', value: parseInteger(value, where) };
  const [from, to] = parsePair(value, where);
  return { kind: 'cas', from, to };
}

function parseOkOutput(input: CasRegisterInput, value: string, where: string): CasRegisterOutput {
  if (input.kind === 'read') return { kind: 'read', value: value === 'nil' ? null : parseInteger(value, where) };
  if (input.kind === 'write') return { kind: 'written' };
  return { kind: 'cas', succeeded: true };
}

function parseInteger(text: string, where: string): RegisterValue {
  if (!/^-?\d+$/.test(text)) throw new Error(`${where}: value ${JSON.stringify(text)} is not an integer`);
  return safeInteger(text, where);
}

function parsePair(text: string, where: string): [RegisterValue, RegisterValue] {
  const match = /^\[\s*(-?\d+)\s+(-?\d+)\s*\]$/.exec(text);
  if (!match) throw new Error(`${where}: cas value ${JSON.stringify(text)} is not [FROM TO]`);
  return [safeInteger(match[1]!, where), safeInteger(match[2]!, where)];
}

/** The register holds doubles: an integer beyond 2^53 would be rounded into another value, so it is refused. */
function safeInteger(text: string, where: string): RegisterValue {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${where}: value ${text} is beyond 2^53 (the register model reads integers as doubles)`);
  return value;
}
