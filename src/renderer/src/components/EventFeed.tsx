// The contract's events as they fire, newest first, with each plugin that changed the outcome and how.
import { useLive } from '../stores/panel-context';
import { clockTime, formatMs } from './format';

const SHOWN = 100;

export function EventFeed() {
  const events = useLive((s) => s.events);
  return (
    <section className="side-panel wide" aria-labelledby="event-feed-title">
      <h2 id="event-feed-title">Events</h2>
      {events.length === 0 ? (
        <p className="muted">No events yet. Only events some plugin subscribed to are fired.</p>
      ) : (
        <ol className="event-feed" aria-label="Event feed">
          {events.slice(0, SHOWN).map((e) => (
            <li key={e.seq} className={e.changes.length > 0 ? 'event changed' : 'event'}>
              <time dateTime={new Date(e.time).toISOString()}>{clockTime.format(e.time)}</time>
              <code className="event-kind">{e.kind}</code>
              <span className="event-summary">{e.summary}</span>
              <span className="muted small">{formatMs(e.durationMs)}</span>
              {e.changes.length > 0 && (
                <ul className="event-changes">
                  {e.changes.map((c, i) => (
                    <li key={i}>
                      <strong>{c.pluginId}</strong> → {c.outcome}
                    </li>
                  ))}
                </ul>
              )}
              {e.skippedBefore ? <span className="muted small">({e.skippedBefore} more events not shown)</span> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
