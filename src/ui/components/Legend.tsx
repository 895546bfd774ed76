import { LEGEND_TYPES, messageGlyph, messageText } from '../render/messageGlyph.ts';
import { nodeShapePath } from '../render/nodeShape.ts';

function Shape({ role, cls }: { role: 'follower' | 'candidate' | 'leader' | 'precandidate'; cls?: string }) {
  return (
    <svg width="18" height="18" viewBox="-10 -10 20 20" aria-hidden="true">
      <g className={`node role-${role} ${cls ?? ''}`}><path className="body" d={nodeShapePath(role, 7.5)} /></g>
    </svg>
  );
}

const LEGEND_NAMES: Record<string, string> = {
  MsgPreVote: 'PreVote', MsgVote: 'RequestVote', MsgVoteResp: 'reply ✓/✗', MsgApp: 'AppendEntries (+n entries)',
  MsgAppResp: 'reply', MsgHeartbeat: 'heartbeat', MsgTimeoutNow: 'TimeoutNow',
};

/** What the shapes, arcs and message labels mean. */
export function Legend() {
  return (
    <div className="legend" aria-label="Legend">
      <div className="row">
        <span><Shape role="follower" /> follower</span>
        <span><Shape role="precandidate" /> pre-candidate</span>
        <span><Shape role="candidate" /> candidate</span>
        <span><Shape role="leader" /> leader</span>
      </div>
      <div className="row">
        <span><svg width="14" height="14" aria-hidden="true"><path d="M7 1 A6 6 0 1 1 1.5 9" fill="none" stroke="var(--timer)" strokeWidth="2.5" /></svg> election timer</span>
        <span><svg width="14" height="14" aria-hidden="true"><path d="M7 1 A6 6 0 0 1 13 7" fill="none" stroke="var(--lease)" strokeWidth="2.5" /></svg> lease: since quorum heard</span>
      </div>
      <div className="row">
        {LEGEND_TYPES.map((t) => {
          const g = messageGlyph(t);
          return (
            <span key={t} title={g.name}>
              <span className="chip" style={{ color: `var(--fam-${g.family})`, borderStyle: g.reply ? 'dashed' : 'solid', borderRadius: g.reply ? 2 : 8 }}>
                {messageText(t, t === 'MsgApp' ? 1 : 0, g.reply ? false : null)}
              </span>{' '}
              {LEGEND_NAMES[t]}
            </span>
          );
        })}
        <span><span className="chip" style={{ color: 'var(--danger)' }}>✕</span> dropped</span>
        <span><span className="chip">×2</span> duplicate</span>
      </div>
    </div>
  );
}
