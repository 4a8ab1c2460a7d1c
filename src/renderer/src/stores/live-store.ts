// The live view of the running proxy: traffic samples, plugin metrics and the event feed, as the host
// sampled them (a history on connect, then one event at a time).
import { createStore } from 'zustand/vanilla';
import type { ControlEvent } from '../../../shared/control-api';
import type { LiveHistory, MetricsSample, ProxyEventView, TrafficSample } from '../../../shared/live-views';

/** Points per chart: a minute of traffic, two of metrics. */
export const SAMPLES_KEPT = 60;
export const EVENTS_KEPT = 200;

export interface LiveState {
  traffic: TrafficSample[];
  /** By plugin id, oldest first. */
  metrics: Record<string, MetricsSample[]>;
  /** Newest first. */
  events: ProxyEventView[];
  reset(history: LiveHistory): void;
  applyEvent(event: ControlEvent): void;
}

export type LiveStore = ReturnType<typeof createLiveStore>;

export function createLiveStore() {
  return createStore<LiveState>()((set) => ({
    traffic: [],
    metrics: {},
    events: [],
    reset: (h) => set({ traffic: h.traffic.slice(-SAMPLES_KEPT), metrics: h.metrics, events: [...h.events].reverse().slice(0, EVENTS_KEPT) }),
    applyEvent(event) {
      switch (event.type) {
        case 'traffic':
          return set((s) => ({ traffic: [...s.traffic, event.sample].slice(-SAMPLES_KEPT) }));
        case 'metrics':
          // Plugins absent from a sample are gone: their series go with them.
          return set((s) => ({ metrics: Object.fromEntries(event.metrics.map((m) => [m.id, [...(s.metrics[m.id] ?? []), m].slice(-SAMPLES_KEPT)])) }));
        case 'proxy-event':
          return set((s) => ({ events: [event.event, ...s.events].slice(0, EVENTS_KEPT) }));
      }
    },
  }));
}
