/**
 * Every teaching scenario in examples/ runs safely and shows what its description promises.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applied, appliedData, converged, currentLeader, firstLeaderBetween, run, states, type Run } from './helpers.ts';

const dir = path.resolve(import.meta.dirname, '../../examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const load = (file: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
const runExample = (file: string, change: (s: Record<string, unknown>) => void = () => {}): Run => {
  const s = load(file);
  change(s);
  const r = run(s);
  expect(r.summary.violations).toEqual([]);
  return r;
};
const nonNull = (data: (string | null)[]) => data.filter((d) => d !== null);

describe('examples/', () => {
  it('has at least six teaching scenarios, each with a name and a description', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of ['leader-crash', 'split-vote', 'minority-partition', 'prevote', 'transfer', 'unreliable-network']) {
      expect(files).toContain(`${f}.json`);
    }
    for (const f of files) {
      const s = load(f);
      expect(typeof s.name === 'string' && s.name.length > 0, f).toBe(true);
      expect(typeof s.description === 'string' && (s.description as string).length > 40, f).toBe(true);
    }
  });

  it.each(files)('%s runs without a violation', (file) => {
    const r = runExample(file);
    expect(r.summary.events).toBeGreaterThan(100);
  });

  it('leader-crash: a new leader within 5 ET of the crash; the old leader rejoins as a follower; every write everywhere', () => {
    const r = runExample('leader-crash.json');
    const old = r.summary.leaders[0]!.node;
    expect(firstLeaderBetween(r, 4000, 4000 + 5 * r.et)).toBeDefined();
    expect(states(r).filter((s) => s.node === old && s.t > 9000).every((s) => s.role === 'follower')).toBe(true);
    for (const [, data] of appliedData(r)) expect(nonNull(data)).toEqual(['x=1', 'x=2', 'x=3']);
  });

  it('split-vote: term 1 has two candidates and no leader; a later term elects one', () => {
    const r = runExample('split-vote.json');
    const term1 = states(r).filter((s) => s.term === 1);
    expect(new Set(term1.filter((s) => s.role === 'candidate').map((s) => s.node))).toEqual(new Set([1, 2]));
    expect(term1.some((s) => s.role === 'leader')).toBe(false);
    expect(r.summary.leaders[0]!.term).toBeGreaterThanOrEqual(2);
  });

  it('minority-partition: the minority write never commits, node 1 steps down, the majority goes on', () => {
    const r = runExample('minority-partition.json');
    expect(applied(r, 'lost')).toBe(false);
    const stepDown = states(r).find((s) => s.node === 1 && s.t > 3000 && s.role !== 'leader')!;
    expect(stepDown.t - 3000).toBeLessThanOrEqual(2 * r.et);
    for (const [, data] of appliedData(r)) expect(nonNull(data)).toEqual(['before', 'majority', 'after']);
    expect(converged(r)).toBeUndefined();
  });

  it('prevote: the rejoining node does not disrupt the leader; with preVote off it does', () => {
    const r = runExample('prevote.json');
    expect(r.summary.leaders).toHaveLength(1);
    const off = runExample('prevote.json', (s) => ((s.config as Record<string, unknown>).preVote = false));
    expect(off.summary.leaders.filter((l) => l.t > 9000).length).toBeGreaterThan(0);
  });

  it('transfer: node 2 leads within 1 ET of the request, and takes the next write', () => {
    const r = runExample('transfer.json');
    const next = r.summary.leaders.find((l) => l.t >= 3000)!;
    expect(next.node).toBe(2);
    expect(next.t - 3000).toBeLessThanOrEqual(r.et);
    expect(currentLeader(r, 4000)).toBe(2);
    for (const [, data] of appliedData(r)) expect(nonNull(data)).toEqual(['before', 'after']);
  });

  it('unreliable-network: losses and duplicates happen, yet every node applies the same writes in order', () => {
    const r = runExample('unreliable-network.json');
    expect(r.events.filter((e) => e.type === 'drop' && e.reason === 'loss').length).toBeGreaterThan(50);
    const lists = [...appliedData(r).values()].map(nonNull);
    expect(lists[0]!.length).toBeGreaterThanOrEqual(15);
    for (const list of lists) expect(list).toEqual(lists[0]);
    expect(converged(r)).toBeUndefined();
  });

  it('check-quorum: the isolated leader steps down within 2 ET', () => {
    const r = runExample('check-quorum.json');
    const old = r.summary.leaders[0]!.node;
    const stepDown = states(r).find((s) => s.node === old && s.t > 3000 && s.role !== 'leader')!;
    expect(stepDown.t - 3000).toBeLessThanOrEqual(2 * r.et);
  });

  it('figure-8: the term-1 entry on a majority is not committed, and is overwritten; the unsafe variant is caught', () => {
    const r = runExample('figure-8.json');
    expect(applied(r, 'a')).toBe(false);
    const unsafe = run({ ...load('figure-8.json'), config: { ...(load('figure-8.json').config as object), unsafe: ['commitOldTerm'] } });
    expect(unsafe.summary.violations[0]?.invariant).toBe('Leader Completeness');
  });

  it('pause-leader: the paused leader is replaced, resumes still leading the old term, and steps down on its inbox', () => {
    const r = runExample('pause-leader.json');
    const [old, next] = r.summary.leaders;
    expect(next!.t).toBeGreaterThan(4000);
    expect(next!.t).toBeLessThan(8000);
    expect(next!.term).toBeGreaterThan(old!.term);
    const resumeAt = r.events.findIndex((e) => e.type === 'resume');
    const before = states(r).filter((s) => s.node === old!.node && r.events.indexOf(s) < resumeAt).at(-1);
    expect(before).toMatchObject({ role: 'leader', term: old!.term });
    const after = states(r).find((s) => s.node === old!.node && r.events.indexOf(s) > resumeAt);
    expect(after).toMatchObject({ t: 8000, role: 'follower', term: next!.term });
    for (const [, data] of appliedData(r)) expect(nonNull(data)).toEqual(['x=1', 'x=2', 'x=3']);
  });
});
