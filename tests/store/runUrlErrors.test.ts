// Issue 10: every error about a link starts with the URL parameter it is about; links travel in the fragment,
// compressed when long.
import { describe, expect, it } from 'vitest';
import {
  encodeInlineScenario, formatRunFragment, inlineScenarioJson, LINK_MAX_CHARS, MAX_POSITION_EVENTS, parseRunUrl,
  PLAIN_FRAGMENT_MAX_CHARS, runParamsOfLocation, type RunSpec,
} from '../../src/store/runUrl.ts';
import { checkRunSpec, MAX_UNTIL_MS } from '../../src/store/runUrlErrors.ts';

const BASE = { name: 'three', nodes: 3, seed: 1, until: 5000, actions: [{ at: 100, do: 'crash', node: 1 }] };

function specOf(search: string): RunSpec {
  const { spec, errors } = parseRunUrl(search);
  expect(errors).toEqual([]);
  return spec;
}

describe('URL errors name the parameter', () => {
  it('an action named after an Object.prototype member is an unknown action of `actions[i].do`', () => {
    for (const name of ['toString', 'constructor', 'hasOwnProperty', '__proto__']) {
      const { errors } = parseRunUrl('?actions=' + encodeURIComponent(JSON.stringify([{ at: 1, do: 'crash', node: 1 }, { at: 1, do: name }])));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`^actions\\[1\\]\\.do: unknown action "${name}"`));
    }
    expect(parseRunUrl('?actions={"at":1}').errors).toEqual(['actions: expected a JSON array of actions']);
    expect(parseRunUrl('?actions=[{"at":-1,"do":"heal"}]').errors[0]).toMatch(/^actions\[0\]\.at: /);
    expect(parseRunUrl('?actions=[oops').errors[0]).toMatch(/^actions: not valid JSON/);
  });

  it('a bad inline scenario: not base64url, not UTF-8, not JSON, not an object', () => {
    expect(() => inlineScenarioJson('inline:@@@')).toThrow(/^scenario: not valid base64url/);
    expect(() => inlineScenarioJson('inline:A')).toThrow(/^scenario: not valid base64url/);
    const badUtf8 = 'inline:' + Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64url');
    expect(() => inlineScenarioJson(badUtf8)).toThrow(/^scenario: the inline scenario is not valid UTF-8/);
    expect(() => inlineScenarioJson(encodeInlineScenario('{"nodes":'))).toThrow(/^scenario: the inline scenario is not valid JSON/);
    expect(() => inlineScenarioJson(encodeInlineScenario('[1,2]'))).toThrow(/^scenario: the inline scenario must be a JSON object, got an array/);
    expect(() => inlineScenarioJson(encodeInlineScenario('null'))).toThrow(/^scenario: .* got null/);
    expect(inlineScenarioJson(encodeInlineScenario(JSON.stringify(BASE)))).toEqual(BASE);
  });

  it('a bad override is reported by its parameter, not by the scenario field it sets', () => {
    expect(() => checkRunSpec(BASE, specOf('?et=1e-300'))).toThrow(/^et: /);
    expect(() => checkRunSpec(BASE, specOf('?hb=2000&et=1000'))).toThrow(/^hb: must be less than electionTimeoutMs/);
    expect(() => checkRunSpec(BASE, specOf('?lat=0.5-3'))).toThrow(/^lat: /);
    expect(() => checkRunSpec(BASE, specOf('?actions=' + encodeURIComponent('[{"at":1,"do":"crash","node":7}]')))).toThrow(/^actions\[0\]\.node: /);
    expect(() => checkRunSpec({ ...BASE, until: 'soon' }, specOf(''))).toThrow(/^scenario: until: /);
    expect(() => checkRunSpec(BASE, specOf('?et=1000&nodes=3'))).not.toThrow();
  });

  it('refuses an absurd position or length of run, naming it', () => {
    expect(parseRunUrl('?pos=1000000000000').errors[0]).toMatch(new RegExp(`^pos: expected an integer from 0 to ${MAX_POSITION_EVENTS}`));
    expect(() => checkRunSpec({ ...BASE, until: Number.MAX_SAFE_INTEGER }, specOf(''))).toThrow(new RegExp(`^scenario: until must be at most ${MAX_UNTIL_MS} ms`));
    expect(() => checkRunSpec({ ...BASE, until: MAX_UNTIL_MS }, specOf(''))).not.toThrow();
  });
});

describe('run links in the fragment', () => {
  it('short runs are plain parameters, long ones compressed; both read back to the same parameters', async () => {
    const short = specOf('?scenario=examples/leader-crash.json&seed=7');
    const plain = await formatRunFragment(short);
    expect(plain).toBe('scenario=examples/leader-crash.json&seed=7');
    expect(parseRunUrl(await runParamsOfLocation('', '#' + plain)).spec).toEqual(short);

    const actions = Array.from({ length: 300 }, (_, i) => ({ at: 100 + i, do: 'propose', node: 'leader', data: `key${i}=value${i}` }));
    const long: RunSpec = { ...short, actions };
    const compressed = await formatRunFragment(long);
    expect(compressed).toMatch(/^z=[A-Za-z0-9_-]+$/);
    expect(compressed.length).toBeLessThan(PLAIN_FRAGMENT_MAX_CHARS * 4);
    expect(compressed.length).toBeLessThan(LINK_MAX_CHARS);
    expect(parseRunUrl(await runParamsOfLocation('', '#' + compressed)).spec).toEqual(long);
  });

  it('old query-string links still read; a damaged compressed link names `z`', async () => {
    expect(await runParamsOfLocation('?scenario=playground&seed=3', '')).toBe('?scenario=playground&seed=3');
    await expect(runParamsOfLocation('', '#z=@@')).rejects.toThrow(/^z: not valid base64url/);
    await expect(runParamsOfLocation('', '#z=AAAA')).rejects.toThrow(/^z: /);
  });
});
