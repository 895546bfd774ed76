/**
 * kvPutsPerSec: the state machine alone (no Raft, no bus) applying puts over 10,000 keys, as issue 6 asks
 * (target >= 500,000). Commands are decoded beforehand, as a node decodes each entry once; the figure with
 * JSON decoding included is reported too (kvPutsPerSecDecoded), so the cost of the entry format is visible.
 */
import { encodeCommand, KvStateMachine, type Command } from '../src/kv/index.ts';

const KEYS = 10_000;
const PUTS = 400_000;

function commands(count: number): Command[] {
  const out: Command[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ clientId: `c${i % 8}`, requestId: i + 1, request: { do: 'put', key: `key/${(i * 7919) % KEYS}`, value: `v${i}` } });
  }
  return out;
}

function putsPerSec(run: () => void, puts: number): number {
  const started = performance.now();
  run();
  return puts / ((performance.now() - started) / 1000);
}

export default async function (log: (line: string) => void): Promise<Record<string, number>> {
  const cmds = commands(PUTS);
  const data = cmds.map(encodeCommand);
  // Warm up the JIT on a separate machine so the measured run starts hot.
  const warm = new KvStateMachine();
  commands(50_000).forEach((c, i) => warm.applyCommand(c, { index: i + 1, nowMs: 0 }));

  const machine = new KvStateMachine();
  const kvPutsPerSec = putsPerSec(() => {
    for (let i = 0; i < cmds.length; i++) machine.applyCommand(cmds[i], { index: i + 1, nowMs: 0 });
  }, PUTS);
  const decodedMachine = new KvStateMachine();
  const kvPutsPerSecDecoded = putsPerSec(() => {
    for (let i = 0; i < data.length; i++) decodedMachine.applyEntryData(data[i], { index: i + 1, nowMs: 0 });
  }, PUTS);
  if (machine.digest() !== decodedMachine.digest()) throw new Error('kv bench: the two runs diverged');
  log(`  ${PUTS} puts over ${KEYS} keys, store revision ${machine.revision}`);
  return { kvPutsPerSec, kvPutsPerSecDecoded };
}
