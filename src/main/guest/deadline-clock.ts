// One ticking clock for every guest call deadline, like wasmtime's epoch: each tick checks the
// running calls, so a call costs a Map insert and delete rather than a timer of its own, and a
// runaway call is stopped within one tick past its budget.

export class DeadlineClock {
  private readonly running = new Map<number, { at: number; expire: () => void }>();
  private nextId = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly tickMs: number) {}

  /** Calls `expire` once `budgetMs` has passed, unless the returned function is called first. */
  watch(budgetMs: number, expire: () => void): () => void {
    const id = this.nextId++;
    this.running.set(id, { at: performance.now() + budgetMs, expire });
    this.timer ??= setInterval(() => this.tick(), this.tickMs).unref();
    return () => {
      this.running.delete(id);
      if (this.running.size === 0) this.stop();
    };
  }

  private tick(): void {
    const now = performance.now();
    for (const [id, call] of this.running) {
      if (call.at > now) continue;
      this.running.delete(id);
      call.expire();
    }
    if (this.running.size === 0) this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
