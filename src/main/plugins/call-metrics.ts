// Per-plugin call statistics (events handled, mean and p99 handling time), kept over a sliding window.

const WINDOW = 512;

export interface CallStats {
  calls: number;
  meanMs: number;
  p99Ms: number;
  deadlineHits: number;
}

export class CallMetrics {
  private readonly samples = new Map<string, { calls: number; recent: number[]; deadlineHits: number }>();

  private of(pluginId: string) {
    let s = this.samples.get(pluginId);
    if (!s) this.samples.set(pluginId, (s = { calls: 0, recent: [], deadlineHits: 0 }));
    return s;
  }

  record(pluginId: string, ms: number): void {
    const s = this.of(pluginId);
    s.calls++;
    s.recent.push(ms);
    if (s.recent.length > WINDOW) s.recent.shift();
  }

  deadlineHit(pluginId: string): void {
    this.of(pluginId).deadlineHits++;
  }

  stats(pluginId: string): CallStats {
    const s = this.samples.get(pluginId);
    if (!s || s.recent.length === 0) return { calls: 0, meanMs: 0, p99Ms: 0, deadlineHits: s?.deadlineHits ?? 0 };
    const sorted = [...s.recent].sort((a, b) => a - b);
    return {
      deadlineHits: s.deadlineHits,
      calls: s.calls,
      meanMs: sorted.reduce((a, b) => a + b, 0) / sorted.length,
      p99Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!,
    };
  }
}
