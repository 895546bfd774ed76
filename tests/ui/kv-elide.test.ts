import { describe, expect, it } from 'vitest';
import { elideMiddle } from '../../src/ui/kv/elide.ts';

describe('elideMiddle', () => {
  it('keeps short keys and both ends of long ones, within the width', () => {
    expect(elideMiddle('svc/a')).toBe('svc/a');
    expect(elideMiddle('/election/web/694d77aa9e38260f')).toBe('/electi…38260f');
    expect(elideMiddle('/election/web/694d77aa9e38260f')).toHaveLength(14);
    expect(elideMiddle('abcdefghij', 5)).toBe('ab…ij');
  });
});
