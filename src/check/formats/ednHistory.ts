import { HistoryRecorder } from '../historyRecorder.ts';
import type { Operation } from '../model.ts';
import {
  UNKNOWN_STRING_OUTPUT,
  type StringRegisterInput,
  type StringRegisterOutput,
} from '../models/stringRegister.ts';
import { keywordName, parseEdnMap, type EdnScalar } from './edn.ts';

/** Whether the text's first non-blank line is an EDN history map with `:process` and `:type`. */
export function looksLikeEdnKvHistory(text: string): boolean {
  const first = text.split('\n', 50).find((line) => line.trim() !== '')?.trim();
  return first !== undefined && first.startsWith('{') && /:process\b/.test(first) && /:type\b/.test(first);
}

/**
 * Parses a Jepsen-style EDN key-value history (one map a line: `:process`, `:type` invoke/ok/fail/info,
 * `:f` get/put/append, `:key`, `:value`; a get's `:ok` carries the value read, `nil` meaning ""). Time is the line
 * index. Throws naming the bad line and field.
 */
export function parseEdnKvHistory(text: string): Operation<StringRegisterInput, StringRegisterOutput>[] {
  const recorder = new HistoryRecorder<StringRegisterInput, StringRegisterOutput>({
    isReadOnly: (input) => input.kind === 'get',
    unknownOutput: UNKNOWN_STRING_OUTPUT,
  });
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `line ${index + 1}`;
    let map: Record<string, EdnScalar>;
    try {
      map = parseEdnMap(line);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
    const process = map.process;
    if (typeof process !== 'number' && typeof process !== 'bigint' && typeof process !== 'string') throw new Error(`${where}: :process is missing`);
    const client = String(process);
    const type = keywordName(map.type);
    const f = keywordName(map.f);
    if (f !== 'get' && f !== 'put' && f !== 'append') throw new Error(`${where}: :f must be :get, :put or :append`);
    const key = map.key;
    if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'bigint') throw new Error(`${where}: :key is missing`);
    switch (type) {
      case 'invoke': {
        const input: StringRegisterInput = f === 'get'
          ? { kind: 'get', key: String(key) }
          : { kind: f, key: String(key), value: stringValue(map.value, where) };
        recorder.invoke(client, input, index, where);
        return;
      }
      case 'ok': {
        const output: StringRegisterOutput = f === 'get'
          ? { kind: 'got', value: map.value === null || map.value === undefined ? '' : stringValue(map.value, where) }
          : { kind: 'done' };
        recorder.complete(client, { type: 'ok', output }, index, where);
        return;
      }
      case 'fail':
      case 'info':
        recorder.complete(client, { type }, index, where);
        return;
      default:
        throw new Error(`${where}: :type must be :invoke, :ok, :fail or :info`);
    }
  });
  return recorder.operations();
}

function stringValue(value: EdnScalar | undefined, where: string): string {
  if (typeof value === 'string') return value;
  // An integer value stands for its decimal text; a BigInt (beyond 2^53) keeps every digit.
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  throw new Error(`${where}: :value must be a string`);
}
