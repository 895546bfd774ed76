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

/**
 * A request kind `type` and its reply `${type}Resp`: the reply wears its request's label and colour, drawn as a
 * square tag.
 */
function exchange(type: string, label: string, family: MessageGlyph['family'], requestName: string, replyName: string): Record<string, MessageGlyph> {
  return { [type]: { label, name: requestName, family, reply: false }, [`${type}Resp`]: { label, name: replyName, family, reply: true } };
}

const GLYPHS: Record<string, MessageGlyph> = {
  ...exchange('MsgPreVote', 'PV', 'prevote', 'PreVote request', 'PreVote reply'),
  ...exchange('MsgVote', 'RV', 'vote', 'RequestVote', 'RequestVote reply'),
  ...exchange('MsgApp', 'AE', 'append', 'AppendEntries', 'AppendEntries reply'),
  ...exchange('MsgHeartbeat', 'HB', 'heartbeat', 'Heartbeat', 'Heartbeat reply'),
  MsgTimeoutNow: { label: 'TN', name: 'TimeoutNow', family: 'transfer', reply: false },
  MsgTransferLeader: { label: 'TL', name: 'Transfer request', family: 'transfer', reply: false },
  MsgProp: { label: 'P', name: 'Forwarded proposal', family: 'client', reply: false },
  ...exchange('MsgReadIndex', 'RI', 'client', 'ReadIndex request', 'ReadIndex reply'),
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
