/**
 * The `flotilla` command: exit codes (0 safe, 1 violation, 2 bad input), error messages that name the field,
 * the JSON outputs, the files it writes. Commands run in-process with captured output; one test runs the real
 * bin/flotilla.mjs to prove `npx flotilla` works.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { flotilla } from './cliIo.ts';

const repo = path.resolve(import.meta.dirname, '../..');
let dir: string;

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

const leaderCrash = {
  name: 'leader crash', nodes: 5, seed: 42, until: 12000,
  actions: [{ at: 3000, do: 'crash', node: 'leader' }, { at: 6000, do: 'restart', node: 'lastCrashed' }, { at: 8000, do: 'propose', node: 'leader', data: 'x=1' }],
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'flotilla-cli-'));
});

describe('flotilla sim', () => {
  it('prints the JSON summary and writes the trace whose SHA-256 it reports (exit 0)', async () => {
    const trace = path.join(dir, 'lc.jsonl');
    const { code, out } = await flotilla('sim', file('lc.json', leaderCrash), '--out', trace);
    expect(code).toBe(0);
    const summary = JSON.parse(out);
    expect(Object.keys(summary)).toEqual(['seed', 'events', 'until', 'leaders', 'violations', 'traceSha256']);
    expect(summary).toMatchObject({ seed: 42, until: 12000, violations: [] });
    expect(summary.leaders.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(summary.leaders[0])).toEqual(['term', 'node', 't']);
    const bytes = readFileSync(trace);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(summary.traceSha256);
    expect(bytes.toString().trimEnd().split('\n')).toHaveLength(summary.events + 1);
  });

  it('--seed overrides the scenario seed (and changes the trace)', async () => {
    const a = JSON.parse((await flotilla('sim', file('s1.json', leaderCrash))).out);
    const b = JSON.parse((await flotilla('sim', file('s2.json', leaderCrash), '--seed', '43')).out);
    expect(b.seed).toBe(43);
    expect(b.traceSha256).not.toBe(a.traceSha256);
  });

  it('exits 1 on a violation and reports invariant, nodes, time and seed', async () => {
    const scenario = JSON.parse(readFileSync(path.join(repo, 'examples/figure-8.json'), 'utf8'));
    scenario.config.unsafe = ['commitOldTerm'];
    const { code, out, err } = await flotilla('sim', file('f8.json', scenario));
    expect(code).toBe(1);
    expect(JSON.parse(out).violations[0]).toMatchObject({ invariant: 'Leader Completeness', nodes: [5], t: 1020, seed: 1 });
    expect(err).toMatch(/VIOLATION of Leader Completeness at t=1020 ms \(nodes 5, seed 1\)/);
  });

  it.each([
    ['malformed JSON', '{"nodes": 5,', '(file): malformed JSON'],
    ['an unknown node', { ...leaderCrash, actions: [{ at: 1, do: 'crash', node: 9 }] }, 'actions[0].node: unknown node 9 (cluster has nodes 1..5)'],
    ['an unknown action', { ...leaderCrash, actions: [{ at: 1, do: 'reboot', node: 1 }] }, 'actions[0].do: unknown action "reboot"'],
    ['a negative time', { ...leaderCrash, actions: [{ at: -1, do: 'heal' }] }, 'actions[0].at: must not be negative, got -1'],
    ['a bad type', { ...leaderCrash, config: { preVote: 1 } }, 'config.preVote: must be true or false, got 1'],
  ])('exits 2 on %s, naming the field, and runs nothing', async (_what, content, message) => {
    const trace = path.join(dir, 'never.jsonl');
    const { code, out, err } = await flotilla('sim', file('bad.json', content), '--out', trace);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(message);
    expect(existsSync(trace)).toBe(false);
  });

  it.each([
    [['sim'], 'expected exactly one SCENARIO.json'],
    [['sim', '/nonexistent/s.json'], 'cannot read /nonexistent/s.json'],
    [['sim', 'x.json', '--seed', 'abc'], "--seed must be an integer, got 'abc'"],
    [['sim', 'x.json', '--speed', '2'], 'unknown option --speed'],
    [['bogus'], "unknown command 'bogus'"],
    [[], 'usage: flotilla'],
  ])('exits 2 on bad arguments: %j', async (argv, message) => {
    const { code, err } = await flotilla(...argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });
});

describe('flotilla fuzz', () => {
  it('runs the seeds, shows progress on stderr and exits 0', async () => {
    const { code, out, err } = await flotilla('fuzz', '--seeds', '3', '--events', '3000', '--from-seed', '5');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ ok: true, seeds: 3, fromSeed: 5 });
    expect(err).toMatch(/fuzz: seed 7 \(3\/3\)/);
  });

  it('prints what the seeds drew: seeds per read mode, per client workload, per fault kind', async () => {
    const { code, out } = await flotilla('fuzz', '--seeds', '6', '--events', '3000', '--from-seed', '1');
    expect(code).toBe(0);
    const { drawn } = JSON.parse(out);
    expect(drawn.readOnly.safe + (drawn.readOnly.lease ?? 0)).toBe(6);
    expect((drawn.clients.kv ?? 0) + (drawn.clients['kv+recipes'] ?? 0)).toBe(6);
    for (const [kind, seeds] of Object.entries(drawn.faults as Record<string, number>)) {
      expect(seeds, kind).toBeLessThanOrEqual(6);
      expect(drawn.faultsScheduled[kind], kind).toBeGreaterThanOrEqual(seeds);
    }
  });

  it('--keep-going runs every seed, reports each failure and exits 1 at the end', async () => {
    const { code, out, err } = await flotilla('fuzz', '--seeds', '3', '--unsafe', 'forgetVote', '--keep-going', '--out-dir', dir);
    expect(code).toBe(1);
    const lines = out.trim().split('\n').map((line) => JSON.parse(line));
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({ ok: false, seeds: 3 });
    expect(summary.failed.length).toBeGreaterThan(1);
    expect(lines.slice(0, -1).map((r) => r.seed)).toEqual(summary.failed);
    for (const seed of summary.failed) expect(err).toContain(`seed ${seed} FAILED`);
    expect(err).toMatch(/fuzz: seed 3 \(3\/3\)/);
  });

  it('on failure prints the seed, options and reproducing command, writes trace and replay scenario, exits 1', async () => {
    const { code, out, err } = await flotilla('fuzz', '--seeds', '20', '--unsafe', 'forgetVote', '--out-dir', dir);
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(err).toContain(`seed ${report.seed} FAILED: Vote Persistence`);
    expect(err).toContain('"unsafe":["forgetVote"]');
    expect(report.reproduce).toBe(`npx flotilla fuzz --from-seed ${report.seed} --seeds 1 --events 20000 --unsafe forgetVote`);
    // The trace is checkable offline and shows the same violation; the replay scenario reproduces it.
    const checked = await flotilla('check', report.trace);
    expect(checked.code).toBe(1);
    expect(JSON.parse(checked.out).violations[0].invariant).toBe('Vote Persistence');
    const replay = await flotilla('sim', report.scenario);
    expect(replay.code).toBe(1);
    expect(JSON.parse(replay.out).traceSha256).toBe(createHash('sha256').update(readFileSync(report.trace)).digest('hex'));
    // And the printed command reproduces the failure.
    const again = await flotilla(...report.reproduce.split(' ').slice(2), '--out-dir', dir);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.out).violation).toEqual(report.violation);
  });

  it.each([
    [['--unsafe', 'fastCommit'], '--unsafe must be one of forgetVote, commitOldTerm, skipUpToDateCheck, noTruncate'],
    [['--seeds', '0'], '--seeds must be in [1,'],
    [['--nodes', 'five'], "--nodes must be an integer, got 'five'"],
    [['extra'], "unexpected argument 'extra'"],
    [['--keep-going=yes'], '--keep-going takes no value'],
  ])('exits 2 on bad options: %j', async (argv, message) => {
    const { code, err } = await flotilla('fuzz', ...argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });
});

describe('flotilla check', () => {
  it('exits 0 on a safe trace, 2 on a malformed one (naming the line), 2 on an unknown format', async () => {
    const trace = path.join(dir, 'ok.jsonl');
    await flotilla('sim', file('ok.json', leaderCrash), '--out', trace);
    const ok = await flotilla('check', trace);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ seed: 42, violations: [] });
    const lines = readFileSync(trace, 'utf8').split('\n');
    lines[7] = JSON.stringify({ t: JSON.parse(lines[7]!).t, type: 'state', node: 1 });
    const bad = await flotilla('check', file('bad.jsonl', lines.join('\n')));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('line 8.role');
    const other = await flotilla('check', file('notes.txt', 'hello\nworld\n'));
    expect(other.code).toBe(2);
    expect(other.err).toContain('not a Flotilla trace');
  });

  it('exits 1 when an edited trace breaks an invariant', async () => {
    const trace = path.join(dir, 'edit.jsonl');
    await flotilla('sim', file('edit.json', leaderCrash), '--out', trace);
    const lines = readFileSync(trace, 'utf8').trimEnd().split('\n');
    // Append a second leader of term 1.
    const leaderLine = lines.find((l) => l.includes('"role":"leader"'))!;
    const first = JSON.parse(leaderLine);
    const other = first.node === 1 ? 2 : 1;
    const last = JSON.parse(lines.at(-1)!).t;
    const forged = lines.filter((l) => { const e = JSON.parse(l); return e.type === 'state' && e.node === other; }).at(-1)!;
    const e = JSON.parse(forged);
    lines.push(JSON.stringify({ ...e, t: last, role: 'leader', term: first.term, leader: other, vote: e.term === first.term ? e.vote : other }));
    const { code, out } = await flotilla('check', file('forged.jsonl', lines.join('\n') + '\n'));
    expect(code).toBe(1);
    expect(JSON.parse(out).violations[0].invariant).toMatch(/Election Safety|Term Monotonicity|Vote Persistence/);
  });

  it('hands histories from other systems to the linearizability checker', async () => {
    // The vendored corpus (tests/fixtures/linearizability): etcd_000 is not linearizable, etcd_002 is.
    const corpus = path.join(repo, 'tests/fixtures/linearizability/jepsen-etcd');
    const { code, out } = await flotilla('check', path.join(corpus, 'etcd_000.log'));
    expect([0, 1]).toContain(code);
    expect(JSON.parse(out)).toHaveProperty('linearizable');
    expect({ code, linearizable: JSON.parse(out).linearizable }).toEqual({ code: 1, linearizable: false });
    const good = await flotilla('check', path.join(corpus, 'etcd_002.log'));
    expect({ code: good.code, linearizable: JSON.parse(good.out).linearizable }).toEqual({ code: 0, linearizable: true });
  });
});

describe('bin/flotilla.mjs', () => {
  it('runs as `npx flotilla` would, with the exit code of the command', () => {
    const out = execFileSync(process.execPath, [path.join(repo, 'bin/flotilla.mjs'), 'sim', file('bin.json', leaderCrash)], { encoding: 'utf8' });
    expect(JSON.parse(out)).toMatchObject({ seed: 42, violations: [] });
    let status = 0;
    try {
      execFileSync(process.execPath, [path.join(repo, 'bin/flotilla.mjs'), 'sim', file('bin-bad.json', '{')], { stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(2);
  }, 30_000);
});
