// The 0.3.0 fault model (§4.9): after a fault the plugin is enabled again in a fresh instance, told why
// through on-enable(recovered{attempt, cause}). At most 5 restarts in 5 minutes; past that it is
// quarantined for 1 s, doubling up to 5 minutes, before the next attempt. (0.2.3 plugins are poisoned
// instead: see fault-model.ts.)

export const RESTART_BUDGET = { restarts: 5, windowMs: 5 * 60_000 } as const;
export const QUARANTINE = { firstMs: 1000, maxMs: 5 * 60_000 } as const;

export type RecoveryStep = { kind: 'restart'; attempt: number } | { kind: 'quarantine'; ms: number; attempt: number };

export class Recovery {
  /** Fresh instances made so far; the first is generation 1. Never reset. */
  private generation = 1;
  private restarts: number[] = [];
  private quarantineMs = 0;
  /** The pending restart, while recovering or quarantined. */
  timer: NodeJS.Timeout | null = null;
  /** When the pending restart runs (ms since epoch), for plugin-registry's health. */
  nextAt: number | null = null;
  quarantined = false;

  /** What follows a fault at `now`: the attempt number of the next instance and when it comes. */
  next(now: number): RecoveryStep {
    this.restarts = this.restarts.filter((t) => now - t < RESTART_BUDGET.windowMs);
    const attempt = this.generation;
    this.generation++;
    if (this.restarts.length < RESTART_BUDGET.restarts) {
      this.restarts.push(now);
      return { kind: 'restart', attempt };
    }
    this.quarantineMs = this.quarantineMs === 0 ? QUARANTINE.firstMs : Math.min(this.quarantineMs * 2, QUARANTINE.maxMs);
    return { kind: 'quarantine', ms: this.quarantineMs, attempt };
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextAt = null;
    this.quarantined = false;
  }
}

/** The fault text a recovered instance is told (§4.9 `cause`). */
export function recoveryCause(kind: string, message: string): string {
  if (kind === 'cpu-deadline') return `the call ran past cpu_budget: ${message}`;
  if (kind === 'memory') return `the guest ran out of memory: ${message}`;
  if (kind === 'host-error') return `a host call failed: ${message}`;
  return `the guest trapped: ${message}`;
}
