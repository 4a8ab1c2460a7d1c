import { describe, expect, it } from 'vitest';
import type { ControlEvent } from '../../shared/control-api';
import type { PluginMetrics } from '../../shared/plugin-state';
import { LiveFeed, type TrafficCounters } from './live-feed';

function feed(opts: { keep?: number; maxEventsPerSec?: number } = {}) {
  let now = 10_000;
  let counters: TrafficCounters | null = { totalConnections: 0, bytesFromClients: 0, bytesFromBackends: 0, activeConnections: 0 };
  let metrics: PluginMetrics[] = [];
  const events: ControlEvent[] = [];
  const live = new LiveFeed({ traffic: () => counters, metrics: () => metrics }, (e) => events.push(e), { ...opts, now: () => now });
  return {
    live,
    events,
    tick: (ms: number, next: TrafficCounters | null) => {
      now += ms;
      counters = next;
      live.sampleTraffic();
    },
    setMetrics: (m: PluginMetrics[]) => (metrics = m),
    at: (t: number) => (now = t),
  };
}

const metric = (id: string, calls: number): PluginMetrics => ({ id, calls, meanMs: 1, p99Ms: 2, deadlineHits: 0, memoryBytes: 1024, memoryCapBytes: 4096, logLinesDropped: 0 });

describe('LiveFeed', () => {
  it('turns the proxy counters into per-second rates; the first reading is only a baseline', () => {
    const f = feed();
    f.live.sampleTraffic();
    expect(f.events).toEqual([]);
    f.tick(500, { totalConnections: 3, bytesFromClients: 1000, bytesFromBackends: 4000, activeConnections: 2 });
    expect(f.events).toEqual([
      { type: 'traffic', sample: { time: 10_500, connectionsPerSec: 6, bytesFromClientsPerSec: 2000, bytesFromBackendsPerSec: 8000, activeConnections: 2 } },
    ]);
    // No proxy for a while: no sample, and the next reading starts a new baseline.
    f.tick(1000, null);
    f.tick(1000, { totalConnections: 10, bytesFromClients: 0, bytesFromBackends: 0, activeConnections: 0 });
    expect(f.events).toHaveLength(1);
  });

  it('keeps a bounded history per series and forgets plugins that are gone', () => {
    const f = feed({ keep: 2 });
    f.setMetrics([metric('a', 1), metric('b', 1)]);
    f.live.sampleMetrics();
    f.setMetrics([metric('a', 2)]);
    f.live.sampleMetrics();
    f.setMetrics([metric('a', 3)]);
    f.live.sampleMetrics();
    const { metrics } = f.live.history();
    expect(Object.keys(metrics)).toEqual(['a']);
    expect(metrics.a!.map((m) => m.calls)).toEqual([2, 3]);
    expect(f.events.at(-1)).toEqual({ type: 'metrics', metrics: [{ ...metric('a', 3), time: 10_000 }] });
  });

  it('numbers events and, past the per-second cap, counts the ones it leaves out', () => {
    const f = feed({ maxEventsPerSec: 2 });
    const fire = (time: number) => f.live.recordEvent({ time, kind: 'proxy-ping', summary: 'ping', changes: [], durationMs: 0.1 });
    [1000, 1100, 1200, 1300, 2500].forEach(fire);
    const sent = f.events.flatMap((e) => (e.type === 'proxy-event' ? [e.event] : []));
    expect(sent.map((e) => [e.seq, e.time, e.skippedBefore])).toEqual([
      [1, 1000, undefined],
      [2, 1100, undefined],
      [3, 2500, 2],
    ]);
    expect(f.live.history().events).toEqual(sent);
  });
});
