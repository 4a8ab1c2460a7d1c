// The main thread's handle on one guest worker: serialised calls, each under a deadline that
// terminates the worker when it expires, and synchronous answers to the guest's host calls.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { PoisonCause } from '../../shared/plugin-state';
import type { Artifact } from '../wasm/artifact-cache';
import type { DeadlineClock } from './deadline-clock';
import { importsWasi } from './host-interfaces';
import { guestWorkerEntry } from './worker-entry';
import type { FromWorker, GuestExport, GuestUsage, GuestWorkerData, HostReply, ToWorker } from './worker-protocol';

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
  id: number;
  label: string;
  resolve: (v: unknown) => void;
  reject: (e: GuestFailure) => void;
  cancelDeadline: () => void;
  /** performance.now() at which the deadline falls (moved on while the host answers a call). */
  deadlineAt: number;
  timeoutMs: number;
}

export class GuestProcess {
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private pending: Pending | null = null;
  private deadCause: GuestFailure | null = null;
  private readonly signal: Int32Array;
  private handlers: GuestHandlers;
  /** As of the guest's last answer. */
  usage: GuestUsage = { memoryBytes: 0, droppedLines: 0 };

  private constructor(
    private readonly worker: Worker,
    private readonly replyPort: MessagePort,
    private readonly opts: GuestProcessOptions,
    signal: SharedArrayBuffer,
  ) {
    this.signal = new Int32Array(signal);
    this.handlers = { onHostCall: opts.onHostCall, onLog: opts.onLog };
    worker.on('message', (msg: FromWorker) => this.onMessage(msg));
    worker.on('error', (err) => this.die(new GuestFailure('crash', `the plugin's worker failed: ${err.message}`)));
    worker.on('exit', (code) => this.die(new GuestFailure('crash', `the plugin's worker exited (code ${code})`)));
  }

  static async start(opts: GuestProcessOptions): Promise<GuestProcess> {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const workerData: GuestWorkerData = {
      memoryCapBytes: opts.memoryLimitMb * 1024 * 1024,
      importsWasi: opts.importsWasi,
      logLinesPerSecond: opts.logLinesPerSecond,
      signal,
      replyPort: port2,
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
    const guest = new GuestProcess(worker, port1, opts, signal);
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

  instantiate(linked: string[] | 'all', dataDir: string | null, timeoutMs: number): Promise<void> {
    return this.enqueue('instantiate', timeoutMs, (id) => ({ t: 'instantiate', id, linked, dataDir })) as Promise<void>;
  }

  call(fn: GuestExport, args: unknown[], timeoutMs: number): Promise<unknown> {
    return this.enqueue(fn, timeoutMs, (id) => ({ t: 'call', id, fn, args }));
  }

  async terminate(): Promise<void> {
    this.die(new GuestFailure('crash', 'the plugin was stopped'));
    await this.worker.terminate();
  }

  private enqueue(label: string, timeoutMs: number, message: (id: number) => ToWorker): Promise<unknown> {
    const run = (): Promise<unknown> =>
      new Promise((resolve, reject) => {
        if (this.deadCause) return reject(this.deadCause);
        const id = this.nextId++;
        // The deadline starts when the guest starts running this call, not while it waits in the queue.
        const cancelDeadline = this.opts.clock.watch(timeoutMs, () => this.expire(label, timeoutMs));
        this.pending = { id, label, resolve, reject, cancelDeadline, deadlineAt: performance.now() + timeoutMs, timeoutMs };
        this.worker.postMessage(message(id));
      });
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private expire(label: string, timeoutMs: number): void {
    this.die(new GuestFailure('cpu-deadline', `${label} ran past its ${timeoutMs} ms deadline and was stopped`));
    void this.worker.terminate();
  }

  private die(cause: GuestFailure): void {
    if (this.deadCause) return;
    this.deadCause = cause;
    const p = this.pending;
    this.pending = null;
    if (p) {
      p.cancelDeadline();
      p.reject(cause);
    }
    this.replyPort.close();
  }

  private onMessage(msg: FromWorker): void {
    switch (msg.t) {
      case 'ready':
        this.onReady();
        return;
      case 'log':
        this.handlers.onLog(msg.level, msg.message);
        return;
      case 'host':
        void this.answerHostCall(msg.iface, msg.fn, msg.args, this.pauseDeadline());
        return;
      case 'ret': {
        const p = this.pending;
        if (!p || p.id !== msg.id) return;
        this.pending = null;
        p.cancelDeadline();
        this.usage = { memoryBytes: msg.memoryBytes, droppedLines: msg.droppedLines };
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new GuestFailure(msg.failure.kind, msg.failure.message));
      }
    }
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

  private async answerHostCall(iface: string, fn: string, args: unknown[], resumeDeadline: () => void): Promise<void> {
    let reply: HostReply;
    try {
      reply = { ok: true, value: await this.handlers.onHostCall(iface, fn, args) };
    } catch (err) {
      reply = { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
    if (this.deadCause) return;
    resumeDeadline();
    this.replyPort.postMessage(reply);
    Atomics.store(this.signal, 0, 1);
    Atomics.notify(this.signal, 0);
  }
}
