/**
 * How a transcript prints the core's output: a Ready (hard state, log write, messages, committed entries,
 * reads, and the explanations in English from `formatExplanation`), a message, an entry, a node's status.
 * Field names are the ones in src/raft/types.ts, so a reader can look each one up.
 */
import { formatExplanation, nodeName } from '../../../src/raft/index.ts';
import type { Entry, Message, NodeId, Ready, RawNode } from '../../../src/raft/index.ts';

/** `i2 t1 "x"`: index, term and data; `(empty)` for a leader's empty entry (§8). */
export function formatEntry(e: Entry): string {
  return `i${e.index} t${e.term} ${e.data === null ? '(empty)' : JSON.stringify(e.data)}`;
}

function formatField(key: string, value: unknown): string {
  if (key === 'entries') return `entries=[${(value as Entry[]).map(formatEntry).join(', ')}]`;
  if (key === 'transferee') return `transferee=${nodeName(value as NodeId)}`;
  return `${key}=${JSON.stringify(value)}`;
}

/** `S1->S2 MsgVote term=1 lastLogIndex=0 ...`: every field of the message, in the order the core wrote them. */
export function formatMessage(m: Message): string {
  const fields = Object.entries(m)
    .filter(([k]) => k !== 'type' && k !== 'from' && k !== 'to')
    .map(([k, v]) => formatField(k, v));
  return [`${nodeName(m.from)}->${nodeName(m.to)} ${m.type}`, ...fields].join(' ');
}

/** The Ready a node handed to its host, one section per non-empty field. */
export function formatReady(id: NodeId, rd: Ready): string[] {
  const out = [`${nodeName(id)} Ready:`];
  if (rd.hardState) {
    const hs = rd.hardState;
    out.push(`  HardState term=${hs.term} vote=${hs.vote === 0 ? 'none' : nodeName(hs.vote)} commit=${hs.commit}`);
  }
  if (rd.append) out.push(`  Append from=${rd.append.from}: [${rd.append.entries.map(formatEntry).join(', ')}]`);
  if (rd.messages.length > 0) out.push('  Messages:', ...rd.messages.map((m) => `    ${formatMessage(m)}`));
  if (rd.committed.length > 0) out.push(`  Committed: [${rd.committed.map(formatEntry).join(', ')}]`);
  for (const r of rd.readStates) out.push(`  ReadState context=${JSON.stringify(r.context)} index=${r.index}`);
  for (const r of rd.readFailures) out.push(`  ReadFailure context=${JSON.stringify(r.context)} reason=${JSON.stringify(r.reason)}`);
  if (rd.explanations.length > 0) out.push('  Explanations:', ...rd.explanations.map((e) => `    ${formatExplanation(e)}`));
  return out;
}

/** One line per node: `S1 leader term=1 vote=S1 lead=S1 commit=2 terms=[1 1]` (the log as its terms, index 1 first). */
export function formatStatus(id: NodeId, node: RawNode | undefined): string {
  if (!node) return `${nodeName(id)} crashed`;
  const s = node.status();
  const terms: number[] = [];
  for (let i = 1; i <= s.lastIndex; i++) terms.push(node.entryAt(i)!.term);
  const vote = s.vote === 0 ? 'none' : nodeName(s.vote);
  const lead = s.leader === 0 ? 'none' : nodeName(s.leader);
  const transfer = s.transferee ? ` transferee=${nodeName(s.transferee)}` : '';
  return `${nodeName(id)} ${s.role} term=${s.term} vote=${vote} lead=${lead} commit=${s.commit}${transfer} terms=[${terms.join(' ')}]`;
}
