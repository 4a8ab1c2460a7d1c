// One line of vital signs: is the host reachable, is the proxy listening, how many players.
import { useHost } from '../stores/panel-context';

const CONNECTION_LABEL = { connecting: 'connecting…', open: 'connected', closed: 'disconnected, retrying…' } as const;

export function StatusStrip() {
  const connection = useHost((s) => s.connection);
  const reason = useHost((s) => s.connectionReason);
  const proxy = useHost((s) => s.proxy);
  const players = useHost((s) => s.players.length);
  return (
    <dl className="status-strip" aria-label="Status">
      <div className={`status-item conn-${connection}`}>
        <dt>Host</dt>
        <dd>
          <span className="dot" aria-hidden="true" />
          {CONNECTION_LABEL[connection]}
          {reason && connection !== 'open' && <span className="conn-reason"> ({reason})</span>}
        </dd>
      </div>
      <div className={`status-item proxy-${proxy.running ? 'running' : 'stopped'}`}>
        <dt>Proxy</dt>
        <dd>
          <span className="dot" aria-hidden="true" />
          {proxy.running ? `listening on ${proxy.address ?? '?'}` : 'not running'}
        </dd>
      </div>
      <div className="status-item">
        <dt>Players</dt>
        <dd>{players}</dd>
      </div>
      <div className="status-item">
        <dt>Connections</dt>
        <dd>{proxy.connections}</dd>
      </div>
    </dl>
  );
}
