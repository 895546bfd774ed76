// The link rules shared by the simulator's bus and the store's drawing of cut links (src/sim/linkRules.ts).
import { describe, expect, it } from 'vitest';
import {
  applyLinkChange, isolateLinks, linkChangeOf, partitionClientLinks, partitionNodeLinks,
} from '../../src/sim/linkRules.ts';
import type { ActionEvent } from '../../src/sim/index.ts';

const action = (fields: Record<string, unknown>, resolved: Partial<ActionEvent> = {}): ActionEvent =>
  ({ t: 1, type: 'action', action: { at: 1, ...fields }, ...resolved });

function cutsAfter(events: ActionEvent[], nodeCount: number): string[] {
  const cuts = new Set<string>();
  for (const ev of events) {
    const change = linkChangeOf(ev, nodeCount);
    if (change) applyLinkChange(cuts, change, () => true);
  }
  return [...cuts].sort();
}

describe('link rules', () => {
  it('a partition cuts every link between groups, and nodes it does not list form one more group', () => {
    expect(partitionNodeLinks([[1], [2]], 3)).toEqual([[1, 2], [1, 3], [2, 1], [2, 3], [3, 1], [3, 2]]);
    expect(partitionNodeLinks([[1, 2]], 3)).toEqual([[1, 3], [2, 3], [3, 1], [3, 2]]);
  });

  it('a partition cuts a listed client from every node outside its group, both ways', () => {
    expect(partitionClientLinks([[1, 'c1'], [2, 3]], 3)).toEqual([['c1', 2], [2, 'c1'], ['c1', 3], [3, 'c1']]);
    expect(partitionNodeLinks([[1, 'c1'], [2, 3]], 3)).toEqual([[1, 2], [1, 3], [2, 1], [3, 1]]);
  });

  it('isolating a node cuts it from every other node, both ways', () => {
    expect(isolateLinks(2, 3)).toEqual([[2, 1], [1, 2], [2, 3], [3, 2]]);
  });

  it('reads cut and restore ends as the run resolved them, a client end by name', () => {
    expect(cutsAfter([action({ do: 'cut', from: 'leader', to: 3 }, { from: 2, to: 3 })], 3)).toEqual(['2>3']);
    expect(cutsAfter([action({ do: 'cut', from: 'c1', to: 'leader' }, { to: 1 })], 3)).toEqual(['c1>1']);
    expect(cutsAfter([
      action({ do: 'cut', from: 1, to: 2 }, { from: 1, to: 2 }),
      action({ do: 'cut', from: 2, to: 1 }, { from: 2, to: 1 }),
      action({ do: 'restore', from: 1, to: 2 }, { from: 1, to: 2 }),
    ], 3)).toEqual(['2>1']);
  });

  it('a heal restores every link; a no-op or another action changes none', () => {
    expect(cutsAfter([action({ do: 'isolate', node: 1 }, { node: 1 }), action({ do: 'heal' })], 3)).toEqual([]);
    expect(linkChangeOf(action({ do: 'cut', from: 'leader', to: 2 }, { noop: true, reason: 'no leader' }), 3)).toBeNull();
    expect(linkChangeOf(action({ do: 'crash', node: 1 }, { node: 1 }), 3)).toBeNull();
  });
});
