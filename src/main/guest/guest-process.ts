// The main thread's handle on one guest worker: serialised calls through the shared-memory call
// channel, each under a deadline that terminates the worker when it expires, and answers to the
// guest's host calls (which the guest waits for synchronously).
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { PoisonCause } from '../../shared/plugin-state';
import type { Artifact } from '../wasm/artifact-cache';
import { CallChannel, PollBudget, State } from './call-channel';
import { MainMeter } from './call-meter';
import type { DeadlineClock } from './deadline-clock';
import { importsWasi } from './host-interfaces';
import { guestWorkerEntry } from './worker-entry';
import type { CallFailure, FromWorker, GuestExport, GuestRequest, GuestUsage, GuestWorkerData, HostCallRequest, LogLine, ToWorker } from './worker-protocol';

export type FailureKind = 'err' | 'instantiate' | 'crash' | PoisonCause;

export class GuestFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
  /** Anything but a clean err(...) means the instance can no longer be trusted. */
  get poisons(): boolean {
    return this.kind !== 'err';
  }
}

export type HostCallHandler = (iface: string, fn: string, args: unknown[]) => unknown;
export type GuestLog = (level: 'trace' | 'debug' | 'info' | 'warn' | 'error', message: string) => void;

/** Where a guest's host calls and log lines go; a pre-booted worker gets them when a plugin takes it. */
export interface GuestHandlers {
  onHostCall: HostCallHandler;
  onLog: GuestLog;
}

export interface GuestProcessOptions extends GuestHandlers {
  /** Known from the component's import names before its artifact is loaded: WASI starts loading at boot. */
  importsWasi: boolean;
  memoryLimitMb: number;
  logLinesPerSecond: number;
  clock: DeadlineClock;
}

interface Pending {
  label: string;
  timeoutMs: number;
  resolve: (v: unknown) => void;
  reject: (e: GuestFailure) => void;
  cancelDeadline: () => void;
  deadlineAt: number;
}

/**
 * How long the main thread polls for a guest's answer before it returns to its event loop (the worker
 * then rings when it answers): long enough for a typical event handler, short enough never to stall the
 * proxy. It polls only when the worker is awake (so runs the request at once) and while polling pays off;
 * a dozing worker needs a wake-up first, and the main thread serves other work meanwhile.
 */
const ANSWER_POLL_US = 50;

const workerTurn = (s: State): boolean => s === State.Request || s === State.Running || s === State.HostReply;

export class GuestProcess {
  private queue: Promise<unknown> = Promise.resolve();
  private outstanding = 0;
  private pending: Pending | null = null;
  private deadCause: GuestFailure | null = null;
  private readonly channel: CallChannel;
  private readonly answerPoll = new PollBudget(ANSWER_POLL_US);
  private answeringHostCall = false;
  private handlers: GuestHandlers;
  private readonly meter: MainMeter;
  /** As of the guest's last answer. */
  usage: GuestUsage = { memoryBytes: 0, droppedLines: 0 };

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly opts: GuestProcessOptions,
    channel: SharedArrayBuffer,
    meter: MainMeter,
  ) {
    this.meter = meter;
    this.channel = new CallChannel(channel, port, 'main', () => worker.postMessage({ t: 'wake' } satisfies ToWorker));
    this.handlers = { onHostCall: opts.onHostCall, onLog: opts.onLog };
    worker.on('message', (msg: FromWorker) => this.onMessage(msg));
    worker.on('error', (err) => this.die(new GuestFailure('crash', `the plugin's worker failed: ${err.message}`)));
    worker.on('exit', (code) => this.die(new GuestFailure('crash', `the plugin's worker exited (code ${code})`)));
  }

  static async start(opts: GuestProcessOptions): Promise<GuestProcess> {
    const { port1, port2 } = new MessageChannel();
    const channel = CallChannel.buffer();
    const meter = new MainMeter();
    const workerData: GuestWorkerData = {
      meter: meter.sab,
      memoryCapBytes: opts.memoryLimitMb * 1024 * 1024,
      importsWasi: opts.importsWasi,
      logLinesPerSecond: opts.logLinesPerSecond,
      channel,
      port: port2,
    };
    const worker = new Worker(await guestWorkerEntry(), {
      workerData,
      transferList: [port2],
      // The guest's own heap is its linear memory (capped separately); this bounds the JS glue.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
      // The bundle is plain JavaScript: inheriting the parent's flags (say `--import tsx`) would only
      // slow every spawn down.
      execArgv: [],
      stdout: false,
      stderr: false,
    });
    const guest = new GuestProcess(worker, port1, opts, channel, meter);
    // Booting the worker is the host's cost, not the guest's: it is not counted in any call deadline.
    await new Promise<void>((resolve, reject) => {
      guest.onReady = resolve;
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new GuestFailure('crash', `the plugin's worker exited during start (code ${code})`)));
    });
    return guest;
  }

  private onReady: () => void = () => undefined;

  /** Hands the compiled component to the worker (loading WASI now if it was not at boot); instantiate after this. */
  load(artifact: Artifact): void {
    const message: ToWorker = { t: 'artifact', artifact: { gluePath: artifact.gluePath, modules: artifact.modules, contract: artifact.contract }, importsWasi: importsWasi(artifact.imports) };
    this.worker.postMessage(message);
  }

  /** Gives a pre-booted worker to a plugin: its host calls and log lines now go to `handlers`. */
  adopt(handlers: GuestHandlers): void {
    this.handlers = handlers;
    this.worker.ref();
  }

  /** An idle pre-booted worker must not keep the process alive. */
  idle(): void {
    this.worker.unref();
  }

  get dead(): GuestFailure | null {
    return this.deadCause;
  }

  instantiate(linked: string[] | 'all' | 'codec-store', dataDir: string | null, timeoutMs: number): Promise<void> {
    return this.enqueue('instantiate', timeoutMs, { t: 'instantiate', linked, dataDir }) as Promise<void>;
  }

  /**
   * `timeoutMs` bounds the call from the moment it is sent; with `guestBudgetMs` the guest's own running time
   * in each of its calls is metered too (call-meter.ts): past it the worker is terminated if the call is
   * still running (cause `cpu-deadline`), and a call that finished past it fails with that cause.
   */
  call(fn: GuestExport, args: unknown[], timeoutMs: number, guestBudgetMs = 0): Promise<unknown> {
    return this.enqueue(fn, timeoutMs, { t: 'call', fn, args }, guestBudgetMs);
  }

  async terminate(): Promise<void> {
    this.die(new GuestFailure('crash', 'the plugin was stopped'));
    await this.worker.terminate();
  }

  private enqueue(label: string, timeoutMs: number, request: GuestRequest, guestBudgetMs = 0): Promise<unknown> {
    const run = (): Promise<unknown> =>
      new Promise((resolve, reject) => {
        if (this.deadCause) return reject(this.deadCause);
        // The deadline starts when the guest starts running this call, not while it waits in the queue.
        const cancelWall = this.opts.clock.watch(timeoutMs, () => this.expire(label, timeoutMs));
        this.meter.budgetMs = guestBudgetMs;
        const cancelBudget = guestBudgetMs > 0 ? this.watchBudget(label, guestBudgetMs) : () => undefined;
        const cancelDeadline = () => {
          cancelWall();
          cancelBudget();
        };
        this.pending = { label, timeoutMs, resolve, reject, cancelDeadline, deadlineAt: performance.now() + timeoutMs };
        const pollUs = this.channel.otherAwake ? this.answerPoll.next() : 0;
        this.channel.send(State.Request, request);
        this.awaitAnswer(pollUs);
      });
    // Calls run one at a time; with none outstanding, this one starts without waiting for a turn. The turn is
    // taken before the call starts: a host call answered synchronously inside run() may itself call this guest
    // (a limbo session completed from an event ends the session: limbo-on-session-end), and that call must
    // wait for this one rather than overwrite it.
    const previous = this.queue;
    const idle = this.outstanding === 0;
    this.outstanding++;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    const result = idle ? run() : previous.then(run, run);
    const done = () => {
      this.outstanding--;
      release();
    };
    void result.then(done, done);
    return result;
  }

  /** Serves the worker's turns of the current call (host calls) until it returns or the worker dies. */
  private awaitAnswer(pollUs: number): void {
    try {
      this.serveTurns(pollUs);
    } catch (err) {
      // The channel itself failed (a value announced on the port never came): the instance cannot go on.
      this.die(new GuestFailure('host-error', `the call channel failed: ${(err as Error).message}`));
      void this.worker.terminate();
    }
  }

  private serveTurns(pollUs: number): void {
    for (;;) {
      // A doorbell rung while a host call's answer is still being computed changes nothing.
      if (this.deadCause || !this.pending || this.answeringHostCall) return;
      let s = this.channel.spin(workerTurn, pollUs);
      if (pollUs > 0) this.answerPoll.polled(!workerTurn(s));
      if (workerTurn(s)) {
        if (this.channel.doze(workerTurn)) return; // the worker rings: onMessage('wake')
        s = this.channel.state;
      }
      if (s === State.Return) return this.settle();
      if (s !== State.HostCall) return;
      // Log lines posted before this turn come first (receive passes those ahead of a value on the port).
      const [iface, fn, args] = this.channel.receive(this.takeLog) as HostCallRequest;
      this.drainLogs();
      const reply = this.answerHostCall(iface, fn, args);
      if (reply) {
        this.answeringHostCall = true;
        void reply.then(() => {
          this.answeringHostCall = false;
          this.awaitAnswer(0);
        });
        return;
      }
      // The guest polls for this reply: it is running, and may well answer soon.
      pollUs = this.answerPoll.next();
    }
  }

  private settle(): void {
    const ok = this.channel.flag === 1;
    const value = this.channel.receive(this.takeLog);
    this.drainLogs();
    this.usage = this.channel.usage();
    this.channel.mark(State.Idle);
    const p = this.pending;
    this.pending = null;
    if (!p) return;
    p.cancelDeadline();
    if (ok) p.resolve(value);
    else {
      const failure = value as CallFailure;
      p.reject(new GuestFailure(failure.kind, failure.message));
    }
  }

  /** Answers at once when the handler is synchronous; otherwise returns when the answer has been sent. */
  private answerHostCall(iface: string, fn: string, args: unknown[]): Promise<void> | undefined {
    const send = (ok: boolean, value: unknown): void => {
      if (!this.deadCause) this.channel.send(State.HostReply, value, ok ? 1 : 0);
    };
    const fail = (err: unknown): void => send(false, err instanceof Error ? err.message : String(err));
    let value: unknown;
    try {
      value = this.handlers.onHostCall(iface, fn, args);
    } catch (err) {
      fail(err);
      return undefined;
    }
    if (!(value instanceof Promise)) {
      send(true, value);
      return undefined;
    }
    const resumeDeadline = this.pauseDeadline();
    return value.then(
      (v) => {
        resumeDeadline();
        send(true, v);
      },
      (err: unknown) => {
        resumeDeadline();
        fail(err);
      },
    );
  }

  /**
   * The deadline bounds the guest's own running time: while the host does I/O for it (a player moved to
   * another server, a ban written) the clock stops, and the budget left resumes with the answer.
   */
  private pauseDeadline(): () => void {
    const p = this.pending;
    if (!p) return () => undefined;
    p.cancelDeadline();
    const left = p.deadlineAt - performance.now();
    return () => {
      if (this.pending !== p) return;
      p.deadlineAt = performance.now() + left;
      p.cancelDeadline = this.opts.clock.watch(Math.max(0, left), () => this.expire(p.label, p.timeoutMs));
    };
  }

  private readonly takeLog = (msg: unknown): void => {
    const line = msg as LogLine;
    if (line.t === 'log') this.handlers.onLog(line.level, line.message);
  };

  /** Log lines travel on the channel's port: taken in before each answer, so they precede it. */
  private drainLogs(): void {
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) this.takeLog(m.message);
  }

  private expire(label: string, timeoutMs: number): void {
    this.cut(`${label} ran past its ${timeoutMs} ms deadline and was stopped`);
  }

  private cut(message: string): void {
    this.die(new GuestFailure('cpu-deadline', message));
    void this.worker.terminate();
  }

  /**
   * Checks the guest's own running time (as the worker's meter reads it) on the deadline clock: not before the
   * budget has passed in wall time, then again for what is left of it, until the call ends.
   */
  private watchBudget(label: string, budgetMs: number): () => void {
    let cancel = () => undefined as void;
    const check = () => {
      const used = this.meter.guestMs() ?? 0;
      if (used >= budgetMs) return this.cut(`${label} ran past codec_cpu_budget (${budgetMs} ms) and was stopped`);
      cancel = this.opts.clock.watch(Math.max(1, budgetMs - used), check);
    };
    cancel = this.opts.clock.watch(budgetMs, check);
    return () => cancel();
  }

  private die(cause: GuestFailure): void {
    if (this.deadCause) return;
    this.drainLogs();
    this.deadCause = cause;
    // Wakes both sides: the worker stops serving, the main thread's wait for an answer ends.
    this.channel.set(State.Closed);
    const p = this.pending;
    this.pending = null;
    if (p) {
      p.cancelDeadline();
      p.reject(cause);
    }
    this.port.close();
  }

  private onMessage(msg: FromWorker): void {
    if (msg.t === 'ready') this.onReady();
    else this.awaitAnswer(0);
  }
}
