// The slot table and what changes it: a file's slot is loaded (slot-prepare.ts), claims its id or is refused
// (the data-folder rule, a duplicate id), is activated (slot-activate.ts), faults (slot-faults.ts) and stops.
// Every change to one slot runs in that slot's queue (`serial`), so two operations never interleave on it.
// PluginManager is the public face over this; it owns the config and the registrations these steps use.
import type { PluginLogLine, PluginState, PluginView, PoisonCause, RefusedPluginFile } from '../../shared/plugin-state';
import type { HostConfig } from '../config/types';
import type { GuestHandlers, GuestProcess } from '../guest/guest-process';
import type { CallMetrics } from './call-metrics';
import { dataFolderOwner, dataFolderRefusal, refuseFilesInDataFolders, topFolderOf } from './data-folders';
import { activateInOrder } from './load-order';
import type { PluginRegistrations } from './plugin-registrations';
import { scanPlugins } from './plugin-scan';
import { claimDecision, newSlot, serial, type Slot } from './plugin-slot';
import { RefusedFiles } from './refused-files';
import { type ActivateHost, activateSlot, startFreshInstance } from './slot-activate';
import { failSlot, type FaultHost } from './slot-faults';
import { prepareSlot } from './slot-prepare';
import { disableArgs } from './v030/guest-030';
import { WorkerPool } from './worker-pool';

/** What the slots need of the manager: its config and registrations, and its events. */
export interface LifecycleHost {
  config(): HostConfig;
  reg: PluginRegistrations;
  metrics: CallMetrics;
  viewOf(slot: Slot): PluginView;
  log(pluginId: string, level: PluginLogLine['level'], message: string): void;
  /** A slot's view changed (the manager's `state` event). */
  changed(view: PluginView): void;
  /** A plugin left the list (`removed`). */
  removed(id: string): void;
  /** The refused files changed (`refused`, the whole list). */
  refusedChanged(files: RefusedPluginFile[]): void;
}

export class SlotLifecycle {
  private readonly slots = new Map<string, Slot>();
  readonly refused: RefusedFiles;
  readonly workers: WorkerPool;
  private shuttingDown = false;

  constructor(private readonly h: LifecycleHost) {
    this.refused = new RefusedFiles((message) => h.log('(host)', 'warn', message), (files) => h.refusedChanged(files));
    this.workers = new WorkerPool(() => h.config().wasm);
  }

  all(): Slot[] {
    return [...this.slots.values()];
  }

  byId(id: string): Slot | undefined {
    return this.all().find((s) => s.view.id === id);
  }

  require(id: string): Slot {
    const slot = this.byId(id);
    if (!slot) throw new Error(`no plugin with id "${id}"`);
    return slot;
  }

  /** Scans plugins_dir and loads every plugin found, then the native plugins named in the config. */
  async loadAll(): Promise<void> {
    const scan = await scanPlugins(this.h.config().pluginsDir);
    for (const p of scan.problems) this.h.log('(host)', 'warn', `cannot scan ${p.path}: ${p.message}`);
    this.refused.sync(scan);
    const natives = Object.entries(this.h.config().plugins).filter(([, t]) => t.path);
    const slots = [...scan.files.map((f) => this.add(f, 'wasm')), ...natives.map(([id, t]) => this.add(t.path!, 'native', id))];
    // Metadata first for all (in parallel), then ids are claimed in sorted path order. Every worker is
    // booted on demand meanwhile; the spare for later loads comes once the start-up load is done.
    this.workers.paused = true;
    try {
      await Promise.all(slots.map((s) => this.prepare(s)));
      await this.enforceDataFolders();
      const kept = slots.filter((s) => this.slots.get(s.file) === s); // the refused ones are winding down
      for (const s of kept) this.claimId(s);
      await activateInOrder(kept.filter((s) => s.view.state === 'loading'), (s) => this.activate(s));
    } finally {
      this.workers.paused = false;
    }
    this.workers.bootSpare();
  }

  /** Loads a plugin file that appeared (or changed) in plugins_dir; null when the file is refused. */
  async loadFile(file: string): Promise<PluginView | null> {
    const top = topFolderOf(this.h.config().pluginsDir, file);
    const owner = top && (await dataFolderOwner(this.h.config().pluginsDir, top));
    const existing = this.slots.get(file);
    if (owner) {
      const entry = dataFolderRefusal(this.h.config().pluginsDir, file, owner);
      if (existing ? this.refuse(existing, entry) : this.refused.add(entry, null)) this.refused.announce();
      return null;
    }
    const slot = existing ?? this.add(file, 'wasm');
    if (existing) await this.reload(existing);
    else await serial(slot, () => this.prepareAndActivate(slot));
    if (this.slots.get(file) !== slot) return null;
    this.refused.forget(file);
    return this.h.viewOf(slot);
  }

  /** Unloads the plugin of a file that left plugins_dir. */
  async unloadFile(file: string): Promise<void> {
    const slot = this.slots.get(file);
    if (!slot) return;
    await serial(slot, () => this.stop(slot, 'disabled', 'its file was removed'));
    this.slots.delete(file);
    this.h.removed(slot.view.id);
    this.retryDuplicates();
  }

  async enable(id: string): Promise<PluginView> {
    const slot = this.require(id);
    await serial(slot, async () => {
      if (slot.view.state !== 'enabled') await this.reprepareAndActivate(slot);
    });
    return this.h.viewOf(slot);
  }

  async disable(id: string): Promise<PluginView> {
    const slot = this.require(id);
    await serial(slot, () => this.stop(slot, 'disabled', 'disabled by the user'));
    return this.h.viewOf(slot);
  }

  reload(slot: Slot): Promise<PluginView> {
    return serial(slot, async () => {
      await this.stop(slot, 'loading', 'reloading');
      await this.reprepareAndActivate(slot);
      return this.h.viewOf(slot);
    });
  }

  /** on-disable for every enabled plugin (never for a poisoned one), then stop every guest. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.workers.close();
    await Promise.all(this.all().map((s) => serial(s, () => this.stop(s, 'disabled', 'the host shut down'))));
  }

  /** A failed guest call, turned into the plugin's state (slot-faults.ts) after its other operations. */
  fault(slot: Slot, err: unknown): Promise<void> {
    return serial(slot, () => this.fail(slot, err));
  }

  // ---- the steps ----

  private add(file: string, kind: 'wasm' | 'native', id?: string): Slot {
    const slot = newSlot(file, kind, id);
    this.slots.set(file, slot);
    return slot;
  }

  /** A duplicate that lost its id to a file that has gone may now take it. */
  private retryDuplicates(): void {
    for (const other of this.slots.values()) if (other.view.state === 'failed' && other.view.reason?.startsWith('duplicate id')) void this.reload(other);
  }

  private async reprepareAndActivate(slot: Slot): Promise<void> {
    await this.stop(slot, 'loading', 'loading');
    await this.prepareAndActivate(slot);
  }

  private async prepareAndActivate(slot: Slot): Promise<void> {
    await this.prepare(slot);
    await this.enforceDataFolders();
    if (this.slots.get(slot.file) !== slot) return; // refused
    this.claimId(slot);
    if (slot.view.state === 'loading') await this.activate(slot);
  }

  private setState(slot: Slot, state: PluginState, reason: string | null, poisonCause: PoisonCause | null = null): void {
    const was = slot.view.state;
    Object.assign(slot.view, { state, reason, poisonCause });
    // 0.3.0 listeners hear of plugins coming and going (observe only, in the background).
    const md = slot.view.metadata;
    if (md && slot.view.id === md.id && (was === 'enabled') !== (state === 'enabled')) {
      const event = state === 'enabled' ? { tag: 'plugin-enabled', val: { pluginId: md.id, version: md.version } } : { tag: 'plugin-disabled', val: { pluginId: md.id } };
      void this.h.reg.events.notifyObserved(event.tag, event);
    }
    if (state === 'enabled') this.h.reg.providers.permissions.enabled(slot.view.id);
    if (state !== 'capability-denied') slot.view.missingCapabilities = [];
    // A refused slot winds down unannounced: it is listed as a refused file now.
    if (this.slots.get(slot.file) === slot) this.h.changed(this.h.viewOf(slot));
  }

  /** The data-folder rule (data-folders.ts) over every WASM slot, once metadata is known. */
  private async enforceDataFolders(): Promise<void> {
    const wasm = this.all().filter((s) => s.kind === 'wasm');
    const reported = [...wasm.map((s) => s.view.metadata?.id), ...this.refused.ids()];
    const refuse = (slot: Slot, entry: RefusedPluginFile) => this.refuse(slot, entry);
    if (await refuseFilesInDataFolders(this.h.config().pluginsDir, wasm, reported, refuse, (m) => this.h.log('(host)', 'warn', m))) this.refused.announce();
  }

  /** Takes a slot out of the plugin list for good (as a refused file) and stops whatever it ran. */
  private refuse(slot: Slot, entry: RefusedPluginFile): boolean {
    const announced = slot.view.id;
    const reported = slot.view.metadata?.id ?? null;
    const heldId = reported !== null && announced === reported;
    this.slots.delete(slot.file);
    if (heldId) this.h.reg.forget(announced, entry.reason);
    slot.view.id = `file:${slot.file}`;
    void serial(slot, () => this.stop(slot, 'failed', entry.reason));
    this.h.removed(announced);
    if (heldId) this.retryDuplicates();
    return this.refused.add(entry, reported);
  }

  /** Reads the file and the guest's metadata. Leaves the slot `loading` on success, `failed` otherwise. */
  private async prepare(slot: Slot): Promise<void> {
    slot.loadWarnings = [];
    slot.view.metadata = null;
    this.setState(slot, 'loading', slot.kind === 'wasm' ? 'reading the component' : 'loading the native module');
    try {
      const metadata = await prepareSlot(
        { config: this.h.config(), progress: (s, reason) => this.setState(s, 'loading', reason), spawnWasm: (s, wasi) => this.spawnWasm(s, wasi), hostCalls: (s) => this.h.reg.hostCallsFor(s) },
        slot,
      );
      slot.view.metadata = { ...metadata, description: metadata.description ?? null };
    } catch (err) {
      await slot.guest?.terminate();
      slot.guest = null;
      this.setState(slot, 'failed', err instanceof Error ? err.message : String(err));
    }
  }

  /** A worker for the slot's guest (see WorkerPool). */
  private spawnWasm(slot: Slot, importsWasi: boolean): Promise<GuestProcess> {
    const handlers: GuestHandlers = {
      onHostCall: (iface, fn, args) => this.h.reg.hostCallsFor(slot)(iface, fn, args),
      onLog: (level, message) => this.h.log(slot.view.id, level, message),
    };
    return this.workers.take(importsWasi, handlers).then((g) => (slot.guest = g));
  }

  /** Gives a prepared slot its id; a second file reporting a taken id fails, naming both paths. */
  private claimId(slot: Slot): void {
    const claim = claimDecision(this.all(), slot);
    if (claim.kind === 'failed') {
      if (claim.id) slot.view.id = claim.id;
      return this.setState(slot, 'failed', claim.reason);
    }
    if (claim.kind === 'take-back') {
      // The holder's registrations are keyed by the id, so they go before it is renamed.
      const { holder, id, reason } = claim;
      this.h.reg.forget(id, 'its id was taken by another file');
      holder.view.id = `file:${holder.file}`;
      void serial(holder, () => this.stop(holder, 'failed', reason));
    }
    if (claim.kind !== 'none') slot.view.id = claim.id;
  }

  private activate(slot: Slot): Promise<void> {
    return activateSlot(this.activateHost, slot);
  }

  private readonly activateHost: ActivateHost = {
    config: () => this.h.config(),
    slotById: (id) => this.byId(id),
    stop: (slot, state, reason) => this.stop(slot, state, reason),
    setState: (slot, state, reason, cause) => this.setState(slot, state, reason, cause),
    announce: (slot) => this.h.changed(this.h.viewOf(slot)),
    spawnWasm: (slot, wasi) => this.spawnWasm(slot, wasi),
    fail: (slot, err) => this.fail(slot, err),
  };

  /** Turns a failure into the plugin's state (slot-faults.ts). */
  private fail(slot: Slot, err: unknown): Promise<void> {
    return failSlot(this.faultHost, slot, err);
  }

  private readonly faultHost: FaultHost = {
    forgetRegistrations: (id, why) => this.h.reg.forget(id, why),
    stop: (slot, state, reason) => this.stop(slot, state, reason),
    deadlineHit: (id) => this.h.metrics.deadlineHit(id),
    dropInstance: async (slot) => {
      this.h.reg.dropInstance(slot.view.id);
      slot.lastUsage = slot.guest?.usage ?? slot.lastUsage;
      await slot.guest?.terminate();
      slot.guest = null;
    },
    setState: (slot, state, reason, cause) => this.setState(slot, state, reason, cause),
    later: (slot, fn) => void serial(slot, fn),
    startInstance: async (slot, reason) => {
      if (this.slots.get(slot.file) !== slot || this.shuttingDown || slot.guest) return false;
      await startFreshInstance(this.activateHost, slot, reason);
      return true;
    },
  };

  /** Stops the guest (on-disable first unless poisoned) and puts the slot in `state`. */
  private async stop(slot: Slot, state: PluginState, reason: string): Promise<void> {
    slot.recovery.cancel();
    if (state !== 'loading') this.h.reg.forgetPlugin(slot.view.id);
    const guest = slot.guest;
    slot.guest = null;
    slot.lastUsage = guest?.usage ?? slot.lastUsage;
    this.h.reg.forget(slot.view.id, reason);
    if (guest && slot.view.state === 'enabled') {
      await guest.call('onDisable', disableArgs(slot.view.contract, this.shuttingDown ? 'shutdown' : 'unload'), this.h.config().wasm.callTimeoutMs).catch((err: unknown) => {
        this.h.log(slot.view.id, 'warn', `on-disable failed: ${(err as Error).message}`);
      });
    }
    await guest?.terminate();
    this.setState(slot, state, reason);
  }
}
