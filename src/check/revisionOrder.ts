import { isStaleReadOp } from './formats/flotillaTrace.ts';

/** One place where a client saw the store's revision go back. */
export interface RevisionRegression {
  readonly client: string;
  /** The operation id whose result went back, and the event position (1-based) of its result. */
  readonly id: string;
  readonly event: number;
  readonly revision: number;
  /** The highest revision this client had seen before invoking the operation. */
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
 *
 * "Already seen" means seen before the operation was invoked: a client whose operations overlap (a recipe's
 * requests run alongside the client's actions) may get an older revision from an operation that was in flight
 * while a newer one completed, and that is no regression (real-time order only, as linearizability has it).
 */
export function checkRevisionOrder(events: readonly object[]): RevisionOrderResult {
  const highest = new Map<string, number>();
  // Key-value operations in flight, with the highest revision their client had seen when it invoked them.
  const kvOps = new Map<string, number | undefined>();
  const regressions: RevisionRegression[] = [];
  let results = 0;
  events.forEach((raw, index) => {
    const event = raw as Record<string, unknown>;
    if (event.type !== 'client') return;
    const client = String(event.client);
    const key = `${client}#${String(event.id)}`;
    if (event.phase === 'invoke') {
      const op = event.op as Record<string, unknown> | undefined;
      if (op && KV_OPS.has(String(op.do)) && !isStaleReadOp(op)) kvOps.set(key, highest.get(client));
      return;
    }
    if (!kvOps.has(key)) return;
    const seenAtInvoke = kvOps.get(key);
    kvOps.delete(key);
    if (event.phase !== 'ok') return;
    const revision = ((event.result as Record<string, unknown> | undefined)?.header as Record<string, unknown> | undefined)?.revision;
    if (typeof revision !== 'number') return;
    results++;
    if (seenAtInvoke !== undefined && revision < seenAtInvoke) {
      regressions.push({ client, id: String(event.id), event: index + 1, revision, previous: seenAtInvoke });
    } else {
      highest.set(client, Math.max(revision, highest.get(client) ?? revision));
    }
  });
  return { ok: regressions.length === 0, results, regressions };
}
