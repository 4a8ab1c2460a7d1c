// The host console: commands registered by plugins (and the host), with Tab completion.
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { usePanel } from '../stores/panel-context';

interface Entry {
  line: string;
  ok: boolean;
  output: string;
}

const HISTORY_KEPT = 50;

export function Console() {
  const { api } = usePanel();
  const [line, setLine] = useState('');
  const [entries, setEntries] = useState<Entry[]>([]);
  const [suggestions, setSuggestions] = useState<string[]>([]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const command = line.trim();
    if (!command) return;
    setLine('');
    setSuggestions([]);
    const result = await api.runCommand({ line: command }).catch((err: Error) => ({ ok: false, output: err.message }));
    setEntries((prev) => [...prev, { line: command, ...result }].slice(-HISTORY_KEPT));
  };

  const complete = async (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Tab' || line.trim() === '') return;
    e.preventDefault();
    const options = await api.tabComplete({ line }).catch(() => []);
    if (options.length === 1) {
      const words = line.split(' ');
      words[words.length - 1] = options[0]!;
      setLine(`${words.join(' ')} `);
      setSuggestions([]);
    } else {
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
          onChange={(e) => setLine(e.target.value)}
          onKeyDown={(e) => void complete(e)}
          placeholder="command (Tab completes)"
          autoComplete="off"
          spellCheck={false}
        />
        <button type="submit">Run</button>
      </form>
      {suggestions.length > 1 && <p className="muted small">{suggestions.join('  ')}</p>}
    </section>
  );
}
