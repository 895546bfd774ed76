/**
 * Runs scripts against real etcd through its JSON gateway (/v3/kv/*, /v3/lease/*, /v3/watch): keys and values
 * in base64, int64s as decimal strings, snake_case fields, enum names for compares.
 *
 * One cluster serves every script, so each script gets its own key namespace and a revision offset: at reset
 * the target writes a marker key outside all namespaces and takes the revision R0 it got as "revision 1" of a
 * fresh store. Requests are translated into the namespace (keys, range ends, "\0", empty prefixes) and into
 * real revisions (+ R0 - 1); answers are translated back (namespace stripped, revisions - (R0 - 1)). With no
 * other writer and every key of the script in its namespace, that is exactly a fresh etcd at revision 1.
 */
import type { Outcome } from '../../src/kv/index.ts';
import type { ScriptCompare, ScriptDelete, ScriptPut, ScriptTarget, ScriptTxnOp, TargetAction } from './script.ts';
import type { GetRequest } from '../../src/kv/index.ts';
import { prefixUpperBound } from '../../src/kv/keyOrder.ts';

const ROOT = 'flotilla-compat/';
/** How long a watch replay waits for more events once the stream went quiet (etcd catches up every 100 ms). */
const WATCH_IDLE_MS = 600;

type Json = Record<string, unknown>;

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const unb64 = (text: unknown) => (typeof text === 'string' ? Buffer.from(text, 'base64').toString('utf8') : '');
const int = (text: unknown) => (text === undefined ? 0 : Number(text));
const hexId = (decimal: unknown) => (decimal === undefined || decimal === '0' ? '0' : BigInt(String(decimal)).toString(16));
const decimalId = (hex: string) => BigInt('0x' + hex).toString(10);

const COMPARE_TARGETS = { version: 'VERSION', createRevision: 'CREATE', modRevision: 'MOD', value: 'VALUE', lease: 'LEASE' } as const;
const COMPARE_RESULTS = { '=': 'EQUAL', '!=': 'NOT_EQUAL', '<': 'LESS', '>': 'GREATER' } as const;

/** etcd's wording → the contract's, where they differ only by etcd's gRPC prefixes. */
function contractError(message: string): string {
  if (message.includes('requested lease not found')) return 'lease not found';
  const mvcc = message.indexOf('mvcc: ');
  return mvcc >= 0 ? message.slice(mvcc) : message;
}

export class EtcdTarget implements ScriptTarget {
  readonly name = 'etcd';
  private scripts = 0;
  private namespace = '';
  // Real revision = script revision + offset (for revisions > 0).
  private offset = 0;

  constructor(private readonly clientUrl: string) {}

  async reset(): Promise<void> {
    this.scripts += 1;
    this.namespace = `${ROOT}${String(this.scripts).padStart(3, '0')}/`;
    const marker = await this.call('/v3/kv/put', { key: b64(`${ROOT}marker`), value: b64(this.namespace) });
    this.offset = int((marker.header as Json).revision) - 1;
  }

  async execute(action: TargetAction): Promise<Outcome<unknown>> {
    try {
      return { ok: true, result: await this.perform(action) };
    } catch (e) {
      if (e instanceof EtcdError) return { ok: false, error: contractError(e.message) };
      throw e;
    }
  }

  private async perform(action: TargetAction): Promise<unknown> {
    switch (action.do) {
      case 'put': return this.fromPut(await this.call('/v3/kv/put', this.toPut(action)));
      case 'get': return this.fromRange(await this.call('/v3/kv/range', this.toRange(action)), true);
      case 'delete': return this.fromDelete(await this.call('/v3/kv/deleterange', this.toDelete(action)), action.prevKv);
      case 'txn': {
        const body = {
          compare: action.compare.map((c) => this.toCompare(c)),
          success: action.success.map((op) => this.toRequestOp(op)),
          failure: action.failure.map((op) => this.toRequestOp(op)),
        };
        const response = await this.call('/v3/kv/txn', body);
        const succeeded = response.succeeded === true;
        const ops = succeeded ? action.success : action.failure;
        const responses = ((response.responses as Json[] | undefined) ?? []).map((r, i) => this.fromResponseOp(r, ops[i]));
        return { header: this.header(response), succeeded, responses };
      }
      case 'grant': {
        const response = await this.call('/v3/lease/grant', { TTL: String(Math.ceil(action.ttlMs / 1000)) });
        if (typeof response.error === 'string' && response.error !== '') throw new EtcdError(response.error);
        return { header: this.header(response), id: hexId(response.ID), ttlMs: int(response.TTL) * 1000 };
      }
      case 'revoke': return { header: this.header(await this.call('/v3/lease/revoke', { ID: decimalId(action.id) })) };
      // physical: wait until etcd has also removed the compacted versions from its backend, which it otherwise
      // does in the background: a watch replaying right after would see a racy mix.
      case 'compact': return { header: this.header(await this.call('/v3/kv/compaction', { revision: String(this.real(action.revision)), physical: true })) };
      case 'watch': return this.watch(action);
    }
  }

  // --- requests: script terms → etcd's, inside this script's namespace ---

  private real(revision: number | undefined): number {
    return revision ? revision + this.offset : 0;
  }

  /** [key, range_end) in the namespace, base64: "\0" and the empty prefix stay inside the namespace. */
  private toKeyRange(request: { key: string; rangeEnd?: string; prefix?: boolean }): { key: string; range_end?: string } {
    const key = this.namespace + request.key;
    if (request.prefix) return { key: b64(key), range_end: b64(prefixUpperBound(key)!) };
    if (!request.rangeEnd) return { key: b64(key) };
    const end = request.rangeEnd === '\0' ? prefixUpperBound(this.namespace)! : this.namespace + request.rangeEnd;
    return { key: b64(key), range_end: b64(end) };
  }

  private toPut(put: ScriptPut): Json {
    const lease = put.lease && put.lease !== '0' ? { lease: decimalId(put.lease) } : {};
    return { key: b64(this.namespace + put.key), value: b64(put.value), prev_kv: put.prevKv ?? false, ...lease };
  }

  private toRange(get: GetRequest): Json {
    return {
      ...this.toKeyRange(get),
      revision: String(this.real(get.revision)),
      limit: String(get.limit ?? 0),
      count_only: get.countOnly ?? false,
    };
  }

  private toDelete(del: ScriptDelete): Json {
    return { ...this.toKeyRange(del), prev_kv: del.prevKv ?? false };
  }

  private toCompare(compare: ScriptCompare): Json {
    const base = { key: b64(this.namespace + compare.key), target: COMPARE_TARGETS[compare.target], result: COMPARE_RESULTS[compare.op] };
    switch (compare.target) {
      case 'version': return { ...base, version: String(compare.value) };
      case 'createRevision': return { ...base, create_revision: String(this.real(compare.value as number)) };
      case 'modRevision': return { ...base, mod_revision: String(this.real(compare.value as number)) };
      case 'value': return { ...base, value: b64(compare.value as string) };
      case 'lease': return { ...base, lease: decimalId(compare.value as string) };
    }
  }

  private toRequestOp(op: ScriptTxnOp): Json {
    if ('put' in op) return { request_put: this.toPut(op.put) };
    if ('get' in op) return { request_range: this.toRange(op.get) };
    return { request_delete_range: this.toDelete(op.delete) };
  }

  // --- answers: etcd's → the contract's shapes in script terms ---

  private script(revision: unknown): number {
    const real = int(revision);
    return real === 0 ? 0 : real - this.offset;
  }

  private header(response: Json): { revision: number } {
    return { revision: this.script((response.header as Json | undefined)?.revision) };
  }

  private kv(kv: Json | undefined) {
    if (kv === undefined) return null;
    const key = unb64(kv.key);
    if (!key.startsWith(this.namespace)) throw new Error(`etcd returned key ${JSON.stringify(key)} outside namespace ${this.namespace}`);
    return {
      key: key.slice(this.namespace.length),
      value: unb64(kv.value),
      createRevision: this.script(kv.create_revision),
      modRevision: this.script(kv.mod_revision),
      version: int(kv.version),
      lease: hexId(kv.lease),
    };
  }

  private fromPut(response: Json) {
    return { header: this.header(response), prevKv: this.kv(response.prev_kv as Json | undefined) };
  }

  private fromRange(response: Json, withHeader: boolean) {
    const body = { kvs: ((response.kvs as Json[] | undefined) ?? []).map((kv) => this.kv(kv)!), count: int(response.count) };
    return withHeader ? { header: this.header(response), ...body } : body;
  }

  private fromDelete(response: Json, prevKvAsked: boolean | undefined, withHeader = true) {
    const deleted = int(response.deleted);
    const prevKvs = prevKvAsked ? { prevKvs: ((response.prev_kvs as Json[] | undefined) ?? []).map((kv) => this.kv(kv)!) } : {};
    return withHeader ? { header: this.header(response), deleted, ...prevKvs } : { deleted, ...prevKvs };
  }

  private fromResponseOp(response: Json, op: ScriptTxnOp): unknown {
    if ('put' in op) return { put: { prevKv: this.kv((response.response_put as Json).prev_kv as Json | undefined) } };
    if ('get' in op) return { get: this.fromRange(response.response_range as Json, false) };
    return { delete: this.fromDelete(response.response_delete_range as Json, op.delete.prevKv, false) };
  }

  // --- transport ---

  private async call(endpoint: string, body: Json): Promise<Json> {
    const response = await fetch(this.clientUrl + endpoint, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    const json = (await response.json()) as Json;
    if (typeof json.error === 'string' && json.error !== '') throw new EtcdError(json.error);
    if (typeof json.message === 'string' && json.code !== undefined) throw new EtcdError(json.message);
    return json;
  }

  /**
   * A watch from a past revision: opens the stream, takes the created response's revision as "now", collects
   * events until one at that revision arrives (or the stream stays quiet for WATCH_IDLE_MS, when fewer
   * revisions touch the range), then closes the stream.
   */
  private async watch(action: Extract<TargetAction, { do: 'watch' }>): Promise<unknown> {
    const abort = new AbortController();
    const request = { create_request: { ...this.toKeyRange(action), start_revision: String(this.real(action.startRevision)), prev_kv: action.prevKv ?? false } };
    const response = await fetch(this.clientUrl + '/v3/watch', { method: 'POST', body: JSON.stringify(request), signal: abort.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    let createdRevision: number | undefined;
    const events: unknown[] = [];
    try {
      for (;;) {
        const chunk = await Promise.race([
          reader.read(),
          new Promise<'idle'>((resolve) => setTimeout(() => resolve('idle'), WATCH_IDLE_MS)),
        ]);
        if (chunk === 'idle' || chunk.done) break;
        buffered += decoder.decode(chunk.value, { stream: true });
        let newline: number;
        let reachedNow = false;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (line === '') continue;
          const message = JSON.parse(line) as Json;
          if (message.error) throw new EtcdError(String((message.error as Json).message ?? message.error));
          const result = message.result as Json;
          if (int(result.compact_revision) > 0 || result.canceled === true) {
            throw new EtcdError(String(result.cancel_reason || 'mvcc: required revision has been compacted'));
          }
          if (result.created === true) createdRevision = int((result.header as Json).revision);
          for (const event of (result.events as Json[] | undefined) ?? []) {
            const kv = this.kv(event.kv as Json)!;
            const prevKv = this.kv(event.prev_kv as Json | undefined);
            events.push(prevKv ? { type: event.type ?? 'PUT', kv, prevKv } : { type: event.type ?? 'PUT', kv });
            if (createdRevision !== undefined && int((event.kv as Json).mod_revision) >= createdRevision) reachedNow = true;
          }
        }
        if (reachedNow) break;
      }
    } finally {
      abort.abort();
    }
    if (createdRevision === undefined) throw new Error('etcd watch: no created response');
    return { header: { revision: this.script(createdRevision) }, events };
  }
}

class EtcdError extends Error {}
