import { describe, expect, it } from 'vitest';
import type { NodeSnapshot, StepResult } from '../../src/sim/host.ts';
import { ResultDecoder, ResultEncoder } from '../../src/worker/protocol.ts';

const follower: NodeSnapshot = { role: 'follower', term: 1, vote: 0, leader: 2, commit: 3, lastIndex: 3, lastTerm: 1 };
const candidate: NodeSnapshot = { ...follower, role: 'candidate', term: 2, vote: 1, leader: 0 };

function result(view: NodeSnapshot, extra: Partial<StepResult> = {}): StepResult {
  return { view, messages: [], committed: [], readStates: [], readFailures: [], explanations: [], ...extra };
}

/** Encodes on one side, clones as postMessage would, decodes on the other. */
function roundTrip(results: StepResult[]): { wire: unknown[]; back: StepResult[] } {
  const encoder = new ResultEncoder();
  const decoder = new ResultDecoder(1);
  const wire = results.map((r) => structuredClone(encoder.encode(r)));
  return { wire, back: wire.map((w) => decoder.decode(w as never)) };
}

describe('worker result encoding', () => {
  it('sends a step that changed nothing as null and expands it with the previous view', () => {
    const { wire, back } = roundTrip([result(follower), result(follower), result(follower)]);
    expect(wire[0]).toEqual({ v: follower });
    expect(wire[1]).toBeNull();
    expect(wire[2]).toBeNull();
    expect(back[2]).toEqual(result(follower));
  });

  it('carries only the fields that are set, and the view only when it changed', () => {
    const vote = { type: 'MsgVote', from: 1, to: 2, term: 2, lastLogIndex: 3, lastLogTerm: 1, transfer: false } as const;
    const full = result(candidate, {
      hardState: { term: 2, vote: 1, commit: 3 },
      messages: [vote],
      explanations: [{ kind: 'campaignStarted', node: 1, term: 2, preVote: false, transfer: false }],
    });
    const append = result(candidate, { append: { from: 4, entries: [{ index: 4, term: 2, data: 'x=1' }] }, proposeOutcome: { ok: true } });
    const { wire, back } = roundTrip([result(follower), full, append]);
    expect(Object.keys(wire[1] as object).sort()).toEqual(['ex', 'hs', 'm', 'v']);
    expect(Object.keys(wire[2] as object).sort()).toEqual(['ap', 'po']);
    expect(back[1]).toEqual(full);
    expect(back[2]).toEqual(append);
  });

  it('refuses a first result without a view (a decoder must see a node from its boot on)', () => {
    expect(() => new ResultDecoder(4).decode(null)).toThrow(/node 4/);
  });
});
