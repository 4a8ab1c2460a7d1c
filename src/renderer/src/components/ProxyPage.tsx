// The running proxy: where it listens and for how long, live traffic, players with their actions, bans and
// the event feed.
import { useReducer } from 'react';
import { useHost } from '../stores/panel-context';
import { BansList } from './BansList';
import { EventFeed } from './EventFeed';
import { formatDuration, useNow } from './format';
import { LivePlayers } from './LivePlayers';
import { TrafficCharts } from './TrafficCharts';

export function ProxyPage() {
  const proxy = useHost((s) => s.proxy);
  const now = useNow();
  const [bansVersion, bansChanged] = useReducer((n: number) => n + 1, 0);
  return (
    <>
      <section className="page proxy-page" aria-labelledby="proxy-page-title">
        <div className="section-head">
          <h2 id="proxy-page-title">Proxy</h2>
        </div>
        <dl className="proxy-facts">
          <div>
            <dt>Listening on</dt>
            <dd>{proxy.running ? (proxy.address ?? '?') : 'not running'}</dd>
          </div>
          <div>
            <dt>Uptime</dt>
            <dd>{proxy.running && proxy.startedAt !== null ? formatDuration(now - proxy.startedAt) : '—'}</dd>
          </div>
          <div>
            <dt>Open connections</dt>
            <dd>{proxy.connections}</dd>
          </div>
        </dl>
        <TrafficCharts />
      </section>
      <LivePlayers onBanned={bansChanged} />
      <BansList version={bansVersion} />
      <EventFeed />
    </>
  );
}
