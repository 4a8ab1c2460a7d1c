// A server's state badge (a managed server's lifecycle, otherwise the status probe's answer) and, for a
// managed server, its Start / Stop buttons and the last lines it printed.
import { useState } from 'react';
import type { ServerView } from '../../../shared/proxy-views';
import { usePanel } from '../stores/panel-context';

const PROBE_HINT: Record<ServerView['state'], string> = {
  online: 'the status probe got an answer',
  offline: 'no address answered the last status probe (stopped or unreachable)',
  unknown: 'not probed: the file has no good version yet',
};

const MANAGED_HINT = {
  stopped: 'not running: the next player (or Start) starts it',
  starting: 'started: waiting for its ready line',
  running: 'running: the proxy started it',
  stopping: 'asked to stop: killed if it does not exit in time',
  crashed: 'exited on its own or failed to start',
} as const;

export function ServerStateBadge({ server }: { server: ServerView }) {
  const m = server.managed;
  if (!m) {
    return (
      <span className={`badge badge-server-${server.state}`} title={PROBE_HINT[server.state]}>
        {server.state}
      </span>
    );
  }
  const hint = `${MANAGED_HINT[m.state]}${m.pid ? ` (pid ${m.pid})` : ''}${m.lastExit ? `; last run: ${m.lastExit}` : ''}`;
  return (
    <span className={`badge badge-managed-${m.state}`} title={hint}>
      {m.state}
    </span>
  );
}

/** Start or Stop (whichever applies) and Log; nothing for a server the proxy does not manage. */
export function ManagedServerActions({ server, onError }: { server: ServerView; onError: (message: string) => void }) {
  const { api } = usePanel();
  const [busy, setBusy] = useState(false);
  const [log, setLog] = useState<string[] | null>(null);
  const m = server.managed;
  if (!m) return null;
  const running = m.state === 'starting' || m.state === 'running';
  const act = async () => {
    setBusy(true);
    const call = running ? api.stopServer({ id: server.id }) : api.startServer({ id: server.id });
    const result = await call.catch((err: Error) => ({ ok: false as const, error: err.message }));
    setBusy(false);
    if (!result.ok) onError(`${server.id}: ${result.error}`);
  };
  const toggleLog = async () => setLog(log ? null : await api.serverLog({ id: server.id }).catch(() => []));
  return (
    <>
      <button type="button" aria-label={`${running ? 'Stop' : 'Start'} ${server.id}`} disabled={busy || m.state === 'stopping'} onClick={() => void act()}>
        {running ? 'Stop' : 'Start'}
      </button>
      <button type="button" aria-label={`Log of ${server.id}`} aria-expanded={log !== null} onClick={() => void toggleLog()}>
        Log
      </button>
      {log && (
        <pre className="server-log" aria-label={`Output of ${server.id}`}>
          {log.length === 0 ? 'No output yet.' : log.slice(-40).join('\n')}
        </pre>
      )}
    </>
  );
}
