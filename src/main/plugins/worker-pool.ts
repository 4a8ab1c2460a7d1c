// Guest workers for WASM plugins: booted on demand, plus one spare booted ahead of need so a hot deploy
// into a running host skips the ~50 ms worker boot. Every worker shares one deadline clock.
import type { WasmLimits } from '../config/types';
import { DeadlineClock } from '../guest/deadline-clock';
import { GuestProcess, type GuestHandlers } from '../guest/guest-process';

export class WorkerPool {
  private deadlineClock: DeadlineClock | null = null;
  private spare: { key: string; guest: Promise<GuestProcess> } | null = null;
  /** While true no spare is booted: start-up loads boot their own workers, and a stopping host none. */
  paused = false;
  private closed = false;

  constructor(private readonly limits: () => WasmLimits) {}

  /** A worker for a plugin: the spare when it fits, else a fresh one; a new spare follows. */
  take(importsWasi: boolean, handlers: GuestHandlers): Promise<GuestProcess> {
    const fresh = () => this.boot(importsWasi, handlers);
    const spare = this.takeSpare();
    const guest = spare ? spare.then((g) => (g.dead ? fresh() : (g.adopt(handlers), g)), fresh) : fresh();
    this.bootSpare();
    return guest;
  }

  bootSpare(): void {
    if (this.spare || this.closed || this.paused) return;
    const idle: GuestHandlers = {
      onHostCall: () => {
        throw new Error('no plugin runs in this worker yet');
      },
      onLog: () => undefined,
    };
    const guest = this.boot(false, idle).then((g) => (g.idle(), g));
    guest.catch(() => undefined); // a failed spare is replaced by a fresh boot when taken
    this.spare = { key: this.spareKey(), guest };
  }

  /** Stops the spare and boots no other. */
  async close(): Promise<void> {
    this.closed = true;
    await this.takeSpare()?.then((g) => g.terminate(), () => undefined);
  }

  private boot(importsWasi: boolean, handlers: GuestHandlers): Promise<GuestProcess> {
    const limits = this.limits();
    return GuestProcess.start({
      importsWasi,
      memoryLimitMb: limits.memoryLimitMb,
      logLinesPerSecond: limits.logLinesPerSecond,
      clock: this.clock(),
      ...handlers,
    });
  }

  /** Limits are fixed at boot: a spare only serves the settings it was booted with. */
  private spareKey(): string {
    const { memoryLimitMb, logLinesPerSecond, deadlineTickMs } = this.limits();
    return `${memoryLimitMb}/${logLinesPerSecond}/${deadlineTickMs}`;
  }

  private takeSpare(): Promise<GuestProcess> | null {
    const spare = this.spare;
    this.spare = null;
    if (!spare) return null;
    if (spare.key === this.spareKey()) return spare.guest;
    void spare.guest.then((g) => g.terminate(), () => undefined);
    return null;
  }

  /** Shared by every guest; replaced when the configured tick changes. */
  private clock(): DeadlineClock {
    const tick = this.limits().deadlineTickMs;
    if (this.deadlineClock?.tickMs !== tick) this.deadlineClock = new DeadlineClock(tick);
    return this.deadlineClock;
  }
}
