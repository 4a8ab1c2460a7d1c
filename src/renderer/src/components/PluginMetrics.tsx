// A plugin's runtime figures, live from the host's samples: events handled, handling time, deadline hits,
// memory against its cap and dropped log lines, with the recent event rate as a sparkline.
import type { ReactNode } from 'react';
import type { MetricsSample } from '../../../shared/live-views';
import { useLive } from '../stores/panel-context';
import { formatBytes, formatMs } from './format';
import { Sparkline } from './Sparkline';

const NO_SAMPLES: MetricsSample[] = [];

export function PluginMetrics({ id }: { id: string }) {
  const series = useLive((s) => s.metrics[id] ?? NO_SAMPLES);
  const m = series.at(-1);
  // Laid out before the first sample arrives (about a second after a plugin starts): a section appearing
  // later would push the log below it down, under the pointer of someone about to open it.
  if (!m) {
    return (
      <section className="plugin-metrics" aria-label="Metrics" aria-busy="true">
        <dl>
          {['events handled', 'mean', 'p99', 'deadline hits', 'memory', 'log lines dropped'].map((term) => (
            <Figure key={term} term={term} value="—">
              {term === 'memory' && <meter className="placeholder" min={0} max={1} value={0} aria-hidden="true" />}
            </Figure>
          ))}
        </dl>
        <Sparkline values={[]} label="events/s" format={String} />
      </section>
    );
  }
  const capped = m.memoryCapBytes > 0;
  return (
    <section className="plugin-metrics" aria-label="Metrics">
      <dl>
        <Figure term="events handled" value={String(m.calls)} />
        <Figure term="mean" value={formatMs(m.meanMs)} />
        <Figure term="p99" value={formatMs(m.p99Ms)} />
        <Figure term="deadline hits" value={String(m.deadlineHits)} warn={m.deadlineHits > 0} />
        <Figure term="memory" value={capped ? `${formatBytes(m.memoryBytes)} of ${formatBytes(m.memoryCapBytes)}` : 'not capped (native)'}>
          {capped && <meter min={0} max={m.memoryCapBytes} high={m.memoryCapBytes * 0.8} value={m.memoryBytes} aria-label="memory in use" />}
        </Figure>
        <Figure term="log lines dropped" value={String(m.logLinesDropped)} warn={m.logLinesDropped > 0} />
      </dl>
      <Sparkline values={ratePerSecond(series)} label="events/s" format={(v) => v.toFixed(v < 10 ? 1 : 0)} />
    </section>
  );
}

function Figure(props: { term: string; value: string; warn?: boolean; children?: ReactNode }) {
  return (
    <div className={props.warn ? 'metric metric-warn' : 'metric'}>
      <dt>{props.term}</dt>
      <dd>
        {props.value}
        {props.children}
      </dd>
    </div>
  );
}

/** Calls between consecutive samples, per second. */
export function ratePerSecond(series: MetricsSample[]): number[] {
  return series.slice(1).map((s, i) => {
    const before = series[i]!;
    const seconds = (s.time - before.time) / 1000;
    return seconds > 0 ? Math.max(0, s.calls - before.calls) / seconds : 0;
  });
}
