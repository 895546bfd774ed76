import { describe, expect, it } from 'vitest';
import { InstanceNames } from '../../../src/etcd/server/instanceNames.ts';

describe('instance names', () => {
  it('never repeat across lives of a node, and reads and keepalive checks share one count', () => {
    const first = new InstanceNames(3, 1, 42);
    const second = new InstanceNames(3, 2, 42);
    expect([first.readContext('r'), first.readContext('k'), first.streamInstance()]).toEqual(['r3:1:16.1', 'k3:1:16.2', '3:1:16.1']);
    expect(second.readContext('r')).toBe('r3:2:16.1');
  });
});
