/**
 * Serializes a run to JSON Lines with a fixed key order per event type, so the same run gives the same bytes
 * in every JavaScript engine and host (contract: docs/trace-format.md).
 * It also hashes the bytes as they are produced (SHA-256, sha256.ts).
 */
import type { Entry, Message } from '../raft/types.ts';
import type { TraceEvent, TraceHeader } from './traceEvents.ts';
import { Sha256 } from './sha256.ts';
import { kvEventJson, kvSendJson } from '../etcd/index.ts';
import { recipeEventJson } from '../etcd/index.ts';

/** Writes trace lines to an optional sink (a file, an array) while hashing them. */
export class TraceWriter {
  private readonly hash = new Sha256();
  private digest: string | undefined;
  /** Event lines written so far (the header not counted). */
  eventLines = 0;

  /** @param sink receives each line with its trailing "\n"; omit it to only hash. */
  constructor(private readonly sink?: (line: string) => void) {}

  header(header: TraceHeader): void {
    this.write(headerJson(header));
  }

  event(event: TraceEvent): void {
    this.eventLines++;
    this.write(eventJson(event));
  }

  /** The SHA-256 of every byte written, as hex. Ends the trace: nothing may be written after. */
  sha256(): string {
    this.digest ??= this.hash.digestHex();
    return this.digest;
  }

  private write(json: string): void {
    if (this.digest !== undefined) throw new Error('TraceWriter: write after sha256()');
    const line = json + '\n';
    this.hash.updateText(line);
    this.sink?.(line);
  }
}

/** The header line (without "\n"): contract fields first, then the added `name` and `until`. */
export function headerJson(h: TraceHeader): string {
  const c = h.config;
  const config =
    `{"electionTimeoutMs":${c.electionTimeoutMs},"heartbeatMs":${c.heartbeatMs},"preVote":${c.preVote},` +
    `"checkQuorum":${c.checkQuorum},"tickMs":${c.tickMs},"readOnly":${JSON.stringify(c.readOnly)},` +
    `"disableProposalForwarding":${c.disableProposalForwarding},"maxInflight":${c.maxInflight},` +
    `"maxEntriesPerMsg":${c.maxEntriesPerMsg},"unsafe":${JSON.stringify(c.unsafe)}}`;
  const n = h.network;
  const network = `{"latencyMs":[${n.latencyMs[0]},${n.latencyMs[1]}],"dropRate":${n.dropRate},"duplicateRate":${n.duplicateRate}}`;
  return (
    `{"type":"header","format":"flotilla-trace","version":1,"seed":${h.seed},"nodes":[${h.nodes.join(',')}],` +
    `"config":${config},"network":${network},"name":${JSON.stringify(h.name)},"until":${h.until}}`
  );
}

/** One event line (without "\n"). Keys come in the order docs/trace-format.md lists them. */
export function eventJson(e: TraceEvent): string {
  switch (e.type) {
    case 'state':
      return (
        `{"t":${e.t},"type":"state","node":${e.node},"role":"${e.role}","term":${e.term},"vote":${e.vote},` +
        `"leader":${e.leader},"commit":${e.commit},"last":[${e.last[0]},${e.last[1]}]}`
      );
    case 'send':
      return `{"t":${e.t},"type":"send","id":${e.id},"from":${e.from},"to":${e.to},"msg":${messageJson(e.msg)}}`;
    case 'deliver':
      return `{"t":${e.t},"type":"deliver","id":${e.id}}`;
    case 'drop':
      return `{"t":${e.t},"type":"drop","id":${e.id},"reason":"${e.reason}"}`;
    case 'append':
      return `{"t":${e.t},"type":"append","node":${e.node},"from":${e.from},"entries":${entriesJson(e.entries)}}`;
    case 'apply':
      return `{"t":${e.t},"type":"apply","node":${e.node},"index":${e.index},"term":${e.term},"data":${JSON.stringify(e.data)}}`;
    case 'crash':
    case 'restart':
      return `{"t":${e.t},"type":"${e.type}","node":${e.node}}`;
    case 'pause':
    case 'resume':
      return 'node' in e ? `{"t":${e.t},"type":"${e.type}","node":${e.node}}` : `{"t":${e.t},"type":"${e.type}","client":${JSON.stringify(e.client)}}`;
    case 'action': {
      let line = `{"t":${e.t},"type":"action","action":${JSON.stringify(e.action)}`;
      if (e.node !== undefined) line += `,"node":${e.node}`;
      if (e.from !== undefined) line += `,"from":${e.from}`;
      if (e.to !== undefined) line += `,"to":${e.to}`;
      if (e.noop) line += `,"noop":true,"reason":${JSON.stringify(e.reason ?? '')}`;
      return line + '}';
    }
    case 'kvSend':
      return kvSendJson(e.t, e.id, e.msg);
    case 'client':
    case 'watch':
    case 'lease':
      return kvEventJson(e);
    case 'recipe':
      return recipeEventJson(e);
  }
}

/**
 * A message as the trace shows it: `type` and `term` first, then the message's other fields in the order the
 * core built them (stable for one build of the core; structured clone preserves it), `from`/`to` left out
 * because the send event carries them. Entries are written as {index, term, data}.
 */
export function messageJson(m: Message): string {
  let json = `{"type":"${m.type}","term":${m.term}`;
  const fields = m as unknown as Record<string, unknown>;
  for (const key in fields) {
    if (key === 'type' || key === 'term' || key === 'from' || key === 'to') continue;
    const value = fields[key];
    if (value === undefined) continue;
    json += `,"${key}":` + (key === 'entries' ? entriesJson(value as readonly Entry[]) : JSON.stringify(value));
  }
  return json + '}';
}

function entriesJson(entries: readonly Entry[]): string {
  let json = '[';
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (i > 0) json += ',';
    json += `{"index":${entry.index},"term":${entry.term},"data":${JSON.stringify(entry.data)}}`;
  }
  return json + ']';
}
