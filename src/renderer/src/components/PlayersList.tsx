// Who is online, where they are, and since when.
import { useHost } from '../stores/panel-context';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export function PlayersList() {
  const players = useHost((s) => s.players);
  return (
    <section className="side-panel" aria-labelledby="players-title">
      <h2 id="players-title">
        Players <span className="count">({players.length})</span>
      </h2>
      {players.length === 0 ? (
        <p className="muted">Nobody online.</p>
      ) : (
        <ul className="players">
          {players.map((p) => (
            <li key={p.id} className="row">
              <strong>{p.username}</strong>
              <span className="muted">{p.server ?? 'connecting'}</span>
              <span className="muted small" title={p.remoteAddr}>
                since {timeFormat.format(p.connectedAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
