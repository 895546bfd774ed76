// The composition root's turns for async work (src/ui/newestOnly.ts): only the newest turn goes on.
import { describe, expect, it } from 'vitest';
import { newestOnly } from '../../src/ui/newestOnly.ts';

describe('newestOnly', () => {
  it('tells an older turn it is no longer the newest once a newer one is taken', () => {
    const turns = newestOnly();
    const first = turns.take();
    expect(first()).toBe(true);
    const second = turns.take();
    expect(first()).toBe(false);
    expect(second()).toBe(true);
  });

  it('keeps separate turns for separate instances', () => {
    const opens = newestOnly();
    const addresses = newestOnly();
    const open = opens.take();
    addresses.take();
    expect(open()).toBe(true);
  });
});
