// Cluster mode: the proxies of the network (id, address, players, last heartbeat, health), this proxy's link
// to Redis (a warning while it is down: this proxy then serves with its own state), the network's players
// with the proxy holding each, its bans, and console commands run on one proxy or on all.
import { useEffect, useState, type FormEvent } from 'react';
import type { NetworkCommandReply } from '../../../shared/control-api';
import type { NetworkView } from '../../../shared/proxy-views';
import { useHost, usePanel } from '../stores/panel-context';
import { BansList } from './BansList';
import { formatDuration, useNow } from './format';

const STATE_TEXT: Record<NetworkView['state'], string> = {
  connected: 'connected',
  connecting: 'connecting to Redis…',
  'redis-down': 'Redis unreachable',
  off: 'off',
};

export function NetworkPage() {
  const { api } = usePanel();
  const network = useHost((s) => s.network);
  const setNetwork = useHost((s) => s.setNetwork);
  const players = useHost((s) => s.players);
  const now = useNow();
  const [error, setError] = useState<string | null>(null);

  // Heartbeat ages move every second; the list itself arrives by `network` events.
  useEffect(() => {
    let live = true;
    const read = () =>
      api.network().then(
        (n) => live && (setNetwork(n), setError(null)),
        (err: Error) => live && setError(err.message),
      );
    void read();
    const timer = setInterval(() => void read(), 2000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, setNetwork]);

  if (!network) {
    return (
      <section className="page" aria-labelledby="network-title">
        <h2 id="network-title">Network</h2>
        {error ? <p className="error" role="alert">{error}</p> : <p className="muted">Loading…</p>}
      </section>
    );
  }
  if (!network.enabled) {
    return (
      <section className="page" aria-labelledby="network-title">
        <h2 id="network-title">Network</h2>
        <p className="muted">
          This proxy runs alone. Add a <code>[cluster]</code> table with <code>redis = "redis://host:port"</code> to
          infrarust.toml to share bans and players with other proxies.
        </p>
      </section>
    );
  }
  return (
    <>
      <section className="page" aria-labelledby="network-title">
        <div className="section-head">
          <h2 id="network-title">Network</h2>
          <span className={`badge ${network.state === 'connected' ? 'badge-network-ok' : 'badge-network-warn'}`}>{STATE_TEXT[network.state]}</span>
        </div>
        {network.state === 'redis-down' && (
          <p className="banner warn" role="alert">
            Redis at {network.redis} is unreachable{network.error ? ` (${network.error})` : ''}
            {network.since !== null ? ` for ${formatDuration(now - network.since)}` : ''}: this proxy serves with its own bans and
            players; bans made meanwhile are kept and shared when Redis returns.
          </p>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <table className="players-table" aria-label="Proxies">
          <thead>
            <tr>
              <th scope="col">Proxy</th>
              <th scope="col">Address</th>
              <th scope="col">Players</th>
              <th scope="col">Last heartbeat</th>
              <th scope="col">Health</th>
            </tr>
          </thead>
          <tbody>
            {network.proxies.map((p) => (
              <tr key={p.id} aria-label={p.id}>
                <th scope="row">
                  {p.id}
                  {p.health === 'self' && <span className="muted small"> (this proxy)</span>}
                </th>
                <td>{p.address}</td>
                <td>{p.players}</td>
                <td>{p.health === 'self' ? '—' : `${formatDuration(now - p.lastHeartbeat)} ago`}</td>
                <td>{p.health === 'late' ? 'late' : 'alive'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="side-panel wide" aria-labelledby="network-players-title">
        <h2 id="network-players-title">
          Network players <span className="count">({players.length})</span>
        </h2>
        {players.length === 0 ? (
          <p className="muted">Nobody online in the network.</p>
        ) : (
          <table className="players-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Proxy</th>
                <th scope="col">Server</th>
                <th scope="col">Address</th>
              </tr>
            </thead>
            <tbody>
              {players.map((p) => (
                <tr key={`${p.proxy}/${p.id}`} aria-label={p.username}>
                  <th scope="row">{p.username}</th>
                  <td>{p.proxy ?? network.proxyId}</td>
                  <td>{p.server ?? 'connecting'}</td>
                  <td>{p.remoteAddr}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <NetworkConsole proxies={network.proxies.map((p) => p.id)} />
      {/* Re-read when the link to Redis changes: a resync may bring bans made elsewhere. */}
      <BansList version={network.since ?? 0} />
    </>
  );
}

function NetworkConsole({ proxies }: { proxies: string[] }) {
  const { api } = usePanel();
  const [line, setLine] = useState('');
  const [target, setTarget] = useState('*');
  const [replies, setReplies] = useState<NetworkCommandReply[] | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const command = line.trim();
    if (!command) return;
    const result = await api
      .runNetworkCommand({ line: command, target })
      .catch((err: Error) => [{ proxy: target, ok: false, output: err.message }]);
    setReplies(result);
  };

  return (
    <section className="side-panel wide" aria-labelledby="network-console-title">
      <h2 id="network-console-title">Run on the network</h2>
      <form className="row" onSubmit={(e) => void submit(e)} aria-label="Network command">
        <label>
          On{' '}
          <select value={target} onChange={(e) => setTarget(e.target.value)} aria-label="Target proxy">
            <option value="*">every proxy</option>
            {proxies.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <input value={line} onChange={(e) => setLine(e.target.value)} aria-label="Command" placeholder="command" />
        <button type="submit">Run</button>
      </form>
      {replies && (
        <ul className="bans" aria-label="Answers">
          {replies.map((r) => (
            <li key={r.proxy} className="row">
              <span className={`badge ${r.ok ? 'badge-network-ok' : 'badge-network-warn'}`}>{r.proxy}</span>
              <span>{r.output || (r.ok ? 'done' : 'failed')}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
