// 0.3.0 codec stores (§4.8 "Separate store"): for each 0.3.0 plugin whose filters are asked for a connection,
// a second instance of its component in a worker of its own (guest/codec-store-guest.ts), linked so that only
// `log`, WASI clocks and random work. It serves `create` and the filter-instance methods for every connection
// of the plugin, each guest call metered against codec_cpu_budget inside the worker.
//
// Nothing that happens there is a fault of the plugin: its main instance (events, commands…) never notices.
// A trap retires the store's component instance (the worker makes a fresh one for the next `create`); a call
// still running past the budget terminates the worker, losing every filter instance in it, and the next
// `create` starts a new store from the cached artifact. The caller (codec-router.ts) turns a failed call into
// a pass-through side and counts it toward the address's quarantine.
import type { WasmLimits } from '../config/types';
import type { GuestFailure, GuestHandlers, GuestProcess } from '../guest/guest-process';
import { CODEC_STORE_HOST_CALLS } from '../guest/codec-store-imports';
import { importsWasi } from '../guest/host-interfaces';
import type { GuestExport } from '../guest/worker-protocol';
import type { Artifact } from '../wasm/artifact-cache';
import type { CallMetrics } from './call-metrics';
import { losesInstance } from './fault-model';
import type { GuestCallOutcome } from './guest-calls';

export interface CodecStoreHost {
  /** The plugin's loaded 0.3.0 component, or null when it has none. */
  artifact(pluginId: string): Artifact | null;
  /** A guest worker (the pool's spare when it fits). */
  takeWorker(importsWasi: boolean, handlers: GuestHandlers): Promise<GuestProcess>;
  limits(): WasmLimits;
  metrics: CallMetrics;
  log(pluginId: string, level: 'info' | 'warn' | 'error' | 'debug' | 'trace', message: string): void;
  /** The plugin's host calls: a codec store makes only those CODEC_STORE_HOST_CALLS allows. */
  hostCalls(pluginId: string): ((iface: string, fn: string, args: unknown[]) => unknown) | null;
}

/** One incarnation of a plugin's codec store: filter instances it made are valid only in it. */
export type StoreIncarnation = GuestProcess;

interface Store {
  artifact: Artifact;
  guest: Promise<GuestProcess> | null;
  /** The incarnation whose loss was already reported as one call's fault (the other calls lost with it are not). */
  faultTold: WeakSet<GuestProcess>;
}

export class CodecStores {
  private readonly stores = new Map<string, Store>();
  /** Milliseconds each store start took (worker, artifact, first instance), for the panel's notes and the bench. */
  readonly starts: number[] = [];

  constructor(private readonly host: CodecStoreHost) {}

  /** `create` in the plugin's store (started if needed): the outcome, and the incarnation the instance lives in. */
  async create(pluginId: string, args: unknown[]): Promise<{ out: GuestCallOutcome; owner?: StoreIncarnation }> {
    let guest: GuestProcess;
    try {
      guest = await this.running(pluginId);
    } catch (err) {
      const message = `codec store could not start: ${(err as Error).message}`;
      this.host.log(pluginId, 'error', message);
      return { out: { tag: 'err', message } };
    }
    return { out: await this.callIn(pluginId, guest, 'codecCreate', args), owner: guest };
  }

  /** A call on a filter instance made in `owner`; not-running when that incarnation is gone. */
  async call(pluginId: string, owner: StoreIncarnation, fn: GuestExport, args: unknown[]): Promise<GuestCallOutcome> {
    const store = this.stores.get(pluginId);
    if (!store?.guest || owner.dead || (await store.guest.catch(() => null)) !== owner) return { tag: 'not-running' };
    return this.callIn(pluginId, owner, fn, args);
  }

  /** The plugin stopped for good (unloaded, disabled, replaced): its store goes with it. */
  stop(pluginId: string): void {
    const store = this.stores.get(pluginId);
    this.stores.delete(pluginId);
    void store?.guest?.then((g) => g.terminate(), () => undefined);
  }

  private async callIn(pluginId: string, guest: GuestProcess, fn: GuestExport, args: unknown[]): Promise<GuestCallOutcome> {
    const limits = this.host.limits();
    const started = performance.now();
    try {
      const val = await guest.call(fn, args, limits.callTimeoutMs, limits.codecCpuBudgetMs);
      this.host.metrics.record(pluginId, performance.now() - started);
      return { tag: 'ok', val };
    } catch (err) {
      if (!losesInstance(err)) return { tag: 'err', message: (err as Error).message };
      if (!guest.dead) return { tag: 'fault', message: (err as GuestFailure).message }; // a trap: the worker goes on
      // The worker is gone (cut at the budget, memory, crash): only the call that was running is at fault.
      const store = this.stores.get(pluginId);
      if (store && !store.faultTold.has(guest)) {
        store.faultTold.add(guest);
        if ((err as GuestFailure).kind === 'cpu-deadline') this.host.metrics.deadlineHit(pluginId);
        this.host.log(pluginId, 'warn', `codec store stopped: ${(err as Error).message}; filter instances in it are gone, the next connection gets a fresh store`);
        return { tag: 'fault', message: (err as Error).message };
      }
      return { tag: 'not-running' };
    }
  }

  /** The plugin's store, started (or started again after its worker was lost) from its cached artifact. */
  private async running(pluginId: string): Promise<GuestProcess> {
    const artifact = this.host.artifact(pluginId);
    if (!artifact) throw new Error(`plugin ${pluginId} has no loaded 0.3.0 component`);
    let store = this.stores.get(pluginId);
    if (store && store.artifact !== artifact) this.stop(pluginId);
    store = this.stores.get(pluginId);
    if (!store) {
      store = { artifact, guest: null, faultTold: new WeakSet() };
      this.stores.set(pluginId, store);
    }
    // A second try covers a worker lost between two connections; a store that dies at once is not retried.
    for (let attempt = 0; attempt < 2; attempt++) {
      const pending = (store.guest ??= this.begin(pluginId, store));
      const guest = await pending;
      if (!guest.dead) return guest;
      if (store.guest === pending) store.guest = null;
    }
    throw new Error('its worker stopped as soon as it started');
  }

  private begin(pluginId: string, store: Store): Promise<GuestProcess> {
    const p = this.start(pluginId, store.artifact);
    p.catch(() => {
      if (store.guest === p) store.guest = null;
    });
    return p;
  }

  private async start(pluginId: string, artifact: Artifact): Promise<GuestProcess> {
    const t0 = performance.now();
    const handlers: GuestHandlers = {
      onHostCall: (iface, fn, args) => {
        const calls = CODEC_STORE_HOST_CALLS[iface]?.includes(fn) ? this.host.hostCalls(pluginId) : null;
        if (!calls) throw new Error(`a codec store cannot call ${iface}.${fn}`);
        return calls(iface, fn, args);
      },
      onLog: (level, message) => this.host.log(pluginId, level, message),
    };
    const guest = await this.host.takeWorker(importsWasi(artifact.imports), handlers);
    try {
      guest.load(artifact);
      await guest.instantiate('codec-store', null, this.host.limits().enableTimeoutMs);
    } catch (err) {
      await guest.terminate();
      throw err;
    }
    if (this.stores.get(pluginId)?.artifact !== artifact) {
      await guest.terminate(); // stopped meanwhile
      throw new Error(`plugin ${pluginId} stopped`);
    }
    this.starts.push(performance.now() - t0);
    if (this.starts.length > 100) this.starts.shift();
    return guest;
  }
}
