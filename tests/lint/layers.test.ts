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
    expect(await lint('src/sim/x.ts', "import { a } from '../raft/index.ts';\nimport { c } from '../kv/index.ts';\nexport const b = [a, c];\n")).toEqual([]);
    const msgs = await lint('src/sim/x.ts', "import { a } from '../store/a';\nexport const b = a;\n");
    expect(msgs.some((m) => m.includes("'sim' may not import layer 'store'"))).toBe(true);
  });
  it('lets only the ui composition root wire the worker layer', async () => {
    expect(await lint('src/ui/main.tsx', "import { a } from '../worker/index.ts';\nexport const b = a;\n")).toEqual([]);
    const msgs = await lint('src/ui/components/Foo.tsx', "import { a } from '../../worker/a';\nexport const b = a;\n");
    expect(msgs.some((m) => m.includes("'ui' may not import layer 'worker'"))).toBe(true);
  });
});

describe('the etcd layer', () => {
  it('sits between check and sim: etcd imports check, sim imports etcd, never the other way', async () => {
    expect(await lint('src/etcd/x.ts', "import { a } from '../check/index.ts';\nexport const b = a;\n")).toEqual([]);
    expect(await lint('src/sim/x.ts', "import { a } from '../etcd/index.ts';\nexport const b = a;\n")).toEqual([]);
    const msgs = await lint('src/etcd/client/x.ts', "import { a } from '../../sim/index.ts';\nexport const b = a;\n");
    expect(msgs.some((m) => m.includes("'etcd' may not import layer 'sim'"))).toBe(true);
  });
});

describe('public surfaces', () => {
  it("requires a cross-layer import to go through the layer's index.ts", async () => {
    const msgs = await lint('src/sim/x.ts', "import { a } from '../etcd/server/kvServer.ts';\nexport const b = a;\n");
    expect(msgs.some((m) => m.includes("through its public surface, src/etcd/index.ts"))).toBe(true);
  });
  it('allows type-only imports of src/raft/types.ts, but not value imports', async () => {
    expect(await lint('src/sim/x.ts', "import type { NodeId } from '../raft/types.ts';\nexport const b: NodeId = 1;\n")).toEqual([]);
    const msgs = await lint('src/sim/x.ts', "import { UNSAFE_NAMES } from '../raft/types.ts';\nexport const b = UNSAFE_NAMES;\n");
    expect(msgs.some((m) => m.includes('through its public surface, src/raft/index.ts'))).toBe(true);
  });
  it('lets the headless layers import the client layer statically, and nobody else', async () => {
    expect(await lint('src/sim/x.ts', "import { kvClients } from '../etcd/kvClients.ts';\nexport const b = kvClients;\n")).toEqual([]);
    expect(await lint('src/cli/x.ts', "import { kvClients } from '../etcd/kvClients.ts';\nexport const b = kvClients;\n")).toEqual([]);
    const msgs = await lint('src/ui/x.ts', "import { kvClients } from '../etcd/kvClients.ts';\nexport const b = kvClients;\n");
    expect(msgs.some((m) => m.includes('through its public surface, src/etcd/index.ts'))).toBe(true);
  });
  it('allows the lazy import of the client layer, but not a static one', async () => {
    expect(await lint('src/store/x.ts', "export const load = () => import('../etcd/kvClients.ts');\n")).toEqual([]);
    const msgs = await lint('src/store/x.ts', "import { kvClients } from '../etcd/kvClients.ts';\nexport const b = kvClients;\n");
    expect(msgs.some((m) => m.includes('through its public surface, src/etcd/index.ts'))).toBe(true);
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

describe('the deterministic layers above the core', () => {
  it.each([
    ['src/etcd/client/x.ts', 'export const t = Date.now();'],
    ['src/etcd/recipes/x.ts', 'export const r = Math.random();'],
    ['src/kv/x.ts', 'setTimeout(() => 0, 1);'],
  ])('rejects clocks and global randomness in %s', async (file, code) => {
    const msgs = await lint(file, code + '\n');
    expect(msgs.join('\n')).toMatch(/kv, check and etcd are deterministic/);
  });
});
