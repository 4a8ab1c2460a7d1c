// The panel's layout: status on top, the page picked in the navigation (plugins by default, servers, proxy)
// in the middle, servers, players and console beside them.
import { useEffect, useMemo, useState } from 'react';
import type { PluginLogLine } from '../../../shared/plugin-state';
import { useHost, usePlugins } from '../stores/panel-context';
import { ConfigProblems } from './ConfigProblems';
import { Console } from './Console';
import { PlayersList } from './PlayersList';
import { PluginLog } from './PluginLog';
import { PluginsPage } from './PluginsPage';
import { NetworkPage } from './NetworkPage';
import { ProxyPage } from './ProxyPage';
import { ServersList } from './ServersList';
import { ServersPage } from './ServersPage';
import { StatusStrip } from './StatusStrip';

const NO_LINES: PluginLogLine[] = [];

const PAGES = [
  { id: 'plugins', label: 'Plugins' },
  { id: 'servers', label: 'Servers' },
  { id: 'proxy', label: 'Proxy' },
  { id: 'network', label: 'Network' },
] as const;
type Page = (typeof PAGES)[number]['id'];

/** The page named by the URL's hash (`#servers`), so a reload or a link keeps it. */
function pageOf(hash: string): Page {
  return PAGES.find((p) => `#${p.id}` === hash)?.id ?? 'plugins';
}

export function App() {
  const loadError = useHost((s) => s.loadError);
  const hostLines = usePlugins((s) => s.logs['(host)'] ?? NO_LINES);
  const proxyLines = usePlugins((s) => s.logs['(proxy)'] ?? NO_LINES);
  const lines = useMemo(() => [...hostLines, ...proxyLines].sort((a, b) => a.time - b.time), [hostLines, proxyLines]);
  const [page, setPage] = useState<Page>(() => pageOf(window.location.hash));
  const network = useHost((s) => s.network);
  useEffect(() => {
    const onHash = () => setPage(pageOf(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return (
    <div className="app">
      <header className="topbar">
        <h1>
          Infrarust <span>Desktop</span>
        </h1>
        <nav className="page-nav" aria-label="Pages">
          {PAGES.map((p) => (
            <a key={p.id} href={`#${p.id}`} aria-current={page === p.id ? 'page' : undefined} onClick={() => setPage(p.id)}>
              {p.label}
            </a>
          ))}
        </nav>
        <StatusStrip />
      </header>
      {loadError && (
        <p className="banner error" role="alert">
          Could not read the host's state: {loadError}
        </p>
      )}
      {network?.state === 'redis-down' && page !== 'network' && (
        <p className="banner warn" role="alert">
          Redis is unreachable: this proxy serves with its own bans and players (see Network).
        </p>
      )}
      <div className="layout">
        <main>
          <ConfigProblems />
          {page === 'plugins' && <PluginsPage />}
          {page === 'servers' && <ServersPage />}
          {page === 'proxy' && <ProxyPage />}
          {page === 'network' && <NetworkPage />}
        </main>
        <aside>
          {/* The full versions of these two are pages of their own: one copy on screen at a time. */}
          {page !== 'servers' && <ServersList />}
          {page !== 'proxy' && <PlayersList />}
          <Console />
          <section className="side-panel" aria-label="Host log">
            <PluginLog lines={lines} title="Host log" />
          </section>
        </aside>
      </div>
    </div>
  );
}
