import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../src/check/linearizability.ts';
import { parseJepsenRegisterLog } from '../../src/check/formats/jepsenLog.ts';
import { parseEdnKvHistory } from '../../src/check/formats/ednHistory.ts';
import { casRegisterModel } from '../../src/check/models/casRegister.ts';
import { stringRegisterModel } from '../../src/check/models/stringRegister.ts';

/**
 * Every history of the shared corpus (Porcupine's test_data) gets its known verdict. The corpus lives next to
 * the checkout, at <repo>/../shared/data/linearizability; the repo root is found from this file, not from the
 * working directory, so the test runs the same from anywhere.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusDir = path.resolve(repoRoot, '..', 'shared', 'data', 'linearizability');
const present = existsSync(path.join(corpusDir, 'expected.json'));
if (!present) console.warn(`linearizability corpus not found at ${corpusDir}: corpus tests skipped`);

interface Expected {
  readonly 'jepsen-etcd': Record<string, boolean>;
  readonly kv: Record<string, boolean>;
}
const expected: Expected = present
  ? JSON.parse(readFileSync(path.join(corpusDir, 'expected.json'), 'utf8'))
  : { 'jepsen-etcd': {}, kv: {} };

describe.skipIf(!present)('linearizability corpus', () => {
  it('holds the 102 Jepsen etcd histories and the six key-value histories the README promises', () => {
    expect(Object.keys(expected['jepsen-etcd'])).toHaveLength(102);
    expect(Object.keys(expected.kv)).toHaveLength(6);
  });

  it('gives every Jepsen etcd history its known verdict', () => {
    const wrong: string[] = [];
    for (const [file, verdict] of Object.entries(expected['jepsen-etcd'])) {
      const operations = parseJepsenRegisterLog(readFileSync(path.join(corpusDir, 'jepsen-etcd', file), 'utf8'));
      const result = checkOperations(casRegisterModel, operations);
      if (result.linearizable !== verdict) wrong.push(`${file}: expected ${verdict}, got ${result.linearizable}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(Object.entries(expected.kv))('gives the key-value history %s its known verdict (%s)', (file, verdict) => {
    const operations = parseEdnKvHistory(readFileSync(path.join(corpusDir, 'kv', file), 'utf8'));
    const result = checkOperations(stringRegisterModel, operations);
    expect(result.linearizable).toBe(verdict);
    expect(result.partitions).toBeGreaterThan(1);
    if (verdict === false) expect(result.failure?.blockedOperation).toMatch(/get/);
  });
});
