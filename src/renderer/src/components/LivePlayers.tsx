// Who is online right now, with the actions an admin needs: disconnect, or ban (by name, uuid or ip) through
// the proxy's ban store, which also disconnects them; players of the decoding modes (offline, client_only)
// can also be sent a message or moved to another server.
import { Fragment, useId, useState, type FormEvent } from 'react';
import type { ActionResult } from '../../../shared/control-api';
import type { BanBy } from '../../../shared/live-views';
import { isDecodedMode } from '../../../shared/proxy-modes';
import type { PlayerView } from '../../../shared/proxy-views';
import { useHost, usePanel } from '../stores/panel-context';
import { clockTime, formatDuration, useNow } from './format';

const DURATIONS: { label: string; minutes: number | undefined }[] = [
  { label: 'permanent', minutes: undefined },
  { label: '1 hour', minutes: 60 },
  { label: '1 day', minutes: 1440 },
  { label: '7 days', minutes: 10080 },
];

export function LivePlayers({ onBanned }: { onBanned(): void }) {
  const { api } = usePanel();
  const players = useHost((s) => s.players);
  // Cluster mode: the list is the network's, so say which proxy holds each player.
  const clustered = players.some((p) => p.proxy !== undefined);
  const now = useNow();
  const servers = useHost((s) => s.servers);
  const [banning, setBanning] = useState<string | null>(null);
  /** The open inline form: which player, and which action. */
  const [open, setOpen] = useState<{ id: string; action: 'message' | 'move' } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const act = async (run: () => Promise<ActionResult>) => {
    setError(null);
    const result = await run().catch((err: Error) => ({ ok: false as const, error: err.message }));
    if (!result.ok) setError(result.error);
    return result.ok;
  };

  return (
    <section className="side-panel wide" aria-labelledby="live-players-title">
      <h2 id="live-players-title">
        Players <span className="count">({players.length})</span>
      </h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {players.length === 0 ? (
        <p className="muted">Nobody online.</p>
      ) : (
        <table className="players-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">UUID</th>
              <th scope="col">Address</th>
              <th scope="col">Server</th>
              <th scope="col">Mode</th>
              {clustered && <th scope="col">Proxy</th>}
              <th scope="col">Connected since</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {players.map((p) => (
              <Fragment key={p.id}>
                <tr aria-label={p.username}>
                  <th scope="row">{p.username}</th>
                  <td>
                    <code className="small uuid">{p.uuid}</code>
                  </td>
                  <td>{p.remoteAddr}</td>
                  <td>{p.server ?? 'connecting'}</td>
                  <td>{p.mode}</td>
                  {clustered && <td>{p.proxy}</td>}
                  <td>
                    <time dateTime={new Date(p.connectedAt).toISOString()}>{clockTime.format(p.connectedAt)}</time>{' '}
                    <span className="muted small">({formatDuration(now - p.connectedAt)})</span>
                  </td>
                  <td className="actions">
                    {(['message', 'move'] as const).map((action) => (
                      <button
                        key={action}
                        type="button"
                        aria-label={`${action === 'message' ? 'Message' : 'Move'} ${p.username}`}
                        disabled={!isDecodedMode(p.mode)}
                        title={isDecodedMode(p.mode) ? undefined : 'needs proxy_mode "offline" or "client_only" (passthrough does not decode)'}
                        onClick={() => setOpen({ id: p.id, action })}
                      >
                        {action === 'message' ? 'Message…' : 'Move…'}
                      </button>
                    ))}
                    <button type="button" aria-label={`Disconnect ${p.username}`} onClick={() => void act(() => api.disconnectPlayer({ id: p.id }))}>
                      Disconnect
                    </button>
                    <button type="button" className="danger" aria-label={`Ban ${p.username}`} onClick={() => setBanning(p.id)}>
                      Ban…
                    </button>
                  </td>
                </tr>
                {open?.id === p.id && (
                  <tr className="ban-row">
                    <td colSpan={7}>
                      <PlayerActionForm
                        player={p}
                        action={open.action}
                        servers={servers.map((s) => s.id).filter((id) => id !== p.server)}
                        onCancel={() => setOpen(null)}
                        onSubmit={async (value) => {
                          const ok = await act(() => (open.action === 'message' ? api.messagePlayer({ id: p.id, message: value }) : api.movePlayer({ id: p.id, server: value })));
                          if (ok) setOpen(null);
                        }}
                      />
                    </td>
                  </tr>
                )}
                {banning === p.id && (
                  <tr className="ban-row">
                    <td colSpan={clustered ? 8 : 7}>
                      <BanForm
                        player={p}
                        onCancel={() => setBanning(null)}
                        onBan={async (by, reason, minutes) => {
                          const ok = await act(() => api.banPlayer({ id: p.id, by, reason, durationMinutes: minutes }));
                          if (!ok) return;
                          setBanning(null);
                          onBanned();
                        }}
                      />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function PlayerActionForm(props: { player: PlayerView; action: 'message' | 'move'; servers: string[]; onCancel(): void; onSubmit(value: string): Promise<void> }) {
  const [value, setValue] = useState(props.action === 'move' ? (props.servers[0] ?? '') : '');
  const [busy, setBusy] = useState(false);
  const id = useId();
  const label = props.action === 'message' ? `Message ${props.player.username}` : `Move ${props.player.username}`;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (value.trim() === '') return;
    setBusy(true);
    await props.onSubmit(value);
    setBusy(false);
  };
  return (
    <form className="confirm ban-form" aria-label={label} onSubmit={(e) => void submit(e)}>
      <label htmlFor={id}>{props.action === 'message' ? 'Message' : 'To server'}</label>
      {props.action === 'message' ? (
        <input id={id} value={value} onChange={(e) => setValue(e.target.value)} placeholder="shown in their chat" autoFocus />
      ) : (
        <select id={id} value={value} onChange={(e) => setValue(e.target.value)}>
          {props.servers.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      )}
      <div className="confirm-actions">
        <button type="submit" className="primary" disabled={busy || value.trim() === ''}>
          {props.action === 'message' ? 'Send' : 'Move player'}
        </button>
        <button type="button" onClick={props.onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function BanForm(props: { player: PlayerView; onCancel(): void; onBan(by: BanBy, reason: string, minutes: number | undefined): Promise<void> }) {
  const [by, setBy] = useState<BanBy>('username');
  const [reason, setReason] = useState('');
  const [duration, setDuration] = useState(0);
  const [busy, setBusy] = useState(false);
  const ids = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    await props.onBan(by, reason, DURATIONS[duration]!.minutes);
    setBusy(false);
  };
  return (
    <form className="confirm ban-form" aria-label={`Ban ${props.player.username}`} onSubmit={(e) => void submit(e)}>
      <label htmlFor={`${ids}-by`}>Ban by</label>
      <select id={`${ids}-by`} value={by} onChange={(e) => setBy(e.target.value as BanBy)}>
        <option value="username">name ({props.player.username})</option>
        <option value="uuid">uuid</option>
        <option value="ip">ip ({props.player.remoteAddr.replace(/:\d+$/, '')})</option>
      </select>
      <label htmlFor={`${ids}-reason`}>Reason</label>
      <input id={`${ids}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="shown when they try again" />
      <label htmlFor={`${ids}-for`}>Duration</label>
      <select id={`${ids}-for`} value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
        {DURATIONS.map((d, i) => (
          <option key={d.label} value={i}>
            {d.label}
          </option>
        ))}
      </select>
      <div className="confirm-actions">
        <button type="submit" className="danger" disabled={busy}>
          Ban player
        </button>
        <button type="button" onClick={props.onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
