/**
 * The MVCC state machine against a naive model of etcd's semantics: a plain Map for the current state, a full
 * copy of it for every revision (so a past read is a lookup), and the events of every revision. Random
 * sequences of puts, deletes, txns, gets at past revisions, compactions, grants and revokes must give the same
 * answers, and a watch replaying from any revision must see the model's events.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ERR_COMPACTED, ERR_DUPLICATE_KEY, ERR_FUTURE_REV, ERR_LEASE_EXISTS, ERR_LEASE_NOT_FOUND, KvStateMachine, WatchHub,
  type Compare, type GetRequest, type KeyValue, type KvRequest, type Outcome, type TxnOp, type WatchEvent,
} from '../../src/kv/index.ts';

const KEYS = ['a', 'ab', 'b', 'b/1', 'b/2', '\uE000', '\uFFFF', '\u{1F600}'];
const LEASES = ['1', '2', 'a'];

const bytes = (s: string) => Buffer.from(s, 'utf8');
const byteOrder = (a: string, b: string) => Buffer.compare(bytes(a), bytes(b));

/** A range in request form, checked by the model with byte comparisons and startsWith. */
function inRange(request: { key: string; rangeEnd?: string; prefix?: boolean }, key: string): boolean {
  if (request.prefix) return key.startsWith(request.key);
  if (!request.rangeEnd) return key === request.key;
  return byteOrder(key, request.key) >= 0 && (request.rangeEnd === '\0' || byteOrder(key, request.rangeEnd) < 0);
}

type State = Map<string, KeyValue>;

class NaiveKv {
  revision = 1;
  compacted = 0;
  state: State = new Map();
  /** states[r] = the state after revision r. */
  readonly states = new Map<number, State>([[1, new Map()]]);
  readonly events = new Map<number, { type: 'PUT' | 'DELETE'; kv: KeyValue; prevKv: KeyValue | null }[]>();
  readonly leases = new Map<string, Set<string>>();

  apply(request: KvRequest): Outcome<unknown> {
    switch (request.do) {
      case 'put': {
        if (!this.leaseOk(request.lease)) return { ok: false, error: ERR_LEASE_NOT_FOUND };
        return this.write((w) => ({ prevKv: this.put(w, request.key, request.value, request.lease ?? '0', request.prevKv) }));
      }
      case 'delete': return this.write((w) => this.del(w, request));
      case 'get': {
        const problem = this.readProblem(request.revision ?? 0);
        return problem ? { ok: false, error: problem } : { ok: true, result: { header: { revision: this.revision }, ...this.read(request) } };
      }
      case 'txn': {
        if (twice(request.success) || twice(request.failure)) return { ok: false, error: ERR_DUPLICATE_KEY };
        const succeeded = request.compare.every((c) => this.holds(c));
        const ops = succeeded ? request.success : request.failure;
        for (const op of ops) {
          if ('put' in op && !this.leaseOk(op.put.lease)) return { ok: false, error: ERR_LEASE_NOT_FOUND };
          if ('get' in op && this.readProblem(op.get.revision ?? 0)) return { ok: false, error: this.readProblem(op.get.revision ?? 0)! };
        }
        return this.write((w) => ({
          succeeded,
          responses: ops.map((op) => {
            if ('put' in op) return { put: { prevKv: this.put(w, op.put.key, op.put.value, op.put.lease ?? '0', op.put.prevKv) } };
            if ('get' in op) return { get: this.read(op.get, w.state) };
            return { delete: this.del(w, op.delete) };
          }),
        }));
      }
      case 'grant':
        if (this.leases.has(request.id)) return { ok: false, error: ERR_LEASE_EXISTS };
        this.leases.set(request.id, new Set());
        return { ok: true, result: { header: { revision: this.revision }, id: request.id, ttlMs: request.ttlMs } };
      case 'revoke': {
        const keys = this.leases.get(request.id);
        if (!keys) return { ok: false, error: ERR_LEASE_NOT_FOUND };
        this.leases.delete(request.id);
        return this.write((w) => {
          for (const key of [...keys].sort(byteOrder)) this.del(w, { key });
          return {};
        });
      }
      case 'compact':
        if (request.revision <= this.compacted) return { ok: false, error: ERR_COMPACTED };
        if (request.revision > this.revision) return { ok: false, error: ERR_FUTURE_REV };
        this.compacted = request.revision;
        return { ok: true, result: { header: { revision: this.revision } } };
    }
  }

  /** The events a watch on everything replaying from `start` must see, in order. */
  replay(start: number): { type: string; kv: KeyValue }[] {
    const out: { type: string; kv: KeyValue }[] = [];
    for (let r = start; r <= this.revision; r++) for (const e of this.events.get(r) ?? []) out.push({ type: e.type, kv: e.kv });
    return out;
  }

  private readProblem(revision: number): string | undefined {
    if (revision > this.revision) return ERR_FUTURE_REV;
    if (revision > 0 && revision < this.compacted) return ERR_COMPACTED;
    return undefined;
  }

  private read(request: GetRequest, current: State = this.state) {
    const state = request.revision ? this.states.get(request.revision)! : current;
    const all = [...state.values()].filter((kv) => inRange(request, kv.key)).sort((x, y) => byteOrder(x.key, y.key));
    const kvs = request.countOnly ? [] : request.limit ? all.slice(0, request.limit) : all;
    return { kvs, count: all.length };
  }

  private write(body: (w: { state: State; events: NonNullable<ReturnType<NaiveKv['events']['get']>> }) => object): Outcome<unknown> {
    const w = { state: new Map(this.state), events: [] as { type: 'PUT' | 'DELETE'; kv: KeyValue; prevKv: KeyValue | null }[] };
    const result = body(w);
    if (w.events.length > 0) {
      this.revision++;
      this.state = w.state;
      this.states.set(this.revision, w.state);
      this.events.set(this.revision, w.events);
    }
    return { ok: true, result: { header: { revision: this.revision }, ...result } };
  }

  private put(w: { state: State; events: { type: 'PUT' | 'DELETE'; kv: KeyValue; prevKv: KeyValue | null }[] }, key: string, value: string, lease: string, wantPrev?: boolean) {
    const prev = w.state.get(key) ?? null;
    const kv: KeyValue = { key, value, createRevision: prev ? prev.createRevision : this.revision + 1, modRevision: this.revision + 1, version: prev ? prev.version + 1 : 1, lease };
    if (prev && prev.lease !== '0') this.leases.get(prev.lease)?.delete(key);
    if (lease !== '0') this.leases.get(lease)!.add(key);
    w.state.set(key, kv);
    w.events.push({ type: 'PUT', kv, prevKv: prev });
    return wantPrev ? prev : null;
  }

  private del(w: { state: State; events: { type: 'PUT' | 'DELETE'; kv: KeyValue; prevKv: KeyValue | null }[] }, request: { key: string; rangeEnd?: string; prefix?: boolean; prevKv?: boolean }) {
    const victims = [...w.state.values()].filter((kv) => inRange(request, kv.key)).sort((x, y) => byteOrder(x.key, y.key));
    for (const kv of victims) {
      w.state.delete(kv.key);
      if (kv.lease !== '0') this.leases.get(kv.lease)?.delete(kv.key);
      w.events.push({ type: 'DELETE', kv: { key: kv.key, value: '', createRevision: 0, modRevision: this.revision + 1, version: 0, lease: '0' }, prevKv: kv });
    }
    return request.prevKv ? { deleted: victims.length, prevKvs: victims } : { deleted: victims.length };
  }

  private holds(c: Compare): boolean {
    const kv = this.state.get(c.key);
    if (c.target === 'value') {
      if (!kv) return false;
      return cmp(byteOrder(kv.value, c.value as string), c.op);
    }
    if (c.target === 'lease') return cmp(Number(BigInt('0x' + (kv?.lease ?? '0')) - BigInt('0x' + (c.value as string))), c.op);
    const actual = kv ? kv[c.target] : 0;
    return cmp(actual - (c.value as number), c.op);
  }

  private leaseOk(lease?: string): boolean {
    return !lease || lease === '0' || this.leases.has(lease);
  }
}

function cmp(order: number, op: Compare['op']): boolean {
  return op === '=' ? order === 0 : op === '!=' ? order !== 0 : op === '<' ? order < 0 : order > 0;
}

function twice(ops: readonly TxnOp[]): boolean {
  const puts = ops.flatMap((op) => ('put' in op ? [op.put.key] : []));
  if (new Set(puts).size !== puts.length) return true;
  const deletes = ops.flatMap((op) => ('delete' in op ? [op.delete] : []));
  // The model's keys are drawn from KEYS, so checking them is enough to find a put inside a delete range.
  return puts.some((key) => deletes.some((d) => inRange(d, key)));
}

const key = fc.constantFrom(...KEYS);
const value = fc.constantFrom('x', 'y', '', '\u{1F600}');
const lease = fc.constantFrom('0', ...LEASES);
const revision = fc.integer({ min: 0, max: 30 });
const rangeFields = fc.oneof(
  fc.constant({}),
  fc.constant({ prefix: true }),
  fc.constantFrom('b', 'c', '\uFFFF', '\0').map((rangeEnd) => ({ rangeEnd })),
);
const put = fc.record({ key, value, lease, prevKv: fc.boolean() });
const get = fc.tuple(key, rangeFields, revision, fc.integer({ min: 0, max: 3 }), fc.boolean())
  .map(([k, r, rev, limit, countOnly]) => ({ key: k, ...r, revision: rev, limit, countOnly }));
const del = fc.tuple(key, rangeFields, fc.boolean()).map(([k, r, prevKv]) => ({ key: k, ...r, prevKv }));
const compare: fc.Arbitrary<Compare> = fc.oneof(
  fc.record({ key, target: fc.constantFrom('version' as const, 'createRevision' as const, 'modRevision' as const), op: fc.constantFrom('=' as const, '!=' as const, '<' as const, '>' as const), value: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ key, target: fc.constant('value' as const), op: fc.constantFrom('=' as const, '!=' as const, '<' as const, '>' as const), value }),
  fc.record({ key, target: fc.constant('lease' as const), op: fc.constantFrom('=' as const, '!=' as const, '<' as const, '>' as const), value: lease }),
);
const txnOp: fc.Arbitrary<TxnOp> = fc.oneof(put.map((p) => ({ put: p })), get.map((g) => ({ get: g })), del.map((d) => ({ delete: d })));
const request: fc.Arbitrary<KvRequest> = fc.oneof(
  { weight: 5, arbitrary: put.map((p) => ({ do: 'put' as const, ...p })) },
  { weight: 2, arbitrary: del.map((d) => ({ do: 'delete' as const, ...d })) },
  { weight: 2, arbitrary: get.map((g) => ({ do: 'get' as const, ...g })) },
  { weight: 3, arbitrary: fc.record({ compare: fc.array(compare, { maxLength: 2 }), success: fc.array(txnOp, { maxLength: 3 }), failure: fc.array(txnOp, { maxLength: 3 }) }).map((t) => ({ do: 'txn' as const, ...t })) },
  { weight: 1, arbitrary: fc.constantFrom(...LEASES).map((id) => ({ do: 'grant' as const, id, ttlMs: 5000 })) },
  { weight: 1, arbitrary: fc.constantFrom(...LEASES).map((id) => ({ do: 'revoke' as const, id })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 12 }).map((r) => ({ do: 'compact' as const, revision: r })) },
);

/** Watch events without prevKv, for comparing with the model's replay. */
const plain = (events: readonly WatchEvent[]) => events.map((e) => ({ type: e.type, kv: e.kv }));

describe('the MVCC state machine agrees with a naive model', () => {
  it('on random sequences of every operation: same answers, same state at every revision, same watch replay', () => {
    fc.assert(fc.property(fc.array(request, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 40 }), (requests, watchFrom) => {
      const sm = new KvStateMachine();
      const model = new NaiveKv();
      const hub = new WatchHub(sm.store);
      hub.watch('all', { key: '', prefix: true });
      const live: WatchEvent[] = [];
      requests.forEach((r, i) => {
        const applied = sm.applyCommand({ clientId: '', requestId: 0, request: r }, { index: i + 1, nowMs: 0 });
        for (const d of hub.publish(applied.events)) live.push(...d.events);
        expect(JSON.parse(JSON.stringify(applied.outcome)), `request ${i}: ${JSON.stringify(r)}`).toEqual(JSON.parse(JSON.stringify(model.apply(r))));
      });
      // Every readable revision reads the same through either.
      for (let rev = Math.max(model.compacted, 1); rev <= model.revision; rev++) {
        expect(sm.get({ key: '', prefix: true, revision: rev })).toEqual({ ok: true, result: { header: { revision: model.revision }, kvs: [...model.states.get(rev)!.values()].sort((x, y) => byteOrder(x.key, y.key)), count: model.states.get(rev)!.size } });
      }
      expect(plain(live)).toEqual(model.replay(2));
      const replay = hub.watch('replay', { key: '', prefix: true, startRevision: watchFrom });
      if (watchFrom < model.compacted) expect(replay).toMatchObject({ ok: false, error: ERR_COMPACTED });
      else expect(replay.ok && plain(replay.events)).toEqual(model.replay(watchFrom));
      // Starting exactly at the compacted revision is allowed and must miss nothing made at that revision.
      if (model.compacted > 0) {
        const atCompaction = hub.watch('atCompaction', { key: '', prefix: true, startRevision: model.compacted });
        expect(atCompaction.ok && plain(atCompaction.events)).toEqual(model.replay(model.compacted));
      }
    }), { numRuns: 300 });
  });
});
