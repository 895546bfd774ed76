/**
 * The `flotilla` command on hostile input (issue 10, bugs 4 and 5): names every object inherits, keys given twice,
 * unknown client operations, empty clusters and big integers end in exit 2 with a message naming the field (or a
 * verdict), never in a stack trace.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flotilla } from './cliIo.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-hostile-'));
const NAMES = ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'];

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('flotilla sim', () => {
  it.each(NAMES)('refuses "do": "%s" with exit 2, naming actions[0].do', async (name) => {
    const scenario = file(`${name}.json`, JSON.stringify({ nodes: 3, until: 100, actions: [{ at: 1, do: name }] }));
    const { code, out, err } = await flotilla('sim', scenario);
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err).toMatch(new RegExp(`^flotilla sim: .*${name}\\.json: actions\\[0\\]\\.do: unknown action "${name}" \\(known: crash,`));
    expect(err).not.toMatch(/\n\s+at /);
  });

  it.each(NAMES)('refuses the option --%s, and %s as a command', async (name) => {
    const scenario = file('ok.json', JSON.stringify({ nodes: 3, until: 10 }));
    expect(await flotilla('sim', scenario, `--${name}`, '1')).toMatchObject({ code: 2, err: expect.stringMatching(new RegExp(`^flotilla sim: unknown option --${name} \\(known: --seed, --out\\)`)) });
    expect(await flotilla('fuzz', `--${name}=1`)).toMatchObject({ code: 2, err: expect.stringMatching(new RegExp(`unknown option --${name}`)) });
    expect(await flotilla(name)).toMatchObject({ code: 2, err: expect.stringMatching(new RegExp(`^flotilla: unknown command '${name}'`)) });
  });

  it('refuses a key given twice, naming the key and its path', async () => {
    const scenario = file('dup.json', '{"nodes": 3, "until": 100, "actions": [{"at": 1, "do": "crash", "node": 1, "node": 2}]}');
    const { code, err } = await flotilla('sim', scenario);
    expect(code).toBe(2);
    expect(err).toMatch(/dup\.json: actions\[0\]\.node: duplicate key "node"/);
  });
});

describe('flotilla check', () => {
  const header = '{"type":"header","format":"flotilla-trace","version":1,"seed":1,"nodes":[1,2,3],"config":{},"network":{}}';

  it.each(['constructor', 'toString', 'frobnicate'])('exits 2 on a client invoke with op.do %s, naming the line and field', async (name) => {
    const trace = file(`op-${name}.jsonl`, [
      header,
      `{"t":5,"type":"client","client":"c1","id":1,"phase":"invoke","op":{"do":"put","key":"k","value":"v"}}`,
      `{"t":6,"type":"client","client":"c1","id":2,"phase":"invoke","op":{"do":"${name}","key":"k"}}`,
    ].join('\n') + '\n');
    const { code, err } = await flotilla('check', trace);
    expect(code).toBe(2);
    expect(err).toMatch(new RegExp(`op-${name}\\.jsonl: line 3: op\\.do: unknown client operation "${name}"`));
  });

  it('exits 2 on a header with "nodes": []', async () => {
    const trace = file('empty.jsonl', header.replace('[1,2,3]', '[]') + '\n');
    const { code, err } = await flotilla('check', trace);
    expect(code).toBe(2);
    expect(err).toMatch(/empty\.jsonl: line 1\.nodes: must list the node ids 1\.\.N in order \(N >= 1\), got \[\]/);
  });

  it('tells EDN integers beyond 2^53 apart: a read of 12345678901234567891 after a write of 12345678901234567890 fails', async () => {
    const lines = (read: string) => [
      '{:process 1, :type :invoke, :f :put, :key "k", :value 12345678901234567890}',
      '{:process 1, :type :ok, :f :put, :key "k", :value 12345678901234567890}',
      '{:process 2, :type :invoke, :f :get, :key "k", :value nil}',
      `{:process 2, :type :ok, :f :get, :key "k", :value ${read}}`,
    ].join('\n') + '\n';
    const bad = await flotilla('check', file('big-bad.edn', lines('12345678901234567891')));
    expect({ code: bad.code, verdict: JSON.parse(bad.out).linearizable }).toEqual({ code: 1, verdict: false });
    const good = await flotilla('check', file('big-good.edn', lines('12345678901234567890')));
    expect({ code: good.code, verdict: JSON.parse(good.out).linearizable }).toEqual({ code: 0, verdict: true });
    expect(readFileSync(path.join(dir, 'big-good.edn'), 'utf8')).toContain('12345678901234567890');
  });
});
