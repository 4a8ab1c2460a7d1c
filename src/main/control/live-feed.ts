// The live side of the panel, sampled on the host: traffic once a second (connections/s and bytes/s from
// the proxy's counters), plugin metrics every two seconds, and the contract's events as they fire. Each is
// sent as an event and a short history is kept for panels that connect later.
import type { ControlEvent } from '../../shared/control-api';
import type { LiveHistory, MetricsSample, ProxyEventView, TrafficSample } from '../../shared/live-views';
import type { PluginMetrics } from '../../shared/plugin-state';

export interface TrafficCounters {
  totalConnections: number;
  bytesFromClients: number;
  bytesFromBackends: number;
  activeConnections: number;
}

interface LiveSources {
  /** null while there is no proxy. */
  traffic(): TrafficCounters | null;
  metrics(): PluginMetrics[];
}

export interface LiveFeedOptions {
  trafficMs?: number;
  metricsMs?: number;
  /** Samples kept per series (a minute of traffic, two of metrics). */
  keep?: number;
  /** Events kept for late panels. */
  keepEvents?: number;
  /** More events than this in one second are counted, not sent: a ping flood must not flood the panel. */
  maxEventsPerSec?: number;
  now?: () => number;
}

export class LiveFeed {
  private readonly traffic: TrafficSample[] = [];
  private readonly metrics = new Map<string, MetricsSample[]>();
  private readonly events: ProxyEventView[] = [];
  private last: { time: number; counters: TrafficCounters } | null = null;
  private timers: NodeJS.Timeout[] = [];
  private seq = 0;
  private window = { second: 0, count: 0, skipped: 0 };
  private readonly opts: Required<LiveFeedOptions>;

  constructor(
    private readonly sources: LiveSources,
    private readonly emit: (event: ControlEvent) => void,
    opts: LiveFeedOptions = {},
  ) {
    this.opts = { trafficMs: 1000, metricsMs: 2000, keep: 60, keepEvents: 200, maxEventsPerSec: 50, now: Date.now, ...opts };
  }

  start(): void {
    if (this.timers.length > 0) return;
    this.sampleTraffic();
    this.sampleMetrics();
    // unref: sampling alone never keeps the host process alive.
    this.timers = [setInterval(() => this.sampleTraffic(), this.opts.trafficMs), setInterval(() => this.sampleMetrics(), this.opts.metricsMs)];
    for (const t of this.timers) t.unref();
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  history(): LiveHistory {
    return { traffic: [...this.traffic], metrics: Object.fromEntries([...this.metrics].map(([id, s]) => [id, [...s]])), events: [...this.events] };
  }

  /** Rates over the time since the previous reading; the first reading only sets the baseline. */
  sampleTraffic(): void {
    const counters = this.sources.traffic();
    const time = this.opts.now();
    const previous = this.last;
    this.last = counters && { time, counters };
    if (!counters || !previous || time <= previous.time) return;
    const perSec = (now: number, before: number) => Math.max(0, ((now - before) * 1000) / (time - previous.time));
    const sample: TrafficSample = {
      time,
      connectionsPerSec: perSec(counters.totalConnections, previous.counters.totalConnections),
      bytesFromClientsPerSec: perSec(counters.bytesFromClients, previous.counters.bytesFromClients),
      bytesFromBackendsPerSec: perSec(counters.bytesFromBackends, previous.counters.bytesFromBackends),
      activeConnections: counters.activeConnections,
    };
    push(this.traffic, sample, this.opts.keep);
    this.emit({ type: 'traffic', sample });
  }

  sampleMetrics(): void {
    const time = this.opts.now();
    const samples = this.sources.metrics().map((m): MetricsSample => ({ ...m, time }));
    const present = new Set(samples.map((s) => s.id));
    for (const id of this.metrics.keys()) if (!present.has(id)) this.metrics.delete(id);
    for (const s of samples) {
      const series = this.metrics.get(s.id) ?? [];
      push(series, s, this.opts.keep);
      this.metrics.set(s.id, series);
    }
    this.emit({ type: 'metrics', metrics: samples });
  }

  recordEvent(view: Omit<ProxyEventView, 'seq' | 'skippedBefore'>): void {
    const second = Math.floor(view.time / 1000);
    if (second !== this.window.second) this.window = { second, count: 0, skipped: this.window.skipped };
    if (++this.window.count > this.opts.maxEventsPerSec) {
      this.window.skipped++;
      return;
    }
    const event: ProxyEventView = { ...view, seq: ++this.seq };
    if (this.window.skipped > 0) event.skippedBefore = this.window.skipped;
    this.window.skipped = 0;
    push(this.events, event, this.opts.keepEvents);
    this.emit({ type: 'proxy-event', event });
  }
}

function push<T>(list: T[], item: T, keep: number): void {
  list.push(item);
  if (list.length > keep) list.splice(0, list.length - keep);
}
