/**
 * Reading a trace file back (for `flotilla check`): the header, then one event per line. Only the fields the
 * invariant checker relies on are validated; unknown event types (client events, future additions) pass
 * through untouched, as the contract allows additions.
 */
import { RaftInvariantChecker, type Violation } from './raftInvariantChecker.ts';
import type { TraceEvent, TraceHeader } from './traceEvents.ts';

/** A malformed trace: `where` names the line and field, e.g. `line 12.entries[0].term`. */
export class TraceFormatError extends Error {
  constructor(readonly where: string, readonly problem: string) {
    super(`${where}: ${problem}`);
    this.name = 'TraceFormatError';
  }
}

/** True when the text's first line is a Flotilla trace header. */
export function looksLikeTrace(text: string): boolean {
  const end = text.indexOf('\n');
  const first = (end < 0 ? text : text.slice(0, end)).trim();
  if (!first.startsWith('{')) return false;
  try {
    const header = JSON.parse(first) as { type?: unknown; format?: unknown };
    return header.type === 'header' && header.format === 'flotilla-trace';
  } catch {
    return false;
  }
}

export interface ParsedTrace {
  readonly header: TraceHeader;
  /** Every event line parsed, in order (unknown types included, unvalidated). */
  readonly events: readonly object[];
}

/** Parses a whole trace; throws TraceFormatError naming the line. */
export function parseTrace(text: string): ParsedTrace {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new TraceFormatError('line 1', 'empty file (expected a header line)');
  const header = parseLine(lines[0]!, 1) as Partial<TraceHeader>;
  if (header.type !== 'header' || header.format !== 'flotilla-trace') {
    throw new TraceFormatError('line 1', 'not a Flotilla trace header ({"type":"header","format":"flotilla-trace",...})');
  }
  if (header.version !== 1) throw new TraceFormatError('line 1.version', `unsupported version ${JSON.stringify(header.version)} (expected 1)`);
  if (!Array.isArray(header.nodes) || header.nodes.length === 0 || header.nodes.some((n, i) => n !== i + 1)) {
    throw new TraceFormatError('line 1.nodes', `must list the node ids 1..N in order (N >= 1), got ${JSON.stringify(header.nodes)}`);
  }
  const nodes = header.nodes.length;
  const events: object[] = [];
  let lastT = 0;
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const event = parseLine(lines[i]!, lineNo) as Record<string, unknown>;
    const t = event.t;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0) throw new TraceFormatError(`line ${lineNo}.t`, `must be a non-negative integer, got ${JSON.stringify(t)}`);
    if (t < lastT) throw new TraceFormatError(`line ${lineNo}.t`, `time went back from ${lastT} to ${t}`);
    lastT = t;
    validateEvent(event, `line ${lineNo}`, nodes);
    events.push(event);
  }
  return { header: header as TraceHeader, events };
}

export interface TraceCheckReport {
  readonly header: TraceHeader;
  readonly events: number;
  readonly violation?: Violation;
  readonly parsed: ParsedTrace;
}

/** Parses a trace and runs the invariant checker over it (throws TraceFormatError on a malformed file). */
export function checkTrace(text: string): TraceCheckReport {
  const parsed = parseTrace(text);
  const checker = new RaftInvariantChecker(parsed.header.nodes.length);
  for (const event of parsed.events) {
    if (checker.onEvent(event as TraceEvent)) break;
  }
  return { header: parsed.header, events: parsed.events.length, violation: checker.violation, parsed };
}

function parseLine(line: string, lineNo: number): unknown {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new TraceFormatError(`line ${lineNo}`, `malformed JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TraceFormatError(`line ${lineNo}`, 'must be a JSON object');
  return value;
}

const ROLES = ['follower', 'precandidate', 'candidate', 'leader'];

/** Checks the fields the checker reads, so a bad file fails with a clear message rather than a wrong verdict. */
function validateEvent(e: Record<string, unknown>, where: string, nodes: number): void {
  const int = (field: string, min = 0): void => {
    const v = e[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      throw new TraceFormatError(`${where}.${field}`, `must be an integer >= ${min}, got ${JSON.stringify(v)}`);
    }
  };
  const node = (field: string, allowNone = false): void => {
    int(field, allowNone ? 0 : 1);
    if ((e[field] as number) > nodes) throw new TraceFormatError(`${where}.${field}`, `unknown node ${e[field]} (the header lists 1..${nodes})`);
  };
  const data = (v: unknown, field: string): void => {
    if (v !== null && typeof v !== 'string') throw new TraceFormatError(field, `must be a string or null, got ${JSON.stringify(v)}`);
  };
  switch (e.type) {
    case 'state':
      node('node');
      if (!ROLES.includes(e.role as string)) throw new TraceFormatError(`${where}.role`, `must be one of ${ROLES.join(', ')}, got ${JSON.stringify(e.role)}`);
      int('term');
      node('vote', true);
      node('leader', true);
      int('commit');
      if (!Array.isArray(e.last) || e.last.length !== 2 || !e.last.every((x) => Number.isInteger(x) && x >= 0)) {
        throw new TraceFormatError(`${where}.last`, `must be [index, term], got ${JSON.stringify(e.last)}`);
      }
      break;
    case 'append': {
      node('node');
      int('from', 1);
      if (!Array.isArray(e.entries)) throw new TraceFormatError(`${where}.entries`, 'must be an array');
      e.entries.forEach((entry: unknown, k: number) => {
        const f = `${where}.entries[${k}]`;
        const x = entry as Record<string, unknown> | null;
        if (typeof x !== 'object' || x === null) throw new TraceFormatError(f, 'must be {index, term, data}');
        if (!Number.isInteger(x.index) || !Number.isInteger(x.term)) throw new TraceFormatError(f, 'index and term must be integers');
        data(x.data, `${f}.data`);
      });
      break;
    }
    case 'apply':
      node('node');
      int('index', 1);
      int('term');
      data(e.data, `${where}.data`);
      break;
    case 'crash':
    case 'restart':
      node('node');
      break;
    case 'pause':
    case 'resume':
      // A node's pause or a client's: exactly one of the two.
      if (e.node !== undefined && e.client !== undefined) throw new TraceFormatError(`${where}.client`, `a ${e.type} names a node or a client, not both`);
      if (e.client !== undefined) {
        if (typeof e.client !== 'string' || e.client === '') throw new TraceFormatError(`${where}.client`, `must be a client's name, got ${JSON.stringify(e.client)}`);
      } else {
        node('node');
      }
      break;
    case undefined:
      throw new TraceFormatError(`${where}.type`, 'missing');
    default:
      break;
  }
}
