/**
 * Builds Flotilla trace events (docs/trace-format.md, "Client, watch and lease events") for the checker's tests: a header, then client
 * events in the order they are added, each at the virtual time given (or one ms after the previous event).
 */
export class TraceBuilder {
  readonly events: object[] = [{ type: 'header', format: 'flotilla-trace', version: 1, seed: 1, nodes: [1, 2, 3] }];
  private nextId = 1;
  private nowMs = 1000;

  /** Sends a request; returns its id. */
  invoke(client: string, op: object, atMs?: number): number {
    const id = this.nextId++;
    this.push({ type: 'client', client, id, phase: 'invoke', op }, atMs);
    return id;
  }

  ok(client: string, id: number, revision: number, result: object = {}, atMs?: number): void {
    this.push({ type: 'client', client, id, phase: 'ok', result: { header: { revision, raftTerm: 2 }, ...result } }, atMs);
  }

  fail(client: string, id: number, error = 'etcdserver: no leader', atMs?: number): void {
    this.push({ type: 'client', client, id, phase: 'fail', error }, atMs);
  }

  info(client: string, id: number, error = 'etcdserver: request timed out', atMs?: number): void {
    this.push({ type: 'client', client, id, phase: 'info', error }, atMs);
  }

  /** Any other event (lease, watch, raft events). */
  event(fields: object, atMs?: number): void {
    this.push(fields, atMs);
  }

  /** A request and its ok reply, back to back. */
  call(client: string, op: object, revision: number, result: object = {}): number {
    const id = this.invoke(client, op);
    this.ok(client, id, revision, result);
    return id;
  }

  private push(fields: object, atMs?: number): void {
    this.nowMs = atMs ?? this.nowMs + 1;
    this.events.push({ t: this.nowMs, ...fields });
  }
}

/** A key-value pair as a result shows it. */
export function kv(key: string, value: string, createRevision: number, modRevision: number, version: number, lease = '0') {
  return { key, value, createRevision, modRevision, version, lease };
}
