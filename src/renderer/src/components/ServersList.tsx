// Backend servers from servers_dir, with their live state and any problem in their file.
import { useHost } from '../stores/panel-context';
import { ServerStateBadge } from './ManagedServer';

export function ServersList() {
  const servers = useHost((s) => s.servers);
  return (
    <section className="side-panel" aria-labelledby="servers-title">
      <h2 id="servers-title">Servers</h2>
      {servers.length === 0 ? (
        <p className="muted">No backend servers. Add one &lt;id&gt;.toml per server to the servers folder.</p>
      ) : (
        <ul className="servers">
          {servers.map((s) => (
            <li key={s.id} className="server">
              <div className="row">
                <strong>{s.id}</strong>
                <ServerStateBadge server={s} />
                <span className="muted">{s.players === 1 ? '1 player' : `${s.players} players`}</span>
              </div>
              <div className="muted small">
                {s.domains.join(', ')} → {s.addresses.join(', ')} ({s.proxyMode})
              </div>
              {s.problem && (
                <p className="reason reason-failed small" role="alert">
                  {s.problem}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
