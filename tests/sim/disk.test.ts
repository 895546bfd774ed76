import { describe, expect, it } from 'vitest';
import { Disk } from '../../src/sim/disk.ts';

const e = (index: number, term: number, data: string | null = null) => ({ index, term, data });

describe('Disk (the durable state a restart recovers)', () => {
  it('truncates at `from` before writing, and hands out copies', () => {
    const disk = new Disk(2);
    disk.append(1, 1, [e(1, 1), e(2, 1, 'a'), e(3, 1, 'b')]);
    disk.append(1, 2, [e(2, 2, 'c')]);
    disk.saveHardState(1, { term: 2, vote: 3, commit: 1 });
    const loaded = disk.load(1);
    expect(loaded).toEqual({ hardState: { term: 2, vote: 3, commit: 1 }, entries: [e(1, 1), e(2, 2, 'c')] });
    (loaded.entries as unknown[]).push('scribble');
    expect(disk.lastIndex(1)).toBe(2);
    expect(disk.load(2)).toEqual({ hardState: { term: 0, vote: 0, commit: 0 }, entries: [] });
  });

  it('refuses a write that would leave a gap in the log', () => {
    const disk = new Disk(1);
    expect(() => disk.append(1, 2, [e(2, 1)])).toThrow(/gap/);
  });

  it('starts from a given state', () => {
    const disk = new Disk(1, () => ({ hardState: { term: 4, vote: 1, commit: 2 }, entries: [e(1, 1), e(2, 4)] }));
    expect(disk.lastIndex(1)).toBe(2);
    expect(disk.load(1).hardState.term).toBe(4);
  });
});
