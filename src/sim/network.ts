/**
 * The state of the simulated network: for every directed link (from -> to), whether it is cut and how it
 * behaves (latency range, loss and duplication in parts per million). The world consults it when a message is
 * sent and again when it would arrive (contract: dropped as `partition` when the link is cut at either moment).
 * Which links an action cuts is the link rules' (linkRules.ts), shared with the store's drawing of them.
 *
 * Invariant: links are indexed from * (N + 1) + to for node ids 1..N; a node has no link to itself.
 */
import type { NodeId } from '../raft/types.ts';
import { isolateLinks, partitionNodeLinks } from './linkRules.ts';
import { toPpm } from './prng.ts';
import type { NetworkSettings } from './scenario.ts';

export class Network {
  private readonly stride: number;
  /** 1 where the directed link is cut. */
  private readonly cut: Uint8Array;
  private readonly latencyMinMs: Int32Array;
  private readonly latencyMaxMs: Int32Array;
  private readonly dropPpm: Int32Array;
  private readonly duplicatePpm: Int32Array;
  /** The settings last applied to every link (what a `network` action changes). */
  private current: NetworkSettings;

  constructor(readonly nodes: number, settings: NetworkSettings) {
    this.stride = nodes + 1;
    const links = this.stride * this.stride;
    this.cut = new Uint8Array(links);
    this.latencyMinMs = new Int32Array(links);
    this.latencyMaxMs = new Int32Array(links);
    this.dropPpm = new Int32Array(links);
    this.duplicatePpm = new Int32Array(links);
    this.current = settings;
    this.applyToAll(settings);
  }

  /** The settings every link has (changed by `network` actions). */
  get settings(): NetworkSettings {
    return this.current;
  }

  /** Changes the given settings on every link; omitted fields keep their value. */
  update(change: Partial<NetworkSettings>): void {
    this.current = { ...this.current, ...change };
    this.applyToAll(this.current);
  }

  isCut(from: NodeId, to: NodeId): boolean {
    return this.cut[from * this.stride + to] === 1;
  }

  /** Cuts (or restores) one direction of one link. */
  setCut(from: NodeId, to: NodeId, isCut: boolean): void {
    if (from === to) return;
    this.cut[from * this.stride + to] = isCut ? 1 : 0;
  }

  /** Cuts every link between different groups; nodes not listed form one more group. Adds to existing cuts. */
  partition(groups: readonly (readonly NodeId[])[]): void {
    for (const [a, b] of partitionNodeLinks(groups, this.nodes)) this.setCut(a, b, true);
  }

  /** Cuts a node off from every other node, both directions. */
  isolate(node: NodeId): void {
    for (const [a, b] of isolateLinks(node, this.nodes)) this.setCut(a, b, true);
  }

  /** Restores every link. */
  heal(): void {
    this.cut.fill(0);
  }

  /** The directed links that are cut now, as [from, to] pairs in ascending order (for the UI). */
  cutLinks(): [NodeId, NodeId][] {
    const out: [NodeId, NodeId][] = [];
    for (let a = 1; a <= this.nodes; a++) {
      for (let b = 1; b <= this.nodes; b++) if (this.isCut(a, b)) out.push([a, b]);
    }
    return out;
  }

  latencyMin(from: NodeId, to: NodeId): number {
    return this.latencyMinMs[from * this.stride + to]!;
  }

  latencyMax(from: NodeId, to: NodeId): number {
    return this.latencyMaxMs[from * this.stride + to]!;
  }

  lossPpm(from: NodeId, to: NodeId): number {
    return this.dropPpm[from * this.stride + to]!;
  }

  duplicationPpm(from: NodeId, to: NodeId): number {
    return this.duplicatePpm[from * this.stride + to]!;
  }

  private applyToAll(s: NetworkSettings): void {
    this.latencyMinMs.fill(s.latencyMs[0]);
    this.latencyMaxMs.fill(s.latencyMs[1]);
    this.dropPpm.fill(toPpm(s.dropRate));
    this.duplicatePpm.fill(toPpm(s.duplicateRate));
  }
}
