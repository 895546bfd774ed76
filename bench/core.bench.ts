/**
 * Benchmark of the consensus core alone (no simulator, no bus): a 5-node in-process cluster under a steady
 * proposal load, every message delivered at once.
 *
 *   coreStepsPerSec        node steps (RawNode.step or RawNode.tick calls) per second of wall time.
 *   coreHeapBytesPerEntry  heap growth per committed entry over 1,000,000 proposals, measured after a full GC.
 *                          The five logs are the only thing that should grow: each entry is one Entry object
 *                          (shared by the five in-process logs, as messages carry references) plus its data
 *                          string plus one array slot per node.
 *
 * The host loop here is the minimal one a real host runs: drain Ready (a disk is not modelled: the core's own
 * log is the in-memory copy), deliver messages, advance.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { RawNode, defaultRaftConfig } from '../src/raft/index.ts';
import type { Message } from '../src/raft/index.ts';
import { Prng } from '../src/sim/index.ts';

const NODES = 5;
const PROPOSALS = 1_000_000;
/** Proposals handed to the leader per round of the host loop; messages are delivered between rounds. */
const PROPOSALS_PER_ROUND = 4;
/** Host-loop rounds per logical tick (so heartbeats and CheckQuorum run too, but do not dominate). */
const ROUNDS_PER_TICK = 16;

/** A gc() function when the runtime can provide one (with or without --expose-gc), else undefined. */
function findGc(): (() => void) | undefined {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  try {
    setFlagsFromString('--expose-gc');
    const fn = runInNewContext('gc') as unknown;
    return typeof fn === 'function' ? (fn as () => void) : undefined;
  } catch {
    return undefined;
  }
}

interface Cluster {
  nodes: RawNode[];
  steps: number;
  applied: number[];
}

function makeCluster(): Cluster {
  const ids = Array.from({ length: NODES }, (_, i) => i + 1);
  const nodes = ids.map((id) => new RawNode(defaultRaftConfig(id, ids, new Prng(id), { maxInflight: 256, maxEntriesPerMsg: 64 })));
  return { nodes, steps: 0, applied: new Array<number>(NODES).fill(0) };
}

/** Drains every node's Ready and delivers the messages at once, until the cluster is quiet. */
function settle(c: Cluster): void {
  let queue: Message[] = [];
  for (;;) {
    for (let i = 0; i < NODES; i++) {
      const node = c.nodes[i];
      if (!node.hasReady()) continue;
      const rd = node.ready();
      const msgs = rd.messages;
      for (let k = 0; k < msgs.length; k++) queue.push(msgs[k]);
      c.applied[i] += rd.committed.length;
      node.advance();
    }
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    for (let k = 0; k < batch.length; k++) {
      const m = batch[k];
      c.nodes[m.to - 1].step(m);
    }
    c.steps += batch.length;
  }
}

function tickAll(c: Cluster): void {
  for (const n of c.nodes) n.tick();
  c.steps += NODES;
}

function electLeader(c: Cluster): RawNode {
  c.nodes[0].campaign();
  settle(c);
  const leader = c.nodes.find((n) => n.role === 'leader');
  if (!leader) throw new Error('core bench: no leader elected');
  return leader;
}

/** Runs `proposals` proposals through the cluster; returns the wall time in ms. */
function run(c: Cluster, leader: RawNode, proposals: number, now: () => number): number {
  const start = now();
  let round = 0;
  for (let p = 0; p < proposals; ) {
    for (let k = 0; k < PROPOSALS_PER_ROUND && p < proposals; k++, p++) {
      const out = leader.propose(`v${p}`);
      if (!out.ok) throw new Error(`core bench: proposal refused (${out.reason})`);
    }
    settle(c);
    if (++round % ROUNDS_PER_TICK === 0) {
      tickAll(c);
      settle(c);
    }
  }
  tickAll(c); // a last heartbeat carries the final commit index to the followers
  settle(c);
  return now() - start;
}

export default async function coreBench(log: (line: string) => void): Promise<Record<string, number>> {
  const now = () => performance.now();
  const gc = findGc();

  // Warm-up, so the JIT has compiled the hot paths before the timed runs.
  {
    const c = makeCluster();
    run(c, electLeader(c), 50_000, now);
  }

  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const c = makeCluster();
  const leader = electLeader(c);
  const stepsBefore = c.steps;
  const ms = run(c, leader, PROPOSALS, now);
  const steps = c.steps - stepsBefore;
  const committed = leader.commit;
  for (let i = 0; i < NODES; i++) {
    if (c.applied[i] !== committed) throw new Error(`core bench: S${i + 1} applied ${c.applied[i]} of ${committed}`);
  }
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;

  // The floor: the same entries held in five plain arrays, as the five logs hold them.
  let baselineBytesPerEntry = Number.NaN;
  if (gc) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const logs: { index: number; term: number; data: string }[][] = [[], [], [], [], []];
    for (let i = 0; i < committed; i++) {
      const e = { index: i + 1, term: 1, data: `v${i}` };
      for (const l of logs) l.push(e);
    }
    gc();
    baselineBytesPerEntry = (process.memoryUsage().heapUsed - before) / committed;
    if (logs.length !== NODES) log('unreachable');
  }

  const coreStepsPerSec = steps / (ms / 1000);
  const coreHeapBytesPerEntry = (heapAfter - heapBefore) / committed;
  log(`  ${NODES} nodes, ${PROPOSALS.toLocaleString('en-US')} proposals (${PROPOSALS_PER_ROUND} per round), ` +
    `${steps.toLocaleString('en-US')} node steps in ${Math.round(ms)} ms; all nodes applied ${committed.toLocaleString('en-US')} entries`);
  log(`  heap ${gc ? 'after full GC' : '(no gc() available: includes garbage)'}: ` +
    `+${Math.round((heapAfter - heapBefore) / 1e6)} MB for ${committed.toLocaleString('en-US')} entries; ` +
    `the bare entries in ${NODES} plain arrays take ${baselineBytesPerEntry.toFixed(1)} bytes/entry`);
  // Keep the cluster reachable until after the measurement, so its logs are counted.
  if (c.nodes.length !== NODES) log('unreachable');
  return { coreStepsPerSec, coreHeapBytesPerEntry };
}
