/**
 * Lease expiries in a Flotilla trace's history: an `expired` event starts a revoke of unknown time, a `revoked`
 * event for the lease bounds it (the revoke was applied by then), and a lease expiring again under a new leader
 * is one revoke, not several. So a read after `revoked` that still sees the lease's key is caught, and a history
 * with many re-decided expiries stays cheap to check.
 */
import { describe, expect, it } from 'vitest';
import { checkTraceHistory } from '../../src/check/index.ts';

const ID = '1a2b3c4d5e6f7081';
const header = (revision: number) => ({ revision, raftTerm: 1 });

function history(readAfterRevoke: 'present' | 'absent', reDecided: number): object[] {
  const events: object[] = [
    { t: 1, type: 'client', client: 'c1', id: 1, phase: 'invoke', op: { do: 'grant', lease: 'L1', ttlMs: 1000 } },
    { t: 2, type: 'lease', node: 1, lease: 'L1', id: ID, event: 'granted', ttlMs: 1000 },
    { t: 3, type: 'client', client: 'c1', id: 1, phase: 'ok', result: { header: header(1), id: ID, ttlMs: 1000 } },
    { t: 4, type: 'client', client: 'c1', id: 2, phase: 'invoke', op: { do: 'put', key: 'k', value: 'v', lease: 'L1', leaseId: ID } },
    { t: 5, type: 'client', client: 'c1', id: 2, phase: 'ok', result: { header: header(2), prevKv: null } },
  ];
  for (let i = 0; i < reDecided; i++) events.push({ t: 10 + i, type: 'lease', node: 1 + (i % 3), lease: 'L1', id: ID, event: 'expired' });
  events.push({ t: 100, type: 'lease', node: 1, lease: 'L1', id: ID, event: 'revoked' });
  const kvs = readAfterRevoke === 'present' ? [{ key: 'k', value: 'v', createRevision: 2, modRevision: 2, version: 1, lease: ID }] : [];
  events.push(
    { t: 101, type: 'client', client: 'c2', id: 1, phase: 'invoke', op: { do: 'get', key: 'k' } },
    { t: 102, type: 'client', client: 'c2', id: 1, phase: 'ok', result: { header: header(readAfterRevoke === 'present' ? 2 : 3), kvs, count: kvs.length } },
  );
  return events;
}

describe('lease expiries in a trace history', () => {
  it('accepts a read after the revoke that no longer sees the key', () => {
    expect(checkTraceHistory(history('absent', 1)).linearizable).toBe(true);
  });

  it('rejects a read after the `revoked` event that still sees the lease\'s key', () => {
    expect(checkTraceHistory(history('present', 1)).linearizable).toBe(false);
  });

  it('counts a lease decided expired again and again as one revoke', () => {
    const verdict = checkTraceHistory(history('absent', 40));
    expect(verdict.linearizable).toBe(true);
    expect(verdict.operations).toBe(3); // the put, one revoke, the get (a grant changes no key)
  });
});
