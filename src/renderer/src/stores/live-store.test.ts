import { describe, expect, it } from 'vitest';
import type { MetricsSample, TrafficSample } from '../../../shared/live-views';
import { createLiveStore, EVENTS_KEPT, SAMPLES_KEPT } from './live-store';

const traffic = (time: number): TrafficSample => ({ time, connectionsPerSec: 0, bytesFromClientsPerSec: 0, bytesFromBackendsPerSec: 0, activeConnections: 0 });
const metric = (id: string, time: number): MetricsSample => ({ id, time, calls: 0, meanMs: 0, p99Ms: 0, deadlineHits: 0, memoryBytes: 0, memoryCapBytes: 0, logLinesDropped: 0 });

describe('live store', () => {
  it('starts from the host history (events newest first) and keeps bounded series', () => {
    const store = createLiveStore();
    store.getState().reset({ traffic: [traffic(1)], metrics: { a: [metric('a', 1)] }, events: [1, 2].map((seq) => ({ seq, time: seq, kind: 'proxy-ping', summary: '', changes: [], durationMs: 0 })) });
    expect(store.getState().events.map((e) => e.seq)).toEqual([2, 1]);
    for (let t = 2; t < SAMPLES_KEPT + 10; t++) store.getState().applyEvent({ type: 'traffic', sample: traffic(t) });
    expect(store.getState().traffic).toHaveLength(SAMPLES_KEPT);
    expect(store.getState().traffic.at(-1)!.time).toBe(SAMPLES_KEPT + 9);
    for (let seq = 3; seq < EVENTS_KEPT + 10; seq++) store.getState().applyEvent({ type: 'proxy-event', event: { seq, time: seq, kind: 'k', summary: '', changes: [], durationMs: 0 } });
    expect(store.getState().events).toHaveLength(EVENTS_KEPT);
  });

  it('appends metrics per plugin and drops plugins missing from a sample', () => {
    const store = createLiveStore();
    store.getState().applyEvent({ type: 'metrics', metrics: [metric('a', 1), metric('b', 1)] });
    store.getState().applyEvent({ type: 'metrics', metrics: [metric('a', 2)] });
    expect(Object.keys(store.getState().metrics)).toEqual(['a']);
    expect(store.getState().metrics.a!.map((m) => m.time)).toEqual([1, 2]);
  });
});
