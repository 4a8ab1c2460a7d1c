// The host console: commands registered by plugins (and the host), with Tab completion and a history of
// the commands run (Up and Down, as in a shell).
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { usePanel } from '../stores/panel-context';

interface Entry {
  line: string;
  ok: boolean;
  output: string;
}

const HISTORY_KEPT = 50;

/** The longest start every option shares, so Tab can complete as far as it is unambiguous. */
export function commonPrefix(options: string[]): string {
  return options.reduce((prefix, o) => {
    let n = 0;
    while (n < prefix.length && n < o.length && prefix[n] === o[n]) n++;
    return prefix.slice(0, n);
  });
}

export function Console() {
  const { api } = usePanel();
  const [line, setLine] = useState('');
  const [entries, setEntries] = useState<Entry[]>([]);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [history, setHistory] = useState<string[]>([]);
  /** Position while browsing the history (null: editing a new line, kept in `draft`). */
  const [cursor, setCursor] = useState<number | null>(null);
  const [draft, setDraft] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const command = line.trim();
    if (!command) return;
    setLine('');
    setSuggestions([]);
    setCursor(null);
    setHistory((prev) => (prev.at(-1) === command ? prev : [...prev, command].slice(-HISTORY_KEPT)));
    const result = await api.runCommand({ line: command }).catch((err: Error) => ({ ok: false, output: err.message }));
    setEntries((prev) => [...prev, { line: command, ...result }].slice(-HISTORY_KEPT));
  };

  const browse = (step: -1 | 1) => {
    if (history.length === 0 || (cursor === null && step === 1)) return;
    if (cursor === null) setDraft(line);
    const next = (cursor ?? history.length) + step;
    if (next >= history.length) {
      setCursor(null);
      setLine(draft);
    } else {
      setCursor(Math.max(0, next));
      setLine(history[Math.max(0, next)]!);
    }
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      return browse(e.key === 'ArrowUp' ? -1 : 1);
    }
    if (e.key === 'Tab') void complete(e);
  };

  const complete = async (e: KeyboardEvent<HTMLInputElement>) => {
    if (line.trim() === '') return;
    e.preventDefault();
    const options = await api.tabComplete({ line }).catch(() => []);
    const words = line.split(' ');
    const last = words[words.length - 1]!;
    const shared = options.length > 0 ? commonPrefix(options) : '';
    if (options.length === 1) {
      words[words.length - 1] = options[0]!;
      setLine(`${words.join(' ')} `);
      setSuggestions([]);
    } else {
      if (shared.length > last.length && shared.startsWith(last)) {
        words[words.length - 1] = shared;
        setLine(words.join(' '));
      }
      setSuggestions(options);
    }
  };

  return (
    <section className="side-panel console" aria-labelledby="console-title">
      <h2 id="console-title">Console</h2>
      {entries.length > 0 && (
        <ol className="console-output" aria-label="Console output">
          {entries.map((entry, i) => (
            <li key={i} className={entry.ok ? '' : 'console-error'}>
              <code>&gt; {entry.line}</code>
              {entry.output && <pre>{entry.output}</pre>}
            </li>
          ))}
        </ol>
      )}
      <form onSubmit={(e) => void submit(e)} className="console-form">
        <input
          aria-label="Console command"
          value={line}
          onChange={(e) => {
            setLine(e.target.value);
            setCursor(null);
          }}
          onKeyDown={onKey}
          placeholder="command (Tab completes, ↑↓ history)"
          autoComplete="off"
          spellCheck={false}
        />
        <button type="submit">Run</button>
      </form>
      {suggestions.length > 1 && <p className="muted small">{suggestions.join('  ')}</p>}
    </section>
  );
}
