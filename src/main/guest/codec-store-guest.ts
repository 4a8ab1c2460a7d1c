// A 0.3.0 plugin's codec store inside its own worker (§4.8 "Separate store"): instances of the component made
// only for codec filters, serving `create` and the filter-instance methods for every connection of the plugin.
// Each guest call is metered (call-meter.ts) and one that ran past `codec_cpu_budget` counts as cut.
//
// A trap, or a cut, retires the instance it happened in: the next `create` makes a fresh one (cheap: the
// compiled modules are in the worker already), while filter instances already living in a retired instance
// go on serving their own connections (jco does not poison an instance after a trap). A retired instance is
// released with its last filter instance; past MAX_INSTANCES the oldest retired one is released at once and
// its filter instances are gone (their sides pass packets through).
import { WorkerMeter } from './call-meter';
import type { CallFailure } from './worker-protocol';

type FilterInstance = Record<string, (...args: unknown[]) => unknown> & { [Symbol.dispose]?: () => void };
export type CodecExport = { create: (factory: unknown, init: unknown) => FilterInstance };

/** Log lines a plugin's codec store may write per second (§4.8); past it lines are dropped and counted. */
export const CODEC_LOG_LINES_PER_SECOND = 20;

/** Component instances one codec store keeps at most (the current one and retired ones still in use). */
const MAX_INSTANCES = 4;

/** What a call on a filter instance that no longer exists answers (its instance was released). */
export const INSTANCE_GONE = '$gone';

/** One frame's answer in a batch: a verdict, or the take-output that followed `modified`. */
export type BatchOutput = 'pass' | 'drop' | { tag: string; val?: unknown };

/** A batch's answer: the outputs of the frames filtered, and why it stopped early if it did. */
export interface BatchAnswer {
  out: BatchOutput[];
  failure?: CallFailure | { kind: 'gone'; message: string };
}

export class BudgetCut extends Error {
  override name = 'BudgetCut';
}

interface Generation {
  codec: CodecExport;
  live: number;
  retired: boolean;
}

const HOOKS: Record<string, string> = {
  codecOnStateChange: 'onStateChange',
  codecOnCompressionChange: 'onCompressionChange',
  codecOnEncryptionEnabled: 'onEncryptionEnabled',
  codecOnClose: 'onClose',
};

export class CodecStoreGuest {
  private current: Generation | null = null;
  private readonly generations: Generation[] = [];
  private readonly instances = new Map<number, { gen: Generation; instance: FilterInstance }>();
  private nextId = 1;

  constructor(
    /** Instantiates the component afresh (only log, WASI clocks and random work) and returns its codec-filter export. */
    private readonly make: () => CodecExport,
    private readonly meter: WorkerMeter,
    /** Classifies what a guest call threw. */
    private readonly classify: (err: unknown) => CallFailure,
  ) {}

  /** Makes the first instance now, so a component that cannot be instantiated here fails the store's start. */
  prepare(): void {
    this.current ??= this.instantiate();
  }

  /** A codec export call; throws what the guest threw (or BudgetCut) after retiring its instance. */
  call(fn: string, args: unknown[]): unknown {
    if (fn === 'codecCreate') return this.create(args[0], args[1]);
    if (fn === 'codecFilterBatch') return this.batch(args[0] as number, args[1] as number[], args[2] as Uint8Array[]);
    const method = HOOKS[fn];
    if (!method) throw new Error(`a codec store does not serve ${fn}`);
    const [id, ...rest] = args as [number, ...unknown[]];
    const entry = this.instances.get(id);
    if (!entry) return INSTANCE_GONE;
    try {
      return this.run(entry.gen, () => entry.instance[method]!(...rest));
    } finally {
      if (fn === 'codecOnClose') this.release(id);
    }
  }

  private create(factory: unknown, init: unknown): number {
    if (!this.current || this.current.retired) this.current = this.instantiate();
    const gen = this.current;
    const instance = this.run(gen, () => gen.codec.create(factory, init));
    const id = this.nextId++;
    this.instances.set(id, { gen, instance });
    gen.live++;
    return id;
  }

  /** `filter` for each frame in order (then `take-output` after `modified`), stopping at the first failure. */
  private batch(id: number, packetIds: number[], data: Uint8Array[]): BatchAnswer {
    const entry = this.instances.get(id);
    if (!entry) return { out: [], failure: { kind: 'gone', message: 'its filter instance was released' } };
    const { gen, instance } = entry;
    const out: BatchOutput[] = [];
    try {
      for (let i = 0; i < packetIds.length; i++) {
        const verdict = this.run(gen, () => instance.filter!(packetIds[i], data[i])) as 'pass' | 'drop' | 'modified';
        out.push(verdict === 'modified' ? (this.run(gen, () => instance.takeOutput!()) as BatchOutput) : verdict);
      }
    } catch (err) {
      return { out, failure: err instanceof BudgetCut ? { kind: 'cpu-deadline', message: err.message } : this.classify(err) };
    }
    return { out };
  }

  /** One metered guest call; a throw or a call past the budget retires the instance it ran in. */
  private run<T>(gen: Generation, f: () => T): T {
    this.meter.callStarted();
    let value: T;
    try {
      value = f();
    } catch (err) {
      this.meter.callEnded();
      gen.retired = true;
      throw err;
    }
    if (this.meter.callEnded()) {
      gen.retired = true;
      throw new BudgetCut(`the call ran past codec_cpu_budget (${this.meter.budgetMs} ms)`);
    }
    return value;
  }

  private instantiate(): Generation {
    const gen: Generation = { codec: this.make(), live: 0, retired: false };
    this.generations.push(gen);
    while (this.generations.length > MAX_INSTANCES) {
      const oldest = this.generations.find((g) => g.retired);
      if (!oldest) break;
      for (const [id, e] of this.instances) if (e.gen === oldest) this.instances.delete(id);
      this.drop(oldest);
    }
    return gen;
  }

  private release(id: number): void {
    const entry = this.instances.get(id);
    if (!entry) return;
    this.instances.delete(id);
    try {
      entry.instance[Symbol.dispose]?.();
    } catch {
      entry.gen.retired = true; // a failing destructor: the instance is not trusted with new filters
    }
    if (--entry.gen.live === 0 && entry.gen.retired) this.drop(entry.gen);
  }

  private drop(gen: Generation): void {
    const i = this.generations.indexOf(gen);
    if (i >= 0) this.generations.splice(i, 1);
    if (this.current === gen) this.current = null;
  }
}
