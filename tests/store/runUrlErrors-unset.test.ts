// Review of issue 10: an error caused by one URL parameter is blamed on that parameter, never on a parameter the
// link does not contain. `et=100` on a scenario whose heartbeat is 100 ms breaks the scenario's heartbeat rule
// (heartbeatMs < electionTimeoutMs), whose field maps to `hb`; the user never typed `hb`.
import { describe, expect, it } from 'vitest';
import { parseRunUrl, type RunSpec } from '../../src/store/runUrl.ts';
import { checkRunSpec } from '../../src/store/runUrlErrors.ts';

const BASE = { name: 'three', nodes: 3, seed: 1, until: 5000, config: { heartbeatMs: 100 } };

function specOf(search: string): RunSpec {
  const { spec, errors } = parseRunUrl(search);
  expect(errors).toEqual([]);
  return spec;
}

describe('URL errors never name a parameter the link lacks', () => {
  it('et below the scenario\'s own heartbeat is blamed on et', () => {
    expect(() => checkRunSpec(BASE, specOf('?et=100'))).toThrow(/^et: /);
    expect(() => checkRunSpec(BASE, specOf('?et=50'))).toThrow(/^et: /);
  });

  it('a parameter the link does set keeps the blame', () => {
    expect(() => checkRunSpec(BASE, specOf('?hb=2000&et=1000'))).toThrow(/^hb: must be less than electionTimeoutMs/);
    expect(() => checkRunSpec(BASE, specOf('?et=15'))).toThrow(/^et: /);
  });
});
