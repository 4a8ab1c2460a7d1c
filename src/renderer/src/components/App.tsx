// The panel's layout: status on top, plugins in the middle, servers, players and console beside them.
import { useMemo } from 'react';
import type { PluginLogLine } from '../../../shared/plugin-state';
import { useHost, usePlugins } from '../stores/panel-context';
import { ConfigProblems } from './ConfigProblems';
import { Console } from './Console';
import { PlayersList } from './PlayersList';
import { PluginLog } from './PluginLog';
import { PluginsPage } from './PluginsPage';
import { ServersList } from './ServersList';
import { StatusStrip } from './StatusStrip';

const NO_LINES: PluginLogLine[] = [];

export function App() {
  const loadError = useHost((s) => s.loadError);
  const hostLines = usePlugins((s) => s.logs['(host)'] ?? NO_LINES);
  const proxyLines = usePlugins((s) => s.logs['(proxy)'] ?? NO_LINES);
  const lines = useMemo(() => [...hostLines, ...proxyLines].sort((a, b) => a.time - b.time), [hostLines, proxyLines]);
  return (
    <div className="app">
      <header className="topbar">
        <h1>
          Infrarust <span>Desktop</span>
        </h1>
        <StatusStrip />
      </header>
      {loadError && (
        <p className="banner error" role="alert">
          Could not read the host's state: {loadError}
        </p>
      )}
      <div className="layout">
        <main>
          <ConfigProblems />
          <PluginsPage />
        </main>
        <aside>
          <ServersList />
          <PlayersList />
          <Console />
          <section className="side-panel" aria-label="Host log">
            <PluginLog lines={lines} title="Host log" />
          </section>
        </aside>
      </div>
    </div>
  );
}
