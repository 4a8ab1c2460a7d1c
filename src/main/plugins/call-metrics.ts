// Per-plugin call statistics (events handled, mean and p99 handling time), kept over a sliding window.

const WINDOW = 512;

export interface CallStats {
  calls: number;
  meanMs: number;
  p99Ms: number;
}

export class CallMetrics {
  private readonly samples = new Map<string, { calls: number; recent: number[] }>();

  record(pluginId: string, ms: number): void {
    const s = this.samples.get(pluginId) ?? { calls: 0, recent: [] };
    s.calls++;
    s.recent.push(ms);
    if (s.recent.length > WINDOW) s.recent.shift();
    this.samples.set(pluginId, s);
  }

  forget(pluginId: string): void {
    this.samples.delete(pluginId);
  }

  stats(pluginId: string): CallStats {
    const s = this.samples.get(pluginId);
    if (!s || s.recent.length === 0) return { calls: 0, meanMs: 0, p99Ms: 0 };
    const sorted = [...s.recent].sort((a, b) => a - b);
    return {
      calls: s.calls,
      meanMs: sorted.reduce((a, b) => a + b, 0) / sorted.length,
      p99Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!,
    };
  }
}
