import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from '../../src/sim/eventQueue.ts';

describe('EventQueue', () => {
  it('pops by time, then by insertion order (the determinism tie-break)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
      const q = new EventQueue<{ time: number; seq: number; label: number }>();
      times.forEach((time, label) => q.push({ time, seq: 0, label }));
      const expected = times.map((time, label) => ({ time, label })).sort((a, b) => a.time - b.time || a.label - b.label);
      const popped = [];
      for (let item = q.pop(); item; item = q.pop()) popped.push({ time: item.time, label: item.label });
      expect(popped).toEqual(expected);
    }));
  });

  it('interleaves pushes and pops correctly', () => {
    const q = new EventQueue<{ time: number; seq: number; label: string }>();
    q.push({ time: 5, seq: 0, label: 'a' });
    q.push({ time: 1, seq: 0, label: 'b' });
    expect(q.peekTime()).toBe(1);
    expect(q.pop()!.label).toBe('b');
    q.push({ time: 5, seq: 0, label: 'c' });
    q.push({ time: 3, seq: 0, label: 'd' });
    expect([q.pop()!.label, q.pop()!.label, q.pop()!.label]).toEqual(['d', 'a', 'c']);
    expect(q.pop()).toBeUndefined();
    expect(q.peekTime()).toBe(Infinity);
  });
});
