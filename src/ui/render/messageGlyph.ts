/**
 * How each message kind is told apart on screen without relying on colour: a short label and a shape
 * (requests are rounded pills, replies are square-cornered tags with ✓ or ✗).
 */
export interface MessageGlyph {
  /** Short label drawn on the message, ≥ 12 px. */
  readonly label: string;
  /** Long name for the legend and accessible descriptions. */
  readonly name: string;
  /** Colour family (CSS class suffix): vote, prevote, append, heartbeat, transfer, client. */
  readonly family: 'vote' | 'prevote' | 'append' | 'heartbeat' | 'transfer' | 'client';
  readonly reply: boolean;
}

const GLYPHS: Record<string, MessageGlyph> = {
  MsgPreVote: { label: 'PV', name: 'PreVote request', family: 'prevote', reply: false },
  MsgPreVoteResp: { label: 'PV', name: 'PreVote reply', family: 'prevote', reply: true },
  MsgVote: { label: 'RV', name: 'RequestVote', family: 'vote', reply: false },
  MsgVoteResp: { label: 'RV', name: 'RequestVote reply', family: 'vote', reply: true },
  MsgApp: { label: 'AE', name: 'AppendEntries', family: 'append', reply: false },
  MsgAppResp: { label: 'AE', name: 'AppendEntries reply', family: 'append', reply: true },
  MsgHeartbeat: { label: 'HB', name: 'Heartbeat', family: 'heartbeat', reply: false },
  MsgHeartbeatResp: { label: 'HB', name: 'Heartbeat reply', family: 'heartbeat', reply: true },
  MsgTimeoutNow: { label: 'TN', name: 'TimeoutNow', family: 'transfer', reply: false },
  MsgTransferLeader: { label: 'TL', name: 'Transfer request', family: 'transfer', reply: false },
  MsgProp: { label: 'P', name: 'Forwarded proposal', family: 'client', reply: false },
  MsgReadIndex: { label: 'RI', name: 'ReadIndex request', family: 'client', reply: false },
  MsgReadIndexResp: { label: 'RI', name: 'ReadIndex reply', family: 'client', reply: true },
};

export function messageGlyph(type: string): MessageGlyph {
  return GLYPHS[type] ?? { label: type.replace(/^Msg/, '').slice(0, 3), name: type, family: 'client', reply: false };
}

/** The text drawn on a message: label, entry count for appends, ✓/✗ for replies. */
export function messageText(type: string, entryCount: number, reject: boolean | null): string {
  const g = messageGlyph(type);
  let text = g.label;
  if (type === 'MsgApp' && entryCount > 0) text += `+${entryCount}`;
  if (g.reply) text += reject === true ? '✗' : reject === false ? '✓' : '↩';
  return text;
}

/** The kinds shown in the legend, in teaching order. */
export const LEGEND_TYPES = ['MsgPreVote', 'MsgVote', 'MsgVoteResp', 'MsgApp', 'MsgAppResp', 'MsgHeartbeat', 'MsgTimeoutNow'] as const;
