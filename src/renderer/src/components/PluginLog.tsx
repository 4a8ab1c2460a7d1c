// A plugin's recent log lines, newest last, folded away until asked for.
import type { PluginLogLine } from '../../../shared/plugin-state';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function PluginLog({ lines, title = 'Log' }: { lines: PluginLogLine[]; title?: string }) {
  return (
    <details className="log">
      <summary>
        {title} <span className="count">({lines.length})</span>
      </summary>
      {lines.length === 0 ? (
        <p className="muted">Nothing logged yet.</p>
      ) : (
        <ol className="log-lines" aria-label={title}>
          {lines.map((l, i) => (
            <li key={`${l.time}-${i}`} className={`log-${l.level}`}>
              <time dateTime={new Date(l.time).toISOString()}>{timeFormat.format(l.time)}</time>
              <span className="log-level">{l.level}</span>
              <span className="log-message">{l.message}</span>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
