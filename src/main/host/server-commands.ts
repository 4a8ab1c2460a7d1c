// The console's `server start|stop|log <id>` for managed servers (`[server_manager]`), and the one place a
// manager's answer becomes the panel's ActionResult. Any other `server …` line goes on to the plugins'
// commands, so a plugin's own `server` command keeps working.
import type { ActionResult } from '../../shared/control-api';
import type { Proxy } from '../proxy/proxy';
import type { ManageResult } from '../proxy/server-manager';

const ACTIONS = new Set(['start', 'stop', 'log']);
const LOG_LINES = 40;

export function manageAnswer(r: ManageResult): ActionResult {
  return r.ok ? { ok: true } : { ok: false, error: r.message };
}

/** The answer to a managed-server console line, or undefined when the line is not one. */
export async function serverCommand(line: string, proxy: Proxy | null): Promise<{ ok: boolean; output: string } | undefined> {
  const [word, action, id, ...rest] = line.trim().split(/\s+/);
  if (word !== 'server' || action === undefined || !ACTIONS.has(action) || id === undefined || rest.length > 0) return undefined;
  if (!proxy) return { ok: false, output: 'the proxy is not running' };
  const managed = proxy.servers.managed(id);
  if (!managed) return { ok: false, output: proxy.servers.get(id) ? `server "${id}" has no [server_manager] in its file` : `no server "${id}"` };
  if (action === 'log') {
    const lines = proxy.servers.managedLog(id, LOG_LINES) ?? [];
    return { ok: true, output: [`${id}: ${managed.state}${managed.lastExit ? ` (last run: ${managed.lastExit})` : ''}; log file ${managed.logFile}`, ...lines].join('\n') };
  }
  const answer = manageAnswer(await (action === 'start' ? proxy.servers.start(id) : proxy.servers.stop(id)));
  if (!answer.ok) return { ok: false, output: answer.error };
  return { ok: true, output: `${id} is ${proxy.servers.managed(id)?.state ?? 'gone'}` };
}
