import { useKv } from './kvContext.ts';

/**
 * The recipes' safety, for the safety panel: a cron period run twice is a violation; two clients that both
 * believe they lead one election (or hold one lock) are shown as a window etcd allows (belief is local and
 * leases are timed; the fenced writes make it harmless), never hidden. Refused runs show fencing at work.
 */
export function RecipeSafetyLine() {
  const cron = useKv((s) => s.cron);
  const elections = useKv((s) => s.elections);
  if (elections.length === 0 && cron.jobs.length === 0) return null;
  const doubled = cron.doubleRuns;
  const dual = elections.filter((e) => e.believers.length > 1);
  const refused = cron.marks.filter((m) => m.kind === 'refused').length;
  const parts: string[] = [];
  if (doubled.length > 0) parts.push(`cron period run twice: ${doubled.map((d) => `${d.job} #${d.period} by ${d.clients.join(' and ')}`).join('; ')}`);
  else if (cron.jobs.length > 0) parts.push(`no cron period run twice${refused > 0 ? ` (${refused} fenced run${refused > 1 ? 's' : ''} refused)` : ''}`);
  if (dual.length > 0) parts.push(dual.map((e) => `${e.believers.map((b) => b.client).join(' and ')} both believe they lead ${e.name} (a window etcd allows)`).join('; '));
  else if (elections.length > 0) parts.push('at most one client believes it leads each election');
  const text = parts.join('; ');
  const bad = doubled.length > 0;
  return (
    <div className={`verdict-line${bad ? ' bad' : dual.length > 0 ? ' warn' : ''}`} role="status" aria-label={`Recipes: ${text}`}>
      <span aria-hidden="true">{bad ? '✗' : dual.length > 0 ? '!' : '✓'}</span>
      <span>Recipes: {text}</span>
    </div>
  );
}
