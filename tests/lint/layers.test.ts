// The lint rules that keep the layers one-way and the core pure must really fire.
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: path.resolve(__dirname, '../..') });

async function lint(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.resolve(__dirname, '../..', file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layering', () => {
  it('forbids src/raft from importing any other layer', async () => {
    const msgs = await lint('src/raft/x.ts', "import { a } from '../sim/a';\nexport const b = a;\n");
    expect(msgs.some((m) => m.startsWith('flotilla/layers') && m.includes("'raft' may not import layer 'sim'"))).toBe(true);
  });
  it('lets sim import raft and kv, but not store', async () => {
    expect(await lint('src/sim/x.ts', "import { a } from '../raft/a';\nimport { c } from '../kv/c';\nexport const b = [a, c];\n")).toEqual([]);
    const msgs = await lint('src/sim/x.ts', "import { a } from '../store/a';\nexport const b = a;\n");
    expect(msgs.some((m) => m.includes("'sim' may not import layer 'store'"))).toBe(true);
  });
  it('lets only the ui composition root wire the worker layer', async () => {
    expect(await lint('src/ui/main.tsx', "import { a } from '../worker/a';\nexport const b = a;\n")).toEqual([]);
    const msgs = await lint('src/ui/components/Foo.tsx', "import { a } from '../../worker/a';\nexport const b = a;\n");
    expect(msgs.some((m) => m.includes("'ui' may not import layer 'worker'"))).toBe(true);
  });
});

describe('core purity', () => {
  it.each([
    ['Math.random', 'export const r = Math.random();'],
    ['Date', 'export const t = Date.now();'],
    ['new Date', 'export const t = new Date();'],
    ['setTimeout', 'setTimeout(() => 0, 1);'],
    ['postMessage', 'postMessage(1);'],
    ['document', 'export const d = document.title;'],
  ])('rejects %s in src/raft', async (_name, code) => {
    const msgs = await lint('src/raft/x.ts', code + '\n');
    expect(msgs.length).toBeGreaterThan(0);
    expect(msgs.join('\n')).toMatch(/src\/raft must stay pure/);
  });
});
