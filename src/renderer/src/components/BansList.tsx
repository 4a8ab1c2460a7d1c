// Bans in force, from the same store the plugins' ban-service writes (read when shown and after each change
// made here; a ban a plugin makes shows up on the next refresh).
import { useCallback, useEffect, useState } from 'react';
import type { BanView } from '../../../shared/live-views';
import { usePanel } from '../stores/panel-context';
import { clockTime } from './format';

export function BansList({ version }: { version: number }) {
  const { api } = usePanel();
  const [bans, setBans] = useState<BanView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(() => {
    api.bans().then(
      (list) => {
        setBans(list);
        setError(null);
      },
      (err: Error) => setError(err.message),
    );
  }, [api]);
  useEffect(refresh, [refresh, version]);

  const lift = async (b: BanView) => {
    const result = await api.unban({ by: b.by, value: b.value }).catch((err: Error) => ({ ok: false as const, error: err.message }));
    if (!result.ok) setError(result.error);
    refresh();
  };

  return (
    <section className="side-panel wide" aria-labelledby="bans-title">
      <div className="section-head">
        <h2 id="bans-title">
          Bans <span className="count">({bans?.length ?? 0})</span>
        </h2>
        <button type="button" className="link push-right" onClick={refresh}>
          Refresh
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {bans && bans.length === 0 && <p className="muted">No bans.</p>}
      {bans && bans.length > 0 && (
        <ul className="bans">
          {bans.map((b) => (
            <li key={`${b.by}:${b.value}`} className="row">
              <span className="badge">{b.by}</span>
              <strong>{b.value}</strong>
              {b.reason && <span>“{b.reason}”</span>}
              <span className="muted small">
                {b.expiresAt === null ? 'permanent' : `until ${new Date(b.expiresAt).toLocaleString()}`} · by {b.source} at {clockTime.format(b.createdAt)}
              </span>
              <button type="button" className="link push-right" aria-label={`Unban ${b.value}`} onClick={() => void lift(b)}>
                Unban
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
