/**
 * Plain-English sentences for what clients, leases and recipes do, built from the contract's trace events. The
 * reasons a request fails are the four a user meets (docs/kv-views.md): no leader, request timed out, lease expired,
 * revision compacted; anything else is quoted as the node said it.
 */
import type { LeaseTraceEvent, RecipeTraceEvent } from './kvEvents.ts';

/** Why a request failed, in the user's words. */
export type FailureReason = 'no leader' | 'request timed out' | 'lease expired' | 'revision compacted';

/** Classifies an error as the node or the client wrote it (etcd's wording); null for any other error. */
export function failureReason(error: string): FailureReason | null {
  if (/no leader/i.test(error)) return 'no leader';
  if (/timed out/i.test(error)) return 'request timed out';
  if (/lease not found/i.test(error)) return 'lease expired';
  if (/compacted/i.test(error)) return 'revision compacted';
  return null;
}

const WHY: Record<FailureReason, string> = {
  'no leader': 'its node knows no leader, and a client that requires one is told at once',
  'request timed out': 'no answer came within the client’s timeout',
  'lease expired': 'the lease is gone: it expired (no keepalive within its TTL) or was revoked',
  'revision compacted': 'that revision was compacted away: its history is no longer kept',
};

function field(op: Readonly<Record<string, unknown>>, name: string): string {
  const v = op[name];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

/** A short description of a client operation as its invoke event carries it ("put a=1", "get svc/ --prefix"). */
export function describeOp(op: Readonly<Record<string, unknown>>): string {
  const key = field(op, 'key');
  const prefix = op.prefix === true ? ' --prefix' : '';
  switch (op.do) {
    case 'put': return `put ${key}=${field(op, 'value')}`;
    case 'get': return `get ${key}${prefix}${op.serializable === true ? ' (serializable)' : ''}`;
    case 'delete': return `delete ${key}${prefix}`;
    case 'txn': {
      const compare = Array.isArray(op.compare) ? op.compare as { key?: unknown }[] : [];
      const keys = [...new Set(compare.map((c) => String(c.key)))];
      return keys.length > 0 ? `txn on ${keys.join(', ')}` : 'txn';
    }
    case 'grant': return `lease grant (${field(op, 'ttlMs')} ms)`;
    case 'keepalive': return `lease keep-alive ${field(op, 'lease')}`;
    case 'revoke': return `lease revoke ${field(op, 'lease')}`;
    case 'watch': return `watch ${key}${prefix}`;
    case 'cancelWatch': return `cancel watch ${field(op, 'watch')}`;
    case 'compact': return `compact ${field(op, 'revision')}`;
    default: return String(op.do ?? 'operation');
  }
}

/** The sentence for a failed (`fail`) or unknown (`info`) outcome. */
export function narrateClientFailure(client: string, op: string, phase: 'fail' | 'info', error: string, node: number): string {
  const reason = failureReason(error);
  const via = node > 0 ? ` through S${node}` : '';
  const outcome = phase === 'info' ? 'outcome unknown (it may still take effect)' : 'it did not happen';
  if (!reason) return `${client}’s ${op}${via} failed: ${error} (${outcome}).`;
  return `${client}’s ${op}${via} failed: ${reason}: ${WHY[reason]} (${outcome}; “${error}”).`;
}

function shortKey(key: unknown): string {
  const k = String(key ?? '');
  return k.length > 34 ? `${k.slice(0, 32)}…` : k;
}

/** The sentence for a recipe event, or null when it is not worth one. */
export function narrateRecipe(e: RecipeTraceEvent): string | null {
  const d = e.detail;
  switch (e.event) {
    case 'elected':
      return `${e.client} is elected leader of ${e.name}: its key ${shortKey(d.key)} now has the lowest createRevision (${String(d.createRevision)}) under the prefix.`;
    case 'resigned':
      return `${e.client} resigns ${e.name}: it deletes its key, and the next candidate's watch fires.`;
    case 'lost': {
      const consequence = e.recipe === 'registry'
        ? 'its instance goes when the lease expires, and comes back only when it registers again'
        : e.recipe === 'mutex' ? 'it no longer holds the lock' : 'it no longer believes it leads';
      return `${e.client} lost its session for ${e.name}${d.reason ? ` (${String(d.reason)})` : ''}: ${consequence}.`;
    }
    case 'observed':
      return `${e.client} observes ${e.name}: the leader's value is ${JSON.stringify(d.value ?? '')}.`;
    case 'locked':
      return `${e.client} holds the lock ${e.name} (its key has the lowest createRevision, ${String(d.createRevision)}).`;
    case 'unlocked':
      return `${e.client} releases the lock ${e.name}.`;
    case 'registered':
      return `${e.client} registers ${String(d.instance ?? '')} (${String(d.addr ?? '')}) under ${e.name}${e.recipe === 'heartbeat' ? ' with a heartbeat timestamp' : ', its key held by a lease'}.`;
    case 'discovered': {
      const list = Array.isArray(d.instances) ? (d.instances as { instance?: unknown }[]).map((i) => String(i.instance)) : [];
      return `${e.client} discovers ${e.name}: ${list.length > 0 ? list.join(', ') : 'no instance'}.`;
    }
    case 'run':
      return `${e.client} runs ${e.name} for period ${String(d.period)} (it leads the job's election; its fenced record was accepted).`;
    case 'refused':
      return `${e.client}'s run of ${e.name} for period ${String(d.period)} is refused: its fencing token (the leader key's createRevision) no longer holds, it was deposed.`;
    default:
      return null;
  }
}

/** The sentence for a lease event, or null for keepalive renewals (too frequent to tell one by one). */
export function narrateLease(e: LeaseTraceEvent, owner: string | null): string | null {
  const name = e.lease === e.id ? `lease ${e.id}` : `lease ${e.lease} (${e.id})`;
  const whose = owner ? ` of ${owner}` : '';
  switch (e.event) {
    case 'granted': return `S${e.node} grants ${name}${whose}${e.ttlMs !== undefined ? `, TTL ${e.ttlMs} ms` : ''}.`;
    case 'revoked': return `${name}${whose} is revoked: every key attached to it is deleted in one revision.`;
    case 'expired': return `S${e.node}'s lease clock ran out for ${name}${whose} (no keepalive within its TTL): it proposes a revoke, and the keys attached will be deleted.`;
    case 'renewed': return null;
  }
}

interface ShownKv {
  readonly key?: unknown;
  readonly value?: unknown;
  readonly modRevision?: unknown;
}

/** An ok result in a line, as etcdctl would print it (shorter). */
export function summarizeResult(op: Readonly<Record<string, unknown>>, result: Readonly<Record<string, unknown>>): string {
  const header = result.header as { revision?: unknown } | undefined;
  const rev = header?.revision !== undefined ? ` (rev ${String(header.revision)})` : '';
  switch (op.do) {
    case 'put': return `OK${rev}`;
    case 'get': {
      const kvs = Array.isArray(result.kvs) ? (result.kvs as ShownKv[]) : [];
      if (kvs.length === 0) return `no key${rev}`;
      return kvs.map((kv) => `${String(kv.key)} = ${String(kv.value)}`).join(', ') + rev;
    }
    case 'delete': return `${String(result.deleted ?? 0)} deleted${rev}`;
    case 'txn': return `${result.succeeded === true ? 'SUCCESS' : 'FAILURE'}${rev}`;
    case 'grant': return `lease ${String(op.lease ?? '')} granted: id ${String(result.id)}, TTL ${String(result.ttlMs)} ms`;
    case 'keepalive': return `lease kept alive: TTL ${String(result.ttlMs)} ms`;
    case 'revoke': return `lease revoked${rev}`;
    case 'watch': return `watching from${rev}`;
    case 'cancelWatch': return `watch cancelled${rev}`;
    case 'compact': return `compacted${rev}`;
    default: return `OK${rev}`;
  }
}

function seconds(ms: unknown): string {
  return typeof ms === 'number' ? `${ms / 1000} s` : 'the default';
}

/**
 * A sentence for a scenario or user action that concerns a client (its creation, its requests, its recipes, its
 * own link), or null for any other action (the Raft narration tells those).
 */
export function describeClientAction(action: Readonly<Record<string, unknown>>): string | null {
  const isClient = (end: unknown) => typeof end === 'string';
  if ((action.do === 'cut' || action.do === 'restore') && (isClient(action.from) || isClient(action.to))) {
    const end = (e: unknown) => (typeof e === 'number' ? `S${e}` : String(e));
    return `The link ${end(action.from)} → ${end(action.to)} is ${action.do === 'cut' ? 'cut' : 'restored'}.`;
  }
  if (typeof action.client !== 'string') return null;
  const c = action.client;
  switch (action.do) {
    case 'client': {
      const via = typeof action.via === 'number' ? `S${action.via}` : 'any node';
      return `Client ${c} attaches to ${via}${action.requireLeader === true ? ' (it requires a leader)' : ''}.`;
    }
    case 'killClient': return `Kill client ${c}.`;
    case 'campaign': return `${c} campaigns on ${String(action.election)} with value ${JSON.stringify(action.value ?? '')} (session TTL ${seconds(action.ttlMs)}).`;
    case 'proclaim': return `${c} proclaims ${JSON.stringify(action.value ?? '')} on ${String(action.election)}.`;
    case 'resign': return `${c} resigns ${String(action.election)}.`;
    case 'observe': return `${c} observes ${String(action.election)}.`;
    case 'lock': case 'tryLock': return `${c} ${action.do === 'lock' ? 'locks' : 'tries to lock'} ${String(action.mutex)} (session TTL ${seconds(action.ttlMs)}).`;
    case 'unlock': return `${c} unlocks ${String(action.mutex)}.`;
    case 'register': return `${c} registers ${String(action.instance)} (${String(action.addr)}) under ${String(action.service)} (session TTL ${seconds(action.ttlMs)}).`;
    case 'discover': return `${c} discovers ${String(action.service)}: a prefix read, then a watch.`;
    case 'heartbeat': return `${c} writes a heartbeat for ${String(action.instance)} under ${String(action.service)} every ${seconds(action.everyMs)}.`;
    case 'discoverHeartbeats': return `${c} polls ${String(action.service)} every ${seconds(action.everyMs)}, ignoring stale heartbeats.`;
    case 'cron': return `${c} runs job ${String(action.job)} every ${seconds(action.everyMs)}, campaigning on ${String(action.election ?? `/cron/${String(action.job)}`)}.`;
    default: return `${c} asks: ${describeOp(action)}.`;
  }
}
