// Connections per second and bytes per second, from the host's once-a-second traffic samples.
import { useLive } from '../stores/panel-context';
import { formatBytes } from './format';
import { Sparkline } from './Sparkline';

export function TrafficCharts() {
  const traffic = useLive((s) => s.traffic);
  return (
    <section className="traffic" aria-label="Traffic">
      <Sparkline values={traffic.map((t) => t.connectionsPerSec)} label="connections/s" format={(v) => v.toFixed(v < 10 ? 1 : 0)} />
      <Sparkline values={traffic.map((t) => t.bytesFromClientsPerSec)} label="from clients" format={(v) => `${formatBytes(v)}/s`} />
      <Sparkline values={traffic.map((t) => t.bytesFromBackendsPerSec)} label="from backends" format={(v) => `${formatBytes(v)}/s`} />
    </section>
  );
}
