// 0.3.0 codec filters that keep trapping for one client address are left out for that address (§4.8):
// five traps within 10 s quarantine the filter for 10 s, doubling with each quarantine up to 5 min.

const QUARANTINE_RULE = { traps: 5, windowMs: 10_000, firstMs: 10_000, maxMs: 5 * 60_000 } as const;

interface Record {
  traps: number[];
  until: number;
  /** The length of the next quarantine. */
  nextMs: number;
}

export class CodecQuarantine {
  private readonly records = new Map<string, Record>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts a trap; the length in ms of the quarantine it put the filter in for the address, else 0. */
  trapped(filterId: string, address: string): number {
    const key = `${filterId}\n${address}`;
    const t = this.now();
    const r = this.records.get(key) ?? { traps: [], until: 0, nextMs: QUARANTINE_RULE.firstMs };
    this.records.set(key, r);
    r.traps = [...r.traps.filter((at) => t - at < QUARANTINE_RULE.windowMs), t];
    if (r.traps.length < QUARANTINE_RULE.traps) return 0;
    const length = r.nextMs;
    r.traps = [];
    r.until = t + length;
    r.nextMs = Math.min(length * 2, QUARANTINE_RULE.maxMs);
    return length;
  }

  /** Milliseconds left of the filter's quarantine for the address (0 when it may run). */
  left(filterId: string, address: string): number {
    const r = this.records.get(`${filterId}\n${address}`);
    return r ? Math.max(0, r.until - this.now()) : 0;
  }

  /** A filter id that is unregistered starts over. */
  forget(filterId: string): void {
    for (const key of this.records.keys()) if (key.startsWith(`${filterId}\n`)) this.records.delete(key);
  }
}
