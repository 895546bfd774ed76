import { describe, expect, it } from 'vitest';
import { parseFaultPlan } from '../../src/worker/faultPlan.ts';

describe('failNode fault plan', () => {
  it('reads NODE@INPUT pairs', () => {
    expect([...parseFaultPlan('3@40,5@1', 5)]).toEqual([[3, 40], [5, 1]]);
  });

  it('names the parameter and the bad part', () => {
    expect(() => parseFaultPlan('6@10', 5)).toThrow(/failNode.*"6@10"/);
    expect(() => parseFaultPlan('3@0', 5)).toThrow(/"3@0"/);
    expect(() => parseFaultPlan('3', 5)).toThrow(/"3"/);
  });
});
