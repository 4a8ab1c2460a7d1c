// What the panel shows live about the running proxy: traffic samples, the contract's events as they fire,
// bans. Plain JSON (no bigint).
import type { PluginMetrics } from './plugin-state';

/** One second of proxy traffic, sampled on the host. */
export interface TrafficSample {
  time: number;
  /** New client connections per second. */
  connectionsPerSec: number;
  /** Bytes per second the proxy received from clients and from backends. */
  bytesFromClientsPerSec: number;
  bytesFromBackendsPerSec: number;
  activeConnections: number;
}

/** A plugin whose non-`none` outcome changed what the proxy does. */
export interface OutcomeChange {
  pluginId: string;
  /** e.g. `denied: "Banned"`, `redirect → lobby`, `replaced the ping response`. */
  outcome: string;
}

/** One contract event as it fired. */
export interface ProxyEventView {
  seq: number;
  time: number;
  /** The contract's event name (`pre-login`, `proxy-ping`, ...). */
  kind: string;
  /** Who and what, in one line. */
  summary: string;
  /** In delivery order; the last one of the event's own kind is the one the proxy honours. */
  changes: OutcomeChange[];
  durationMs: number;
  /** Events left out just before this one because too many fired in that second. */
  skippedBefore?: number;
}

export type BanBy = 'username' | 'uuid' | 'ip';

export interface BanView {
  by: BanBy;
  value: string;
  reason: string | null;
  /** Unix ms; null = permanent. */
  expiresAt: number | null;
  createdAt: number;
  /** Who banned: `panel` or the plugin's id. */
  source: string;
}

export interface MetricsSample extends PluginMetrics {
  time: number;
}

/** Samples kept on the host, so a panel that connects late still draws its charts. */
export interface LiveHistory {
  traffic: TrafficSample[];
  /** Per plugin id, oldest first. */
  metrics: Record<string, MetricsSample[]>;
  /** Newest last. */
  events: ProxyEventView[];
}
