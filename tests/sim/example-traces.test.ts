/**
 * Each example's trace is pinned (issue 10): the sha256 `flotilla sim examples/X.json` reports (default seed) is
 * held in example-traces.json, so a change of behaviour shows as a changed hash, explained in the commit that
 * changes it. To re-pin after an intended change: `node scripts/pin-traces.mjs` (it runs this test with
 * UPDATE_PINS=1, which rewrites the pin file), then say in the commit message why each trace changed.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simCommand } from '../../src/cli/simCommand.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const pinFile = path.join(import.meta.dirname, 'example-traces.json');
const examples = readdirSync(path.join(repo, 'examples')).filter((f) => f.endsWith('.json')).sort();

/** The sha256 `flotilla sim examples/NAME` prints (the CLI's own code, default seed). */
function traceSha256(name: string): string {
  let out = '';
  const code = simCommand([path.join(repo, 'examples', name)], { stdout: (t) => (out += t), stderr: () => {}, stderrIsTty: false });
  expect(code, `flotilla sim examples/${name} exit code`).toBe(0);
  return (JSON.parse(out) as { traceSha256: string }).traceSha256;
}

describe('example traces are pinned', () => {
  it('every example in examples/ gives the trace whose sha256 tests/sim/example-traces.json holds', () => {
    const pinned = JSON.parse(readFileSync(pinFile, 'utf8')) as Record<string, string>;
    const actual = Object.fromEntries(examples.map((name) => [name, traceSha256(name)]));
    const problems: string[] = [];
    for (const name of examples) {
      if (!Object.hasOwn(pinned, name)) problems.push(`${name}: not pinned (new example?), its trace is ${actual[name]}`);
      else if (pinned[name] !== actual[name]) problems.push(`${name}: trace changed, pinned ${pinned[name]}, now ${actual[name]}`);
    }
    for (const name of Object.keys(pinned)) if (!examples.includes(name)) problems.push(`${name}: pinned, but no longer in examples/`);
    if (process.env.UPDATE_PINS === '1') {
      writeFileSync(pinFile, JSON.stringify(actual, null, 2) + '\n');
      if (problems.length > 0) console.log(`re-pinned tests/sim/example-traces.json:\n  ${problems.join('\n  ')}`);
      return;
    }
    expect(problems, [
      'The traces of these examples changed:',
      ...problems.map((p) => `  ${p}`),
      'If the change is intended, re-pin with `node scripts/pin-traces.mjs` (or UPDATE_PINS=1 npx vitest run',
      'tests/sim/example-traces.test.ts) and say in the commit message why each trace changed.',
    ].join('\n')).toEqual([]);
  });
});
