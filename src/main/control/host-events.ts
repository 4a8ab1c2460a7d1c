// What the panel hears from the host without asking: plugin, log, config, server, player and network changes
// as control events, and each event the plugins saw as a line of the live feed.
import type { ConfigStatusView, ControlEvent } from '../../shared/control-api';
import type { PluginLogLine, PluginView, RefusedPluginFile } from '../../shared/plugin-state';
import type { DispatchedEvent, Host, HostLogLine } from '../host/host';
import { asPluginLogLine } from '../host/log-history';
import { eventSummary, outcomeChanges } from './event-description';
import type { LiveFeed } from './live-feed';

export function configView(host: Host): ConfigStatusView {
  return { file: host.configFile, error: host.configError, warnings: host.configWarnings };
}

/** Plugin, log, config, server, player and network changes of the host as control events. */
export function forwardHostEvents(host: Host, emit: (event: ControlEvent) => void): () => void {
  // The manager names a removed plugin by id only; the panel keys plugins by file (ids can change).
  const lastViews = new Map(host.plugins.list().map((p) => [p.file, p]));
  const onState = (plugin: PluginView) => {
    lastViews.set(plugin.file, plugin);
    emit({ type: 'plugin', plugin });
  };
  const onRemoved = (id: string) => {
    host.logHistory.forget(id);
    const remaining = new Set(host.plugins.list().map((p) => p.file));
    for (const view of lastViews.values()) {
      if (view.id !== id || remaining.has(view.file)) continue;
      lastViews.delete(view.file);
      emit({ type: 'plugin-removed', id, file: view.file });
    }
  };
  // The host keeps the history (from its first moment); the panel only relays new lines.
  const onLog = (line: PluginLogLine) => emit({ type: 'log', line });
  const onRefused = (files: RefusedPluginFile[]) => emit({ type: 'refused-files', files });
  const onConfig = () => emit({ type: 'config', config: configView(host) });
  const onServers = () => emit({ type: 'servers', servers: host.servers() });
  // Each server view carries its player count: a player joining or leaving changes it too.
  const onPlayers = () => {
    emit({ type: 'players', players: host.players() });
    emit({ type: 'proxy', status: host.proxyStatus() });
    onServers();
  };
  const onNetwork = () => emit({ type: 'network', network: host.network() });
  // Host and proxy lines travel as log lines of the pseudo-plugins "(host)" and "(proxy)".
  const onHostLog = (line: HostLogLine) => onLog(asPluginLogLine(line));
  host.plugins.on('state', onState);
  host.plugins.on('removed', onRemoved);
  host.plugins.on('refused', onRefused);
  host.plugins.on('log', onLog);
  host.on('config', onConfig);
  host.on('players', onPlayers);
  host.on('servers', onServers);
  host.on('network', onNetwork);
  host.on('log', onHostLog);
  return () => {
    host.plugins.off('state', onState);
    host.plugins.off('removed', onRemoved);
    host.plugins.off('refused', onRefused);
    host.plugins.off('log', onLog);
    host.off('config', onConfig);
    host.off('players', onPlayers);
    host.off('servers', onServers);
    host.off('network', onNetwork);
    host.off('log', onHostLog);
  };
}

/** Each event the plugins saw joins the live feed, described while the players it names are still known. */
export function forwardDispatches(host: Host, live: LiveFeed, hostLog: (level: PluginLogLine['level'], message: string) => void): () => void {
  const onDispatched = ({ event, outcomes, time, durationMs }: DispatchedEvent) => {
    try {
      const changes = outcomeChanges(event, outcomes);
      // Every data packet of a player could be one: only the ones a plugin changed are worth a line.
      if (event.tag === 'raw-packet' && changes.length === 0) return;
      const summary = eventSummary(event, (id) => host.proxy?.players.get(id)?.profile.username);
      live.recordEvent({ time, kind: event.tag, summary, changes, durationMs });
    } catch (err) {
      hostLog('warn', `event feed: cannot describe ${event.tag}: ${(err as Error).message}`);
    }
  };
  host.on('dispatched', onDispatched);
  return () => host.off('dispatched', onDispatched);
}
