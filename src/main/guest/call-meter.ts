// How long the guest itself has run in the call under way, measured inside its worker (§4.8's
// `codec_cpu_budget`): not the crossing, not the queue, not the time the thread spent descheduled on a busy
// machine. The worker writes a few numbers into a small shared buffer; the main thread's deadline clock
// reads them to decide whether to cut a call that is still running (terminating the worker), and the
// worker itself checks each finished call, so a call past the budget is cut even between two ticks.
//
// CPU time is the thread's own (`/proc/<pid>/task/<tid>/schedstat`, nanoseconds on CPU; the worker brings its
// own figure up to date before reading it, see cpu()). Reading it costs a syscall (~2–3 µs), so the worker
// reads it once per crossing and again only for a call whose wall time passed the budget: the guest's CPU
// time in call k of a crossing is at least
//   cpu(now) − cpu(crossing start) − (wall at call start − wall at crossing start),
// since whatever ran in the crossing before the call used at most its wall time. The main thread's reading
// of the worker's figure may lag by a scheduler tick: that can only make a cut later, never wrong. Where
// /proc is missing (macOS, Windows) the wall time inside the worker is the measure.
import { closeSync, openSync, readFileSync, readlinkSync, readSync } from 'node:fs';

// Float64 slots of the meter's buffer.
const BUDGET_MS = 0; // the current call's budget (written by the main thread), 0: unmetered
const CROSSING_WALL = 1;
const CROSSING_CPU = 2; // NaN without a thread clock
const CALL_WALL = 3; // 0 while no guest call runs
const THREAD_ID = 4; // the worker thread's id (0 unknown)

const METER_BYTES = 5 * 8;

const wallNow = (): number => performance.timeOrigin + performance.now();

function parseSchedstat(text: string): number {
  return Number(text.slice(0, text.indexOf(' '))) / 1e6;
}

/** The worker's side: marks crossings and guest calls, and judges each finished call against the budget. */
export class WorkerMeter {
  private readonly slots: Float64Array;
  private readonly fd: number | null;
  private readonly buf = Buffer.alloc(96);

  constructor(sab: SharedArrayBuffer) {
    this.slots = new Float64Array(sab);
    this.fd = openThreadClock();
    if (this.fd !== null) this.slots[THREAD_ID] = threadId();
  }

  /** The thread's CPU time in ms, or NaN without a thread clock. */
  cpu(): number {
    if (this.fd === null) return NaN;
    // /proc's figure advances only at scheduler ticks (4 ms at HZ=250) unless something brings it up to date:
    // getrusage(RUSAGE_SELF), behind cpuUsage(), does that for the calling thread (~1 µs). Without it a
    // 1 ms call could read as 5 and be cut.
    process.cpuUsage();
    const n = readSync(this.fd, this.buf, 0, this.buf.length, 0);
    return parseSchedstat(this.buf.toString('latin1', 0, n));
  }

  get budgetMs(): number {
    return this.slots[BUDGET_MS]!;
  }

  /** A request from the main thread starts (one or many guest calls). */
  crossing(): void {
    if (this.budgetMs <= 0) return;
    this.slots[CROSSING_WALL] = wallNow();
    this.slots[CROSSING_CPU] = this.cpu();
  }

  callStarted(): void {
    if (this.budgetMs > 0) this.slots[CALL_WALL] = wallNow();
  }

  /** The guest's call returned: true when it ran past the budget (it is then treated as cut). */
  callEnded(): boolean {
    const budget = this.budgetMs;
    if (budget <= 0) return false;
    const wall = wallNow() - this.slots[CALL_WALL]!;
    const over = wall > budget && guestMs(this.slots, this.cpu(), wall) > budget;
    this.slots[CALL_WALL] = 0;
    return over;
  }
}

/** The main thread's side of one worker's meter. */
export class MainMeter {
  readonly sab = new SharedArrayBuffer(METER_BYTES);
  private readonly slots = new Float64Array(this.sab);
  private statPath: string | null | undefined;

  /** Sets the budget of the next calls (0: unmetered). */
  set budgetMs(ms: number) {
    this.slots[BUDGET_MS] = ms;
  }

  /** How long the guest has run in the call under way, or null while no guest call runs. */
  guestMs(): number | null {
    const start = this.slots[CALL_WALL]!;
    if (start === 0) return null;
    const wall = wallNow() - start;
    return guestMs(this.slots, this.threadCpu(), wall);
  }

  private threadCpu(): number {
    if (this.statPath === undefined) {
      const tid = this.slots[THREAD_ID]!;
      this.statPath = tid > 0 ? `/proc/self/task/${tid}/schedstat` : null;
    }
    if (this.statPath === null) return NaN;
    try {
      return parseSchedstat(readFileSync(this.statPath, 'latin1'));
    } catch {
      return NaN;
    }
  }
}

/** The guest's running time in the current call: CPU based when the thread clock is known, else wall. */
function guestMs(slots: Float64Array, cpuNow: number, wall: number): number {
  const crossingCpu = slots[CROSSING_CPU]!;
  if (Number.isNaN(cpuNow) || Number.isNaN(crossingCpu)) return wall;
  const before = slots[CALL_WALL]! - slots[CROSSING_WALL]!;
  return Math.min(wall, cpuNow - crossingCpu - before);
}

function openThreadClock(): number | null {
  try {
    const fd = openSync('/proc/thread-self/schedstat', 'r');
    const probe = Buffer.alloc(96);
    const n = readSync(fd, probe, 0, probe.length, 0);
    if (!Number.isFinite(parseSchedstat(probe.toString('latin1', 0, n)))) {
      closeSync(fd);
      return null;
    }
    return fd;
  } catch {
    return null;
  }
}

function threadId(): number {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return 0;
  }
}
