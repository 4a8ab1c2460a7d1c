// The plugin lifecycle: discover → load artifact → metadata → config → link → instantiate → on-enable,
// and back. Each plugin has its own guest, so reloading or poisoning one never touches the others.
import { EventEmitter } from 'node:events';
import type { PluginLogLine, PluginMetrics, PluginState, PluginView, PoisonCause, RefusedPluginFile } from '../../shared/plugin-state';
import type { ConfigWarning, HostConfig } from '../config/types';
import type { GuestProcess, GuestHandlers } from '../guest/guest-process';
import type { GuestExport } from '../guest/worker-protocol';
import { CallMetrics } from './call-metrics';
import { CommandRegistry, Scheduler } from './callback-registry';
import { offlineServices, type ContractServices } from './contract-services';
import { EventRouter } from './event-router';
import { LimboRouter } from './limbo-router';
import { CodecRouter } from './codec-router';
import type { CodecStores } from './codec-stores';
import { failSlot, type FaultHost } from './slot-faults';
import { callEnabledGuest } from './guest-calls';
import { RawPacketListeners } from './raw-packets';
import { dataFolderOwner, dataFolderRefusal, refuseFilesInDataFolders, topFolderOf } from './data-folders';
import { scanPlugins, type ScanResult } from './plugin-scan';
import { RefusedFiles } from './refused-files';
import { claimDecision, newSlot, serial, type Slot } from './plugin-slot';
import { type ActivateHost, activateSlot, startFreshInstance } from './slot-activate';
import { WorkerPool } from './worker-pool';
import type { Registry } from './v030/contract-030';
import { activateInOrder } from './load-order';
import { disableArgs, pluginInfo } from './v030/guest-030';
import type { Providers030 } from './v030/providers';
import { slotMetrics, slotView } from './plugin-views';
import { PluginRegistrations } from './plugin-registrations';
import { type CommandHost, completePluginCommand, runPluginCommand } from './plugin-commands';
import { PlayerCommandRouter } from './player-command-router';
import { prepareSlot } from './slot-prepare';

export interface PluginManagerOptions {
  config: HostConfig;
  configWarnings?: ConfigWarning[];
  services?: ContractServices;
}

export interface PluginManagerEvents {
  state: [PluginView];
  log: [PluginLogLine];
  removed: [string];
  /** The refused files changed (the whole list). */
  refused: [RefusedPluginFile[]];
}

export class PluginManager extends EventEmitter<PluginManagerEvents> {
  readonly metrics = new CallMetrics();
  private readonly reg: PluginRegistrations;
  readonly events: EventRouter;
  readonly commands: CommandRegistry;
  readonly scheduler: Scheduler;
  readonly limbo: LimboRouter;
  readonly codecs: CodecRouter;
  /** 0.3.0 plugins' codec stores (§4.8), apart from their main instances. */
  readonly codecStores: CodecStores;
  readonly rawPackets: RawPacketListeners;
  /** 0.3.0 ban and permission providers (§4.6). */
  readonly providers: Providers030;
  /** Plugin commands for the proxy's players (run, completed, shown in their command tree). */
  readonly playerCommands: PlayerCommandRouter;
  private config: HostConfig;
  private configWarnings: ConfigWarning[];
  private readonly services: ContractServices;
  private readonly slots = new Map<string, Slot>();
  private readonly refused = new RefusedFiles(
    (message) => this.log('(host)', 'warn', message),
    (files) => this.emit('refused', files),
  );
  private readonly workers = new WorkerPool(() => this.config.wasm);
  private shuttingDown = false;
  /** What running plugin commands needs of the manager (plugin-commands.ts), made once. */
  private readonly commandHost: CommandHost;

  constructor(opts: PluginManagerOptions) {
    super();
    this.config = opts.config;
    this.configWarnings = opts.configWarnings ?? [];
    this.services = opts.services ?? offlineServices;
    this.reg = new PluginRegistrations({
      config: () => this.config,
      services: this.services,
      metrics: this.metrics,
      slotById: (id) => this.slotById(id),
      callGuest: (id, fn, args) => this.callGuest(id, fn, args),
      guestCallContext: (id) => this.guestCallContext(id),
      takeWorker: (wasi, handlers) => this.workers.take(wasi, handlers),
      pluginInfos: () => this.pluginInfos(),
      log: (id, level, message) => this.log(id, level, message),
    });
    ({ events: this.events, commands: this.commands, scheduler: this.scheduler, limbo: this.limbo, codecs: this.codecs, codecStores: this.codecStores, rawPackets: this.rawPackets, providers: this.providers } = this.reg);
    this.commandHost = { commands: this.commands, providers: this.providers, services: this.services, slotById: (id) => this.slotById(id), callGuest: (id, fn, args) => this.callGuest(id, fn, args) };
    this.playerCommands = new PlayerCommandRouter(this.commandHost);
  }

  get pluginsDir(): string {
    return this.config.pluginsDir;
  }

  list(): PluginView[] {
    return [...this.slots.values()].map((s) => this.viewOf(s)).sort((a, b) => a.file.localeCompare(b.file));
  }

  /** Files discovery refused (data-folder rule, symbolic links), sorted by path. */
  refusedFiles(): RefusedPluginFile[] {
    return this.refused.list();
  }

  get(id: string): PluginView | undefined {
    const slot = this.slotById(id);
    return slot && this.viewOf(slot);
  }

  /** Runtime figures of one plugin, for the panel. */
  pluginMetrics(id: string): PluginMetrics {
    return slotMetrics(id, this.slotById(id), this.metrics, this.config);
  }

  /** Scans plugins_dir and loads every plugin found, then the native plugins named in the config. */
  async loadAll(): Promise<void> {
    const scan = await scanPlugins(this.config.pluginsDir);
    for (const p of scan.problems) this.log('(host)', 'warn', `cannot scan ${p.path}: ${p.message}`);
    this.refused.sync(scan);
    const natives = Object.entries(this.config.plugins).filter(([, t]) => t.path);
    const slots = [
      ...scan.files.map((f) => this.newSlot(f, 'wasm')),
      ...natives.map(([id, t]) => this.newSlot(t.path!, 'native', id)),
    ];
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

  /** Loads a plugin file that appeared (or changed) in plugins_dir; null when the file is refused (see refusedFiles). */
  async loadFile(file: string): Promise<PluginView | null> {
    const top = topFolderOf(this.config.pluginsDir, file);
    const owner = top && (await dataFolderOwner(this.config.pluginsDir, top));
    const existing = this.slots.get(file);
    if (owner) {
      const entry = dataFolderRefusal(this.config.pluginsDir, file, owner);
      if (existing ? this.refuseSlot(existing, entry) : this.refused.add(entry, null)) this.refused.announce();
      return null;
    }
    const slot = existing ?? this.newSlot(file, 'wasm');
    if (existing) await this.reloadSlot(existing);
    else await this.serial(slot, () => this.prepareAndActivate(slot));
    if (this.slots.get(file) !== slot) return null;
    this.refused.forget(file);
    return this.viewOf(slot);
  }

  /** Takes a rescan's refusals (the watcher's): new ones are reported once, those whose file left are dropped. */
  syncRefused(scan: ScanResult): void {
    this.refused.sync(scan);
  }

  /** Unloads the plugin of a file that left plugins_dir. */
  async unloadFile(file: string): Promise<void> {
    const slot = this.slots.get(file);
    if (!slot) return;
    await this.serial(slot, () => this.stop(slot, 'disabled', 'its file was removed'));
    this.slots.delete(file);
    this.emit('removed', slot.view.id);
    this.retryDuplicates();
  }

  /** A duplicate that lost its id to a file that has gone may now take it. */
  private retryDuplicates(): void {
    for (const other of this.slots.values()) if (other.view.state === 'failed' && other.view.reason?.startsWith('duplicate id')) void this.reloadSlot(other);
  }

  async enable(id: string): Promise<PluginView> {
    const slot = this.requireSlot(id);
    await this.serial(slot, async () => {
      if (slot.view.state !== 'enabled') await this.reprepareAndActivate(slot);
    });
    return this.viewOf(slot);
  }

  async disable(id: string): Promise<PluginView> {
    const slot = this.requireSlot(id);
    await this.serial(slot, () => this.stop(slot, 'disabled', 'disabled by the user'));
    return this.viewOf(slot);
  }

  async reload(id: string): Promise<PluginView> {
    return this.reloadSlot(this.requireSlot(id));
  }

  async reloadAll(): Promise<void> {
    await Promise.all([...this.slots.values()].map((s) => this.reloadSlot(s)));
  }

  /**
   * Takes a new configuration and reloads only the plugins whose `[plugins.<id>]` table changed
   * (or all of them when a setting every plugin depends on changed). Returns the ids reloaded.
   */
  async applyConfig(config: HostConfig, warnings: ConfigWarning[]): Promise<string[]> {
    const before = this.config;
    this.config = config;
    this.configWarnings = warnings;
    const globalChange = before.pluginsDir !== config.pluginsDir || JSON.stringify(before.wasm) !== JSON.stringify(config.wasm);
    const changed = [...this.slots.values()].filter(
      (s) => globalChange || JSON.stringify(before.plugins[s.view.id]) !== JSON.stringify(config.plugins[s.view.id]),
    );
    await Promise.all(changed.map((s) => this.reloadSlot(s)));
    for (const s of this.slots.values()) this.emit('state', this.viewOf(s));
    return changed.map((s) => s.view.id);
  }

  /** on-disable for every enabled plugin (never for a poisoned one), then stop every guest. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.workers.close();
    await Promise.all([...this.slots.values()].map((s) => this.serial(s, () => this.stop(s, 'disabled', 'the host shut down'))));
  }

  /** Runs a command registered by a plugin. False when no plugin registered it, `denied` when the sender lacks its permission. */
  runCommand(line: string, player?: bigint): Promise<boolean | { denied: string }> {
    return runPluginCommand(this.commandHost, line, player);
  }

  tabComplete(line: string): Promise<string[]> {
    return completePluginCommand(this.commandHost, line);
  }

  /** A player logged in (the proxy's registry): the permission provider's snapshot and permissions-setup. */
  playerJoined(id: bigint): void {
    const p = this.services.players.byId(id);
    if (p) void this.providers.permissions.joined(p);
  }

  playerLeft(id: bigint): void {
    this.providers.permissions.left(id);
  }

  // ---- lifecycle steps ----

  private newSlot(file: string, kind: 'wasm' | 'native', id?: string): Slot {
    const slot = newSlot(file, kind, id);
    this.slots.set(file, slot);
    return slot;
  }

  private serial<T>(slot: Slot, fn: () => Promise<T>): Promise<T> {
    return serial(slot, fn);
  }

  private reloadSlot(slot: Slot): Promise<PluginView> {
    return this.serial(slot, async () => {
      await this.stop(slot, 'loading', 'reloading');
      await this.reprepareAndActivate(slot);
      return this.viewOf(slot);
    });
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
      void this.events.notifyObserved(event.tag, event);
    }
    if (state === 'enabled') this.providers.permissions.enabled(slot.view.id);
    if (state !== 'capability-denied') slot.view.missingCapabilities = [];
    // A refused slot winds down unannounced: it is listed as a refused file now.
    if (this.slots.get(slot.file) === slot) this.emit('state', this.viewOf(slot));
  }

  // ---- the data-folder rule (data-folders.ts) ----

  /** The data-folder rule (data-folders.ts) over every WASM slot, once metadata is known. */
  private async enforceDataFolders(): Promise<void> {
    const wasm = [...this.slots.values()].filter((s) => s.kind === 'wasm');
    const reported = [...wasm.map((s) => s.view.metadata?.id), ...this.refused.ids()];
    const refuse = (slot: Slot, entry: RefusedPluginFile) => this.refuseSlot(slot, entry);
    if (await refuseFilesInDataFolders(this.config.pluginsDir, wasm, reported, refuse, (m) => this.log('(host)', 'warn', m))) this.refused.announce();
  }

  /** Takes a slot out of the plugin list for good (as a refused file) and stops whatever it ran. */
  private refuseSlot(slot: Slot, entry: RefusedPluginFile): boolean {
    const announced = slot.view.id;
    const reported = slot.view.metadata?.id ?? null;
    const heldId = reported !== null && announced === reported;
    this.slots.delete(slot.file);
    if (heldId) this.forgetRegistrations(announced, entry.reason);
    slot.view.id = `file:${slot.file}`;
    void this.serial(slot, () => this.stop(slot, 'failed', entry.reason));
    this.emit('removed', announced);
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
        { config: this.config, progress: (s, reason) => this.setState(s, 'loading', reason), spawnWasm: (s, wasi) => this.spawnWasm(s, wasi), hostCalls: (s) => this.hostCalls(s) },
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
      onHostCall: (iface, fn, args) => this.hostCalls(slot)(iface, fn, args),
      onLog: (level, message) => this.log(slot.view.id, level, message),
    };
    return this.workers.take(importsWasi, handlers).then((g) => (slot.guest = g));
  }

  private log(pluginId: string, level: PluginLogLine['level'], message: string): void {
    this.emit('log', { pluginId, level, message, time: Date.now() });
  }

  private hostCalls(slot: Slot) {
    return this.reg.hostCallsFor(slot);
  }

  /** Gives a prepared slot its id; a second file reporting a taken id fails, naming both paths. */
  private claimId(slot: Slot): void {
    const claim = claimDecision([...this.slots.values()], slot);
    if (claim.kind === 'failed') {
      if (claim.id) slot.view.id = claim.id;
      return this.setState(slot, 'failed', claim.reason);
    }
    if (claim.kind === 'take-back') {
      // The holder's registrations are keyed by the id, so they go before it is renamed.
      const { holder, id, reason } = claim;
      this.forgetRegistrations(id, 'its id was taken by another file');
      holder.view.id = `file:${holder.file}`;
      void this.serial(holder, () => this.stop(holder, 'failed', reason));
    }
    if (claim.kind !== 'none') slot.view.id = claim.id;
  }

  private activate(slot: Slot): Promise<void> {
    return activateSlot(this.activateHost, slot);
  }

  private readonly activateHost: ActivateHost = {
    config: () => this.config,
    slotById: (id) => this.slotById(id),
    stop: (slot, state, reason) => this.stop(slot, state, reason),
    setState: (slot, state, reason, cause) => this.setState(slot, state, reason, cause),
    announce: (slot) => this.emit('state', this.viewOf(slot)),
    spawnWasm: (slot, wasi) => this.spawnWasm(slot, wasi),
    fail: (slot, err) => this.fail(slot, err),
  };

  /** Turns a failure into the plugin's state (slot-faults.ts). */
  private fail(slot: Slot, err: unknown): Promise<void> {
    return failSlot(this.faultHost, slot, err);
  }

  private readonly faultHost: FaultHost = {
    forgetRegistrations: (id, why) => this.forgetRegistrations(id, why),
    stop: (slot, state, reason) => this.stop(slot, state, reason),
    deadlineHit: (id) => this.metrics.deadlineHit(id),
    dropInstance: async (slot) => {
      this.reg.dropInstance(slot.view.id);
      slot.lastUsage = slot.guest?.usage ?? slot.lastUsage;
      await slot.guest?.terminate();
      slot.guest = null;
    },
    setState: (slot, state, reason, cause) => this.setState(slot, state, reason, cause),
    later: (slot, fn) => void this.serial(slot, fn),
    startInstance: async (slot, reason) => {
      if (this.slots.get(slot.file) !== slot || this.shuttingDown || slot.guest) return false;
      await startFreshInstance(this.activateHost, slot, reason);
      return true;
    },
  };

  /** Stops the guest (on-disable first unless poisoned) and puts the slot in `state`. */
  private async stop(slot: Slot, state: PluginState, reason: string): Promise<void> {
    slot.recovery.cancel();
    if (state !== 'loading') this.reg.forgetPlugin(slot.view.id);
    const guest = slot.guest;
    slot.guest = null;
    slot.lastUsage = guest?.usage ?? slot.lastUsage;
    this.forgetRegistrations(slot.view.id, reason);
    if (guest && slot.view.state === 'enabled') {
      await guest.call('onDisable', disableArgs(slot.view.contract, this.shuttingDown ? 'shutdown' : 'unload'), this.config.wasm.callTimeoutMs).catch((err: unknown) => {
        this.log(slot.view.id, 'warn', `on-disable failed: ${(err as Error).message}`);
      });
    }
    await guest?.terminate();
    this.setState(slot, state, reason);
  }

  private forgetRegistrations(id: string, why: string): void {
    this.reg.forget(id, why);
  }

  // ---- calls into enabled guests ----

  /** Every plugin with known metadata, as 0.3.0's plugin-registry shows it. */
  private pluginInfos(): Registry.PluginInfo[] {
    const now = Date.now();
    return [...this.slots.values()].map((s) => pluginInfo(this.viewOf(s), s.recovery, now)).filter((p) => p !== null);
  }

  /** Calls an export of an enabled plugin; a trap or deadline poisons it and yields undefined. */
  private callGuest(id: string, fn: GuestExport, args: unknown[]): Promise<unknown> {
    return callEnabledGuest(this.slotById(id), fn, args, this.guestCallContext(id));
  }

  private guestCallContext(id: string) {
    return {
      timeoutMs: this.config.wasm.callTimeoutMs,
      metrics: this.metrics,
      onFault: (slot: Slot, err: unknown) => this.serial(slot, () => this.fail(slot, err)),
      log: (message: string) => this.log(id, 'error', message),
    };
  }

  private slotById(id: string): Slot | undefined {
    return [...this.slots.values()].find((s) => s.view.id === id);
  }

  private requireSlot(id: string): Slot {
    const slot = this.slotById(id);
    if (!slot) throw new Error(`no plugin with id "${id}"`);
    return slot;
  }

  private viewOf(slot: Slot): PluginView {
    return slotView(slot, this.config, this.configWarnings, this.reg);
  }
}
