/**
 * Linearizability checker benchmarks (issue 6):
 * - linCheckMs5k: checking a 5,000-operation Flotilla client history over 10 keys from 8 clients (target <= 1,000
 *   ms). The history is generated deterministically (seeded PRNG) from a sequential etcd-like store: each client
 *   runs one request at a time, requests of different clients overlap, each takes effect at a point inside its
 *   interval; gets, puts, deletes and compare-and-set txns, 2% of writes ending `info`.
 * - linCheckMsJepsen: parsing and checking the whole Jepsen etcd corpus, 102 histories (target <= 10,000 ms).
 * Each figure is the best of three runs (the machine is shared); the verdicts are asserted, so a fast wrong
 * answer cannot pass for a fast right one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOperations, checkTraceHistory, casRegisterModel, parseJepsenRegisterLog } from '../src/check/index.ts';
import { Prng } from '../src/sim/prng.ts';

const OPERATIONS = 5_000;
const CLIENTS = 8;
const KEYS = 10;

interface Stored { value: string; version: number; createRevision: number; modRevision: number }

/** The trace events of a linearizable 5k-operation history (see the header comment). */
function generateHistory(seed: number): object[] {
  const prng = new Prng(seed);
  // Each client's requests, one after another with small gaps; the effect point lies strictly inside.
  const planned: { client: number; call: number; returnAt: number; point: number; index: number }[] = [];
  const clientFreeAt = new Array<number>(CLIENTS).fill(0);
  for (let i = 0; i < OPERATIONS; i++) {
    const client = i % CLIENTS;
    const call = clientFreeAt[client] + prng.int(5);
    const returnAt = call + 1 + prng.int(20);
    clientFreeAt[client] = returnAt;
    planned.push({ client, call, returnAt, point: call + (1 + prng.int(998)) / 1000 * (returnAt - call), index: i });
  }
  const byPoint = [...planned].sort((a, b) => a.point - b.point || a.index - b.index);

  const store = new Map<string, Stored>();
  let revision = 1;
  const pair = (key: string) => {
    const s = store.get(key)!;
    return { key, value: s.value, createRevision: s.createRevision, modRevision: s.modRevision, version: s.version, lease: '0' };
  };
  const read = (key: string) => (store.has(key) ? { kvs: [pair(key)], count: 1 } : { kvs: [], count: 0 });
  const put = (key: string, value: string) => {
    revision++;
    const old = store.get(key);
    store.set(key, { value, version: (old?.version ?? 0) + 1, createRevision: old?.createRevision ?? revision, modRevision: revision });
  };
  const timed: { t: number; seq: number; event: object }[] = [];
  for (const p of byPoint) {
    const key = `key/${prng.int(KEYS)}`;
    const value = `v${p.index}`;
    const dice = prng.int(100);
    let op: object;
    let result: object;
    let write = true;
    if (dice < 40) {
      op = { do: 'get', key };
      result = read(key);
      write = false;
    } else if (dice < 70) {
      op = { do: 'put', key, value };
      put(key, value);
      result = {};
    } else if (dice < 80) {
      op = { do: 'delete', key };
      const deleted = store.delete(key) ? 1 : 0;
      if (deleted) revision++;
      result = { deleted };
    } else {
      const version = Math.max(0, (store.get(key)?.version ?? 0) - prng.int(2));
      op = { do: 'txn', compare: [{ key, target: 'version', op: '=', value: version }], success: [{ put: { key, value } }], failure: [{ get: { key } }] };
      const succeeded = (store.get(key)?.version ?? 0) === version;
      const responses = succeeded ? [{ put: {} }] : [{ get: read(key) }];
      if (succeeded) put(key, value);
      result = { succeeded, responses };
    }
    const client = `c${p.client}`;
    const id = p.index + 1;
    timed.push({ t: p.call, seq: 2 * p.index, event: { type: 'client', client, id, phase: 'invoke', op } });
    const unknown = write && prng.int(100) < 2;
    timed.push({
      t: p.returnAt,
      seq: 2 * p.index + 1,
      event: unknown
        ? { type: 'client', client, id, phase: 'info', error: 'etcdserver: request timed out' }
        : { type: 'client', client, id, phase: 'ok', result: { header: { revision, raftTerm: 2 }, ...result } },
    });
  }
  timed.sort((a, b) => a.t - b.t || a.seq - b.seq);
  return [{ type: 'header', format: 'flotilla-trace', version: 1, seed }, ...timed.map(({ t, event }) => ({ t, ...event }))];
}

function bestOfThree(run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

export default async function (log: (line: string) => void): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};

  const events = generateHistory(6);
  figures.linCheckMs5k = bestOfThree(() => {
    const result = checkTraceHistory(events);
    if (result.linearizable !== true || !result.revisionOrder.ok || result.operations < 4_900) {
      throw new Error(`linCheckMs5k: the generated history must check as linearizable: ${JSON.stringify(result)}`);
    }
  });
  const sample = checkTraceHistory(events);
  log(`  5k history: ${sample.operations} operations, ${sample.partitions} partitions, ${sample.steps} search steps`);

  // The corpus is vendored in the repository (tests/fixtures/linearizability, Porcupine's histories, MIT).
  const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'tests', 'fixtures', 'linearizability');
  const expected: Record<string, boolean> = JSON.parse(readFileSync(path.join(corpus, 'expected.json'), 'utf8'))['jepsen-etcd'];
  const texts = Object.entries(expected).map(([file, verdict]) => ({
    file, verdict, text: readFileSync(path.join(corpus, 'jepsen-etcd', file), 'utf8'),
  }));
  figures.linCheckMsJepsen = bestOfThree(() => {
    for (const { file, verdict, text } of texts) {
      const result = checkOperations(casRegisterModel, parseJepsenRegisterLog(text));
      if (result.linearizable !== verdict) throw new Error(`linCheckMsJepsen: ${file} gave ${result.linearizable}, expected ${verdict}`);
    }
  });
  log(`  Jepsen corpus: ${texts.length} histories`);
  return figures;
}
