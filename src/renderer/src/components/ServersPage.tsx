// Every route from servers_dir: domains, addresses, mode, live state (the status probe's, or a managed
// server's lifecycle with Start / Stop and its output) and players on it, with a form to add, edit and
// remove routes. A file that does not parse shows where, and the version that still routes.
import { useState } from 'react';
import type { RouteSettings } from '../../../shared/route-rules';
import { useHost, usePanel } from '../stores/panel-context';
import { ManagedServerActions, ServerStateBadge } from './ManagedServer';
import { EMPTY_ROUTE, RouteForm } from './RouteForm';

type Editing = { route: RouteSettings; creating: boolean } | null;

export function ServersPage() {
  const { api } = usePanel();
  const servers = useHost((s) => s.servers);
  const [editing, setEditing] = useState<Editing>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const edit = async (id: string) => {
    setError(null);
    setNotice(null);
    const route = await api.serverSettings({ id }).catch(() => null);
    if (route) setEditing({ route, creating: false });
    else setError(`${id} has no good version to edit: fix servers/${id}.toml by hand, or remove it`);
  };

  const remove = async (id: string) => {
    setRemoving(null);
    setNotice(null);
    const result = await api.removeServer({ id }).catch((err: Error) => ({ ok: false as const, error: err.message }));
    if (result.ok) setNotice(`Removed servers/${id}.toml`);
    else setError(result.error);
  };

  const done = (message: string) => {
    setEditing(null);
    setNotice(message);
  };

  return (
    <section className="page servers-page" aria-labelledby="servers-page-title">
      <div className="section-head">
        <h2 id="servers-page-title">Servers</h2>
        <span className="muted">{servers.length === 1 ? '1 route' : `${servers.length} routes`}</span>
        <button type="button" className="primary push-right" disabled={editing?.creating} onClick={() => {
            setNotice(null);
            setEditing({ route: EMPTY_ROUTE, creating: true });
          }}>
          Add route
        </button>
      </div>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <div className="error" role="alert">
          <span>{error}</span>
          <button type="button" className="link" onClick={() => setError(null)}>
            Dismiss
          </button>
        </div>
      )}
      {editing && (
        <RouteForm key={`${editing.route.id}-${editing.creating}`} initial={editing.route} creating={editing.creating} onDone={done} onCancel={() => setEditing(null)} />
      )}
      {servers.length === 0 ? (
        <p className="empty">No routes yet. Add one to send a host name to a backend server.</p>
      ) : (
        <table className="routes">
          <thead>
            <tr>
              <th scope="col">Server</th>
              <th scope="col">Domains</th>
              <th scope="col">Addresses</th>
              <th scope="col">Mode</th>
              <th scope="col">State</th>
              <th scope="col">Players</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {servers.map((s) => (
              <tr key={s.id} aria-label={s.id}>
                <th scope="row">
                  <code>{s.id}</code>
                  {s.problem && (
                    <p className="reason reason-failed small" role="alert">
                      {s.problem}
                      {s.domains.length > 0 && ' — the last good version stays in force'}
                    </p>
                  )}
                </th>
                <td>{s.domains.join(', ') || '—'}</td>
                <td>{s.addresses.join(', ') || '—'}</td>
                <td>{s.proxyMode || '—'}</td>
                <td>
                  <ServerStateBadge server={s} />
                </td>
                <td>{s.players}</td>
                <td className="actions">
                  <ManagedServerActions server={s} onError={setError} />
                  <button type="button" aria-label={`Edit ${s.id}`} onClick={() => void edit(s.id)}>
                    Edit
                  </button>
                  <button type="button" className="danger" aria-label={`Remove ${s.id}`} onClick={() => setRemoving(s.id)}>
                    Remove
                  </button>
                  {removing === s.id && (
                    <div className="confirm" role="group" aria-label={`Remove route ${s.id}`}>
                      <p>
                        Delete <code>servers/{s.id}.toml</code>? New connections to its domains stop at once; players on it stay connected.
                      </p>
                      <div className="confirm-actions">
                        <button type="button" className="danger" onClick={() => void remove(s.id)}>
                          Remove route
                        </button>
                        <button type="button" onClick={() => setRemoving(null)}>
                          Cancel
                        </button>
                      </div>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
