import { isStaleReadOp } from './formats/flotillaTrace.ts';

/** One place where a client saw the store's revision go back. */
export interface RevisionRegression {
  readonly client: string;
  /** The operation id whose result went back, and the event position (1-based) of its result. */
  readonly id: string;
  readonly event: number;
  readonly revision: number;
  /** The highest revision this client had seen before. */
  readonly previous: number;
}

export interface RevisionOrderResult {
  readonly ok: boolean;
  /** Key-value results checked. */
  readonly results: number;
  /** Every regression, in trace order. */
  readonly regressions: readonly RevisionRegression[];
}

/** Operations whose results carry the store's revision as of a linearizable point (etcd's KV API). */
const KV_OPS = new Set(['get', 'put', 'delete', 'txn']);

/**
 * Checks, in one pass, that the `header.revision` each client sees in its `ok` key-value results never goes
 * back (etcd's robustness tests check the same; a regression means a client read from a store behind what it had
 * already seen, e.g. issue etcd#15271). Serializable reads and reads at a past revision are excluded: they may be
 * stale by design. Lease, watch and compaction results are excluded too: a deposed leader answering a keepalive
 * outside the log may legitimately lag.
 */
export function checkRevisionOrder(events: readonly object[]): RevisionOrderResult {
  const highest = new Map<string, number>();
  const kvOps = new Set<string>();
  const regressions: RevisionRegression[] = [];
  let results = 0;
  events.forEach((raw, index) => {
    const event = raw as Record<string, unknown>;
    if (event.type !== 'client') return;
    const client = String(event.client);
    const key = `${client}#${String(event.id)}`;
    if (event.phase === 'invoke') {
      const op = event.op as Record<string, unknown> | undefined;
      if (op && KV_OPS.has(String(op.do)) && !isStaleReadOp(op)) kvOps.add(key);
      return;
    }
    if (!kvOps.delete(key) || event.phase !== 'ok') return;
    const revision = ((event.result as Record<string, unknown> | undefined)?.header as Record<string, unknown> | undefined)?.revision;
    if (typeof revision !== 'number') return;
    results++;
    const previous = highest.get(client);
    if (previous !== undefined && revision < previous) {
      regressions.push({ client, id: String(event.id), event: index + 1, revision, previous });
    } else {
      highest.set(client, revision);
    }
  });
  return { ok: regressions.length === 0, results, regressions };
}
