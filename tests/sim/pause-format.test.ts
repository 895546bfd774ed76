/**
 * Process pauses in the file formats: the scenario action (validation naming the bad field), the trace events
 * (written with a fixed key order, read back and validated by the trace reader), and replay (the same scenario
 * writes the same bytes, and a fuzz-style replay of the trace's actions reproduces it).
 */
import { describe, expect, it } from 'vitest';
import { namesClient } from '../../src/sim/namesClient.ts';
import { runScenario } from '../../src/sim/run.ts';
import { parseScenario, resolveScenario, FieldError } from '../../src/sim/scenario.ts';
import { checkTrace, parseTrace, TraceFormatError } from '../../src/sim/traceReader.ts';
import { eventJson } from '../../src/sim/traceWriter.ts';

const base = { nodes: 3, until: 5000 };

function rejection(actions: unknown[]): FieldError {
  try {
    resolveScenario({ ...base, actions });
  } catch (error) {
    if (error instanceof FieldError) return error;
    throw error;
  }
  throw new Error('scenario was accepted');
}

describe('pause/resume actions', () => {
  it('accept a node (id, "leader"), "lastPaused" for resume, and a created client', () => {
    const s = resolveScenario({
      ...base,
      actions: [
        { at: 1, do: 'client', client: 'c1', via: 1 },
        { at: 10, do: 'pause', node: 2 },
        { at: 20, do: 'resume', node: 2 },
        { at: 30, do: 'pause', node: 'leader' },
        { at: 40, do: 'resume', node: 'lastPaused' },
        { at: 50, do: 'pause', client: 'c1' },
        { at: 60, do: 'resume', client: 'c1' },
      ],
    });
    expect(s.actions.slice(1).map((a) => ('client' in a ? [a.do, a.client] : [a.do, (a as { node: unknown }).node]))).toEqual([
      ['pause', 2], ['resume', 2], ['pause', 'leader'], ['resume', 'lastPaused'], ['pause', 'c1'], ['resume', 'c1'],
    ]);
    expect(s.actions.slice(1).map(namesClient)).toEqual([false, false, false, false, true, true]);
  });

  it.each([
    ['unknown node', [{ at: 1, do: 'pause', node: 4 }], 'actions[0].node', /unknown node 4/],
    ['node name', [{ at: 1, do: 'pause', node: 'follower' }], 'actions[0].node', /unknown node "follower"/],
    ['lastPaused for pause', [{ at: 1, do: 'pause', node: 'lastPaused' }], 'actions[0].node', /unknown node "lastPaused"/],
    ['neither', [{ at: 1, do: 'resume' }], 'actions[0].node', /required by action "resume" \(or "client"/],
    ['both', [{ at: 1, do: 'client', client: 'c1', via: 1 }, { at: 1, do: 'pause', node: 1, client: 'c1' }], 'actions[1].client', /either "node" or "client", not both/],
    ['unknown client', [{ at: 1, do: 'pause', client: 'c9' }], 'actions[0].client', /unknown client "c9"/],
    ['client before it exists', [{ at: 1, do: 'pause', client: 'c1' }, { at: 2, do: 'client', client: 'c1', via: 1 }], 'actions[0].client', /unknown client "c1"/],
    ['client not a name', [{ at: 1, do: 'pause', client: 7 }], 'actions[0].client', /.+/],
    ['extra field', [{ at: 1, do: 'pause', node: 1, for: 100 }], 'actions[0].for', /unknown field for action "pause"/],
  ])('rejects %s, naming the field', (_, actions, field, problem) => {
    const error = rejection(actions);
    expect(error.field).toBe(field);
    expect(error.problem).toMatch(problem);
  });
});

describe('pause/resume trace events', () => {
  it('are written with a fixed key order', () => {
    expect(eventJson({ t: 5, type: 'pause', node: 2 })).toBe('{"t":5,"type":"pause","node":2}');
    expect(eventJson({ t: 6, type: 'resume', client: 'c"1' })).toBe('{"t":6,"type":"resume","client":"c\\"1"}');
  });

  const scenario = parseScenario(JSON.stringify({
    ...base, seed: 4, until: 6000,
    actions: [
      { at: 100, do: 'client', client: 'c1', via: 'any' },
      { at: 1500, do: 'put', client: 'c1', key: 'k', value: 'v' },
      { at: 2000, do: 'pause', node: 'leader' },
      { at: 2000, do: 'pause', client: 'c1' },
      { at: 4000, do: 'resume', node: 'lastPaused' },
      { at: 4500, do: 'resume', client: 'c1' },
    ],
  }));

  it('are read back by the trace reader and the checker, and the same scenario writes the same bytes', () => {
    const lines: string[] = [];
    const first = runScenario(scenario, { onLine: (l) => lines.push(l) }).summary;
    const text = lines.join('');
    const parsed = parseTrace(text);
    const pauses = parsed.events.filter((e) => ['pause', 'resume'].includes((e as { type: string }).type));
    expect(pauses).toHaveLength(4);
    expect(checkTrace(text).violation).toBeUndefined();
    expect(runScenario(scenario).summary.traceSha256).toBe(first.traceSha256);
    // Replay as the fuzzer's replay file does: the actions the trace's `action` events carry, as written.
    const written = parsed.events.filter((e) => (e as { type: string }).type === 'action').map((e) => (e as { action: unknown }).action);
    const replay = resolveScenario({ ...base, seed: 4, until: 6000, actions: written });
    expect(runScenario(replay).summary.traceSha256).toBe(first.traceSha256);
  });

  it.each([
    ['an unknown node', '{"t":1,"type":"pause","node":4}', 'line 2.node', /unknown node 4/],
    ['no node nor client', '{"t":1,"type":"resume"}', 'line 2.node', /integer >= 1/],
    ['both', '{"t":1,"type":"pause","node":1,"client":"c1"}', 'line 2.client', /not both/],
    ['a bad client', '{"t":1,"type":"pause","client":3}', 'line 2.client', /client's name/],
  ])('a pause naming %s is a format error naming the field', (_, line, where, problem) => {
    const header = runScenarioHeader();
    try {
      parseTrace(`${header}\n${line}\n`);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(TraceFormatError);
      expect((error as TraceFormatError).where).toBe(where);
      expect((error as TraceFormatError).problem).toMatch(problem);
    }
  });
});

function runScenarioHeader(): string {
  const lines: string[] = [];
  runScenario(resolveScenario({ nodes: 3, until: 0 }), { onLine: (l) => lines.push(l) });
  return lines[0]!.trim();
}
