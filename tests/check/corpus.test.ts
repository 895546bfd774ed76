import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../src/check/linearizability.ts';
import { parseJepsenRegisterLog } from '../../src/check/formats/jepsenLog.ts';
import { parseEdnKvHistory } from '../../src/check/formats/ednHistory.ts';
import { casRegisterModel } from '../../src/check/models/casRegister.ts';
import { stringRegisterModel } from '../../src/check/models/stringRegister.ts';

/**
 * Every history of the corpus (Porcupine's test_data, vendored with its licence in tests/fixtures/linearizability)
 * gets its known verdict. The repo root is found from this file, not from the working directory, so the test runs
 * the same from anywhere; the corpus is part of the repository, so nothing is skipped.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusDir = path.join(repoRoot, 'tests', 'fixtures', 'linearizability');

interface Expected {
  readonly 'jepsen-etcd': Record<string, boolean>;
  readonly kv: Record<string, boolean>;
}
const expected: Expected = JSON.parse(readFileSync(path.join(corpusDir, 'expected.json'), 'utf8'));

describe('linearizability corpus', () => {
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
