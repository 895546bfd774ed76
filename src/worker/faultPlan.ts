/**
 * Test-only fault injection for the worker host: `?failNode=3@40` makes node 3's first worker throw while it
 * handles its 40th input (counted from its creation). An input count, not a wall-clock moment, so the failure
 * happens at the same point of the run every time and the run stays deterministic. Several nodes:
 * `failNode=3@40,5@100`. The e2e tests use it to check that a failing worker is reported and the rest goes on.
 */
import type { NodeId } from '../raft/types.ts';

/** Per node, the input number (1-based) its first worker throws on. */
export type FaultPlan = ReadonlyMap<NodeId, number>;

/** Parses `NODE@INPUT[,NODE@INPUT...]`; throws naming the parameter and the bad part. */
export function parseFaultPlan(text: string, nodeCount: number): FaultPlan {
  const plan = new Map<NodeId, number>();
  for (const part of text.split(',').filter(Boolean)) {
    const match = /^(\d+)@(\d+)$/.exec(part.trim());
    const node = match ? Number(match[1]) : NaN;
    const input = match ? Number(match[2]) : NaN;
    if (!match || node < 1 || node > nodeCount || input < 1) {
      throw new RangeError(`failNode: expected NODE@INPUT with NODE in 1..${nodeCount} and INPUT >= 1, got "${part}"`);
    }
    plan.set(node, input);
  }
  return plan;
}
