import { Fragment, useEffect, useRef, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useServices, useFlotilla } from '../appContext.ts';
import { uiStore } from '../uiState.ts';
import { COMMANDS, perform } from '../actions/commands.ts';
import { proposeThrough } from '../actions/nodeActions.ts';
import { answerFork, pendingForkMessage } from '../confirmFork.ts';
import { formatRunUrl, type RunOverrides } from '../../store/index.ts';
import { UNSAFE_NAMES } from '../../raft/index.ts';
import { nodeLabel } from '../render/clusterNodes.ts';
import { roleLabel } from '../render/nodeShape.ts';

/** A modal <dialog>: focus is trapped by the browser, Escape closes it. */
function Modal({ title, onClose, children, footer }: { title: string; onClose: () => void; children: ReactNode; footer?: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current!;
    if (!d.open) d.showModal();
    const cancel = (e: Event) => { e.preventDefault(); onClose(); };
    d.addEventListener('cancel', cancel);
    return () => { d.removeEventListener('cancel', cancel); if (d.open) d.close(); };
  }, [onClose]);
  return (
    <dialog ref={ref} aria-label={title} onKeyDown={(e) => e.stopPropagation()}>
      <header><h2>{title}</h2><button className="btn icon" onClick={onClose} aria-label="Close">✕</button></header>
      <div className="content">{children}</div>
      {footer && <footer>{footer}</footer>}
    </dialog>
  );
}

const close = () => uiStore.setState({ dialog: null });

function ShortcutSheet() {
  const groups = ['Playback', 'Nodes', 'Network', 'Page'] as const;
  return (
    <Modal title="Keyboard shortcuts" onClose={close}>
      {groups.map((g) => (
        <div key={g} style={{ marginBottom: 12 }}>
          <h3 style={{ fontSize: 13, margin: '0 0 6px', color: 'var(--muted)' }}>{g}</h3>
          <div className="sheet">
            {COMMANDS.filter((c) => c.group === g).map((c) => (<Fragment key={c.id}><kbd>{c.keyHint}</kbd><span>{c.label}</span></Fragment>))}
          </div>
        </div>
      ))}
      <p style={{ fontSize: 13, color: 'var(--muted)', margin: 0 }}>Tab reaches every node and link; Enter opens its menu; arrows move in menus; Escape closes.</p>
    </Modal>
  );
}

/** The scenario's name and its explanation (the `description` of examples/*.json), for the class. */
function AboutDialog() {
  const { driver } = useServices();
  const scenario = driver.scenarioJson() as { name?: unknown; description?: unknown; nodes?: unknown };
  const name = typeof scenario.name === 'string' && scenario.name ? scenario.name : 'Untitled scenario';
  const description = typeof scenario.description === 'string' ? scenario.description : '';
  return (
    <Modal title="About this scenario" onClose={close}>
      <h3 style={{ margin: '0 0 8px', fontSize: 16 }}>{name}</h3>
      <p style={{ margin: 0, lineHeight: 1.5, maxWidth: '60ch' }}>{description || 'This scenario has no description.'}</p>
    </Modal>
  );
}

function InspectDialog({ node }: { node: number }) {
  const n = useFlotilla((s) => s.cluster.nodes[node - 1]);
  const log = useFlotilla((s) => s.logs[node - 1]);
  if (!n) return null;
  const rows: [string, ReactNode][] = [
    ['Role', n.failure ? `failed: ${n.failure}` : n.crashed ? `crashed (was ${roleLabel(n.role)})` : n.paused ? `${roleLabel(n.role)}, paused (its timers frozen)` : roleLabel(n.role)],
    ['Term', n.term], ['Voted for', n.vote ? `S${n.vote}` : 'nobody'], ['Knows leader', n.leader ? `S${n.leader}` : 'none'],
    ['Last entry', `index ${n.lastIndex}, term ${n.lastTerm}`], ['Commit index', n.commit], ['Applied index', n.applied],
    ['Election timer', n.timerFraction === null ? '—' : `${Math.round(n.timerFraction * 100)}% elapsed`],
  ];
  if (n.role === 'leader') rows.push(['Since quorum heard', n.leaseFraction === null ? '—' : `${Math.round(n.leaseFraction * 100)}% of the election timeout`]);
  return (
    <Modal title={`Inspect ${nodeLabel(n)}`} onClose={close}>
      <table className="inspect-table"><tbody>{rows.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td className="mono">{v}</td></tr>)}</tbody></table>
      {n.progress.length > 0 && (<>
        <h3 style={{ fontSize: 14, margin: '12px 0 6px' }}>Followers’ progress (Raft §5.3)</h3>
        <table className="inspect-table">
          <thead><tr><th>Follower</th><th>match</th><th>next</th><th>state</th><th>in flight</th><th>active</th></tr></thead>
          <tbody>{n.progress.map((p) => <tr key={p.node}><td>S{p.node}</td><td className="mono">{p.match}</td><td className="mono">{p.next}</td><td>{p.state}</td><td className="mono">{p.inflight}</td><td>{p.recentActive ? 'yes' : 'no'}</td></tr>)}</tbody>
        </table>
      </>)}
      <h3 style={{ fontSize: 14, margin: '12px 0 6px' }}>Log ({log.entries.length} entries{log.firstIndex > 1 ? `, from index ${log.firstIndex}` : ''})</h3>
      <div className="inspect-log">
        {log.entries.length === 0 ? 'empty' : log.entries.slice(-200).map((e) => (
          <div key={e.index}>{e.index <= n.commit ? '✓' : '·'} #{e.index} term {e.term} {e.data === null ? '(leader no-op)' : JSON.stringify(e.data)}</div>
        ))}
      </div>
    </Modal>
  );
}

let proposals = 0;
function ProposeDialog({ node }: { node: number }) {
  const services = useServices();
  const n = useFlotilla((s) => s.cluster.nodes[node - 1]);
  const [value, setValue] = useState(() => `x=${++proposals}`);
  if (!n) return null;
  const submit = () => { close(); perform(services, proposeThrough(n, value), `Proposed "${value}" through S${n.id}`); };
  return (
    <Modal title={`Propose through S${n.id}`} onClose={close}
      footer={<><button className="btn" onClick={close}>Cancel</button><button className="btn primary" onClick={submit}>Propose</button></>}>
      <label className="form-grid"><span>Value</span>
        <input type="text" value={value} autoFocus onChange={(e) => setValue(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter') submit(); }} aria-label="Value to propose" />
      </label>
      <p style={{ fontSize: 13, color: 'var(--muted)' }}>A follower forwards the proposal to the leader it knows; with no leader it is rejected (see the narration).</p>
    </Modal>
  );
}

function ConfirmForkDialog() {
  return (
    <Modal title="Fork the run?" onClose={() => answerFork(false)}
      footer={<><button className="btn" onClick={() => answerFork(false)}>Keep the future</button><button className="btn primary" autoFocus onClick={() => answerFork(true)}>Fork here</button></>}>
      <p style={{ margin: 0 }}>{pendingForkMessage()}</p>
    </Modal>
  );
}

function SettingsDialog() {
  const { open, driver, store, currentRun } = useServices();
  const scenario = driver.resolved;
  const current = currentRun();
  const [o, setO] = useState<RunOverrides>(() => {
    const { config, network } = store.getState().run;
    return {
      nodes: scenario?.nodes ?? 5, electionTimeoutMs: config.electionTimeoutMs, heartbeatMs: config.heartbeatMs,
      latencyMs: [network.latencyMs[0], network.latencyMs[1]], dropRate: network.dropRate, duplicateRate: network.duplicateRate,
      preVote: config.preVote, checkQuorum: config.checkQuorum, unsafe: [...config.unsafe],
    };
  });
  const [seed, setSeed] = useState(scenario?.seed ?? 1);
  const num = (key: keyof RunOverrides, label: string, props: Record<string, number>) => (
    <><label htmlFor={`set-${key}`}>{label}</label>
      <input id={`set-${key}`} type="number" {...props} value={o[key] as number} onChange={(e) => setO({ ...o, [key]: Number(e.target.value) })} /></>
  );
  const start = () => {
    close();
    void open(formatRunUrl({ ...current, seed, overrides: o, actions: [], position: null, runToEnd: false }));
  };
  return (
    <Modal title="New run" onClose={close} footer={<><button className="btn" onClick={close}>Cancel</button><button className="btn primary" onClick={start}>Start new run</button></>}>
      <div className="form-grid">
        <label htmlFor="set-seed">Seed</label><input id="set-seed" type="number" min={0} value={seed} onChange={(e) => setSeed(Number(e.target.value))} />
        {num('nodes', 'Cluster size (3–9)', { min: 3, max: 9 })}
        {num('electionTimeoutMs', 'Election timeout (ms, multiple of 10)', { min: 50, step: 10 })}
        {num('heartbeatMs', 'Heartbeat (ms, multiple of 10)', { min: 10, step: 10 })}
        <label htmlFor="set-latmin">Latency range (ms)</label>
        <span><input id="set-latmin" type="number" min={0} value={o.latencyMs![0]} aria-label="Minimum latency (ms)" onChange={(e) => setO({ ...o, latencyMs: [Number(e.target.value), o.latencyMs![1]] })} />
          {' – '}<input type="number" min={0} value={o.latencyMs![1]} aria-label="Maximum latency (ms)" onChange={(e) => setO({ ...o, latencyMs: [o.latencyMs![0], Number(e.target.value)] })} /></span>
        {num('dropRate', 'Loss rate (0–1)', { min: 0, max: 1, step: 0.01 })}
        {num('duplicateRate', 'Duplication rate (0–1)', { min: 0, max: 1, step: 0.01 })}
        <label htmlFor="set-prevote">PreVote (thesis §9.6)</label><input id="set-prevote" type="checkbox" checked={o.preVote} onChange={(e) => setO({ ...o, preVote: e.target.checked })} />
        <label htmlFor="set-cq">CheckQuorum (thesis §6.2)</label><input id="set-cq" type="checkbox" checked={o.checkQuorum} onChange={(e) => setO({ ...o, checkQuorum: e.target.checked })} />
      </div>
      <fieldset style={{ marginTop: 12, border: '1px solid var(--danger)', borderRadius: 8 }}>
        <legend style={{ color: 'var(--danger)', fontSize: 13, fontWeight: 650 }}>Unsafe variants (break Raft on purpose; the safety panel raises the alarm)</legend>
        {UNSAFE_NAMES.map((name) => (
          <label key={name} style={{ display: 'block', fontSize: 13.5 }}>
            <input type="checkbox" checked={o.unsafe!.includes(name)} onChange={(e) => setO({ ...o, unsafe: e.target.checked ? [...o.unsafe!, name] : o.unsafe!.filter((u) => u !== name) })} /> {name}
          </label>
        ))}
      </fieldset>
    </Modal>
  );
}

export function Dialogs() {
  const dialog = useStore(uiStore, (s) => s.dialog);
  const node = useStore(uiStore, (s) => s.dialogNode);
  switch (dialog) {
    case 'shortcuts': return <ShortcutSheet />;
    case 'about': return <AboutDialog />;
    case 'inspect': return <InspectDialog node={node} />;
    case 'propose': return <ProposeDialog node={node} />;
    case 'confirm': return <ConfirmForkDialog />;
    case 'settings': return <SettingsDialog />;
    default: return null;
  }
}
