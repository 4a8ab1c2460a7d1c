// The plugins' public face for the host, the control service and the tests: the plugin list, load, enable,
// disable, reload, config changes, commands and the registries plugins fill. The lifecycle of each plugin's
// slot is slot-lifecycle.ts; each plugin has its own guest, so reloading or poisoning one never touches the others.
import { EventEmitter } from 'node:events';
import type { PluginLogLine, PluginMetrics, PluginView, RefusedPluginFile } from '../../shared/plugin-state';
import type { ConfigWarning, HostConfig } from '../config/types';
import type { GuestExport } from '../guest/worker-protocol';
import { CallMetrics } from './call-metrics';
import { CommandRegistry, Scheduler } from './callback-registry';
import { offlineServices, type ContractServices } from './contract-services';
import { EventRouter } from './event-router';
import { LimboRouter } from './limbo-router';
import { CodecRouter } from './codec-router';
import type { CodecStores } from './codec-stores';
import { callEnabledGuest } from './guest-calls';
import { RawPacketListeners } from './raw-packets';
import type { ScanResult } from './plugin-scan';
import type { Slot } from './plugin-slot';
import type { Registry } from './v030/contract-030';
import { pluginInfo } from './v030/guest-030';
import type { Providers030 } from './v030/providers';
import { slotMetrics, slotView } from './plugin-views';
import { PluginRegistrations } from './plugin-registrations';
import { type CommandHost, completePluginCommand, runPluginCommand } from './plugin-commands';
import { PlayerCommandRouter } from './player-command-router';
import { SlotLifecycle } from './slot-lifecycle';

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
  private readonly slots: SlotLifecycle;
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
      slotById: (id) => this.slots.byId(id),
      callGuest: (id, fn, args) => this.callGuest(id, fn, args),
      guestCallContext: (id) => this.guestCallContext(id),
      takeWorker: (wasi, handlers) => this.slots.workers.take(wasi, handlers),
      pluginInfos: () => this.pluginInfos(),
      log: (id, level, message) => this.log(id, level, message),
    });
    ({ events: this.events, commands: this.commands, scheduler: this.scheduler, limbo: this.limbo, codecs: this.codecs, codecStores: this.codecStores, rawPackets: this.rawPackets, providers: this.providers } = this.reg);
    this.slots = new SlotLifecycle({
      config: () => this.config,
      reg: this.reg,
      metrics: this.metrics,
      viewOf: (slot) => this.viewOf(slot),
      log: (id, level, message) => this.log(id, level, message),
      changed: (view) => this.emit('state', view),
      removed: (id) => this.emit('removed', id),
      refusedChanged: (files) => this.emit('refused', files),
    });
    this.commandHost = { commands: this.commands, providers: this.providers, services: this.services, slotById: (id) => this.slots.byId(id), callGuest: (id, fn, args) => this.callGuest(id, fn, args) };
    this.playerCommands = new PlayerCommandRouter(this.commandHost);
  }

  get pluginsDir(): string {
    return this.config.pluginsDir;
  }

  list(): PluginView[] {
    return this.slots.all().map((s) => this.viewOf(s)).sort((a, b) => a.file.localeCompare(b.file));
  }

  /** Files discovery refused (data-folder rule, symbolic links), sorted by path. */
  refusedFiles(): RefusedPluginFile[] {
    return this.slots.refused.list();
  }

  get(id: string): PluginView | undefined {
    const slot = this.slots.byId(id);
    return slot && this.viewOf(slot);
  }

  /** Runtime figures of one plugin, for the panel. */
  pluginMetrics(id: string): PluginMetrics {
    return slotMetrics(id, this.slots.byId(id), this.metrics, this.config);
  }

  /** Scans plugins_dir and loads every plugin found, then the native plugins named in the config. */
  loadAll(): Promise<void> {
    return this.slots.loadAll();
  }

  /** Loads a plugin file that appeared (or changed) in plugins_dir; null when the file is refused (see refusedFiles). */
  loadFile(file: string): Promise<PluginView | null> {
    return this.slots.loadFile(file);
  }

  /** Takes a rescan's refusals (the watcher's): new ones are reported once, those whose file left are dropped. */
  syncRefused(scan: ScanResult): void {
    this.slots.refused.sync(scan);
  }

  /** Unloads the plugin of a file that left plugins_dir. */
  unloadFile(file: string): Promise<void> {
    return this.slots.unloadFile(file);
  }

  enable(id: string): Promise<PluginView> {
    return this.slots.enable(id);
  }

  disable(id: string): Promise<PluginView> {
    return this.slots.disable(id);
  }

  async reload(id: string): Promise<PluginView> {
    return this.slots.reload(this.slots.require(id));
  }

  async reloadAll(): Promise<void> {
    await Promise.all(this.slots.all().map((s) => this.slots.reload(s)));
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
    const changed = this.slots.all().filter(
      (s) => globalChange || JSON.stringify(before.plugins[s.view.id]) !== JSON.stringify(config.plugins[s.view.id]),
    );
    await Promise.all(changed.map((s) => this.slots.reload(s)));
    for (const s of this.slots.all()) this.emit('state', this.viewOf(s));
    return changed.map((s) => s.view.id);
  }

  /** on-disable for every enabled plugin (never for a poisoned one), then stop every guest. */
  shutdown(): Promise<void> {
    return this.slots.shutdown();
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

  // ---- what the registrations reach the plugins through ----

  /** Every plugin with known metadata, as 0.3.0's plugin-registry shows it. */
  private pluginInfos(): Registry.PluginInfo[] {
    const now = Date.now();
    return this.slots.all().map((s) => pluginInfo(this.viewOf(s), s.recovery, now)).filter((p) => p !== null);
  }

  /** Calls an export of an enabled plugin; a trap or deadline poisons it and yields undefined. */
  private callGuest(id: string, fn: GuestExport, args: unknown[]): Promise<unknown> {
    return callEnabledGuest(this.slots.byId(id), fn, args, this.guestCallContext(id));
  }

  private guestCallContext(id: string) {
    return {
      timeoutMs: this.config.wasm.callTimeoutMs,
      metrics: this.metrics,
      onFault: (slot: Slot, err: unknown) => this.slots.fault(slot, err),
      log: (message: string) => this.log(id, 'error', message),
    };
  }

  private log(pluginId: string, level: PluginLogLine['level'], message: string): void {
    this.emit('log', { pluginId, level, message, time: Date.now() });
  }

  private viewOf(slot: Slot): PluginView {
    return slotView(slot, this.config, this.configWarnings, this.reg);
  }
}
