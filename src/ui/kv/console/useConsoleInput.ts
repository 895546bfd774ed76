/**
 * The console's input line: the text typed, ↑/↓ through the history, Tab completion (with the candidates shown
 * as a hint when there are several), and Enter to submit. Keys typed here never reach the page's shortcuts.
 */
import { useState, type KeyboardEvent } from 'react';
import { completeLine, type CompletionSource } from './complete.ts';
import { consoleStore } from './consoleState.ts';

export function useConsoleInput(onSubmit: (line: string) => void, completionSource: () => CompletionSource) {
  const [text, setText] = useState('');
  const [historyAt, setHistoryAt] = useState<number | null>(null);
  const [hint, setHint] = useState('');

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>): void {
    e.stopPropagation(); // typing must not trigger the page's single-key shortcuts
    const history = consoleStore.getState().history;
    if (e.key === 'Enter') {
      e.preventDefault();
      const line = text;
      setText('');
      setHistoryAt(null);
      setHint('');
      onSubmit(line);
    } else if (e.key === 'ArrowUp' && history.length > 0) {
      e.preventDefault();
      const at = historyAt === null ? history.length - 1 : Math.max(0, historyAt - 1);
      setHistoryAt(at);
      setText(history[at]);
    } else if (e.key === 'ArrowDown' && historyAt !== null) {
      e.preventDefault();
      const at = historyAt + 1;
      setHistoryAt(at >= history.length ? null : at);
      setText(at >= history.length ? '' : history[at]);
    } else if (e.key === 'Tab' && text.length > 0) {
      e.preventDefault();
      const c = completeLine(text, completionSource());
      setText(c.line);
      setHint(c.candidates.length > 1 ? c.candidates.slice(0, 12).join('  ') : '');
    }
  }

  return { text, setText, hint, onKeyDown };
}
