// The control API, implemented once over a Host; the Electron IPC and the headless WebSocket both carry it.
// Settings are written by editing only the plugin's own `[plugins.<id>]` table, then applied through
// host.reloadConfig() (which reloads just the plugins whose table changed), so an answer means "done".
// Deploys are in plugin-deploy.ts, the host's own changes become events in host-events.ts, and writes the
// watcher must not apply twice go through file-writes.ts.
import { unlink } from 'node:fs/promises';
import { parse } from 'smol-toml';
import { isOptIn } from '../../shared/capabilities';
import {
  MAX_PLUGIN_BYTES,
  type ActionResult,
  type ConfigStatusView,
  type ControlApi,
  type ControlEvent,
  type ControlSnapshot,
  type DeployRequest,
  type DeployResult,
  type ExamplePluginView,
  type NetworkCommandReply,
  type PluginCommandResult,
  type ServerCommandResult,
} from '../../shared/control-api';
import type { BanBy, BanView, LiveHistory } from '../../shared/live-views';
import type { PluginLogLine, PluginView } from '../../shared/plugin-state';
import type { RouteSettings } from '../../shared/route-rules';
import type { NetworkView } from '../../shared/proxy-views';
import { removePluginTable, setPluginEnabled, setPluginPermissions } from '../config/plugin-table-edit';
import type { Host } from '../host/host';
import { watchHost, type HostWatcher } from '../host/watcher';
import type { Proxy } from '../proxy/proxy';
import { defaultExamplesDir, exampleBytes, readExamples } from './example-gallery';
import { ignoreMissing, ownWrite, writeConfig } from './file-writes';
import { configView, forwardDispatches, forwardHostEvents } from './host-events';
import { LiveFeed, type LiveFeedOptions } from './live-feed';
import { manageAnswer } from '../host/server-commands';
import { banPlayer, disconnectPlayer, listBans, messagePlayer, movePlayer, unban, type BanRequest } from './player-actions';
import { banRemote, banValue, disconnectRemote, remotePlayer, type BanByValue } from './network-actions';
import { RouteError, ServerRoutes } from './server-routes';
import { DeployQueue, type DeploySource } from './plugin-deploy';
import { quickUploadProblem } from './upload-check';

export type { DeploySource } from './plugin-deploy';

export interface ControlServiceOptions {
  /** Follow hand edits of infrarust.toml and plugins_dir (default true). */
  watch?: boolean;
  watchDebounceMs?: number;
  maxPluginBytes?: number;
  /** The shipped example plugins (default: out/examples of this package). */
  examplesDir?: string;
  /** Sampling periods of the live charts (tests shorten them). */
  live?: LiveFeedOptions;
}

type Listener = (event: ControlEvent) => void;

export class ControlService implements ControlApi {
  private readonly listeners = new Set<Listener>();
  private readonly maxBytes: number;
  private readonly watcher: HostWatcher | null;
  private readonly deploys: DeployQueue;
  private readonly detach: () => void;
  private readonly live: LiveFeed;
  private readonly detachLive: () => void;
  private readonly routes: ServerRoutes | null;
  private readonly examplesDir: string;

  private constructor(
    private readonly host: Host,
    opts: ControlServiceOptions,
  ) {
    this.maxBytes = opts.maxPluginBytes ?? MAX_PLUGIN_BYTES;
    this.examplesDir = opts.examplesDir ?? defaultExamplesDir();
    this.detach = forwardHostEvents(host, (event) => this.emit(event));
    this.live = new LiveFeed(
      {
        traffic: () => host.proxy?.stats() ?? null,
        metrics: () => host.plugins.list().filter((p) => p.metadata?.id === p.id).map((p) => host.plugins.pluginMetrics(p.id)),
      },
      (event) => this.emit(event),
      opts.live,
    );
    this.detachLive = forwardDispatches(host, this.live, (level, message) => this.hostLog(level, message));
    this.live.start();
    // The folder the proxy was started with: servers_dir changes only take effect at the next start.
    this.routes = host.proxy ? new ServerRoutes(host.config.proxy.serversDir, host.proxy.servers) : null;
    this.watcher = opts.watch === false ? null : watchHost(host, { debounceMs: opts.watchDebounceMs, onProblem: (m) => this.hostLog('warn', m) });
    this.deploys = new DeployQueue(host, this.watcher, this.maxBytes, (event) => this.emit(event));
  }

  static async start(host: Host, opts: ControlServiceOptions = {}): Promise<ControlService> {
    const service = new ControlService(host, opts);
    await service.watcher?.ready;
    return service;
  }

  /** Every event, in order; returns a function that unsubscribes. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.detach();
    this.detachLive();
    this.live.stop();
    this.listeners.clear();
    await this.watcher?.close();
  }

  // ---- queries ----

  async snapshot(): Promise<ControlSnapshot> {
    return {
      pluginsDir: this.host.plugins.pluginsDir,
      maxPluginBytes: this.maxBytes,
      plugins: this.host.plugins.list(),
      refusedFiles: this.host.plugins.refusedFiles(),
      logs: this.host.logHistory.all(),
      proxy: this.host.proxyStatus(),
      players: this.host.players(),
      servers: this.host.servers(),
      config: configView(this.host),
    };
  }

  async listPlugins(): Promise<PluginView[]> {
    return this.host.plugins.list();
  }

  async proxyStatus() {
    return this.host.proxyStatus();
  }

  async players() {
    return this.host.players();
  }

  async servers() {
    return this.host.servers();
  }

  async configStatus(): Promise<ConfigStatusView> {
    return configView(this.host);
  }

  // ---- commands ----

  async setPermission({ id, capability, granted }: { id: string; capability: string; granted: boolean }): Promise<PluginCommandResult> {
    if (!isOptIn(capability)) return { ok: false, error: `"${capability}" is not an opt-in capability` };
    return this.editPluginTable(id, (text) => {
      const current = permissionsInText(text, id);
      const next = granted ? [...new Set([...current, capability])] : current.filter((p) => p !== capability);
      return setPluginPermissions(text, id, next);
    });
  }

  async setEnabled({ id, enabled }: { id: string; enabled: boolean }): Promise<PluginCommandResult> {
    return this.editPluginTable(id, (text) => setPluginEnabled(text, id, enabled));
  }

  async reloadPlugin({ id }: { id: string }): Promise<PluginCommandResult> {
    return this.attempt(async () => {
      this.requirePlugin(id);
      return this.host.plugins.reload(id);
    });
  }

  async removePlugin({ id, forgetConfig = false }: { id: string; forgetConfig?: boolean }): Promise<PluginCommandResult> {
    return this.attempt(async () => {
      const plugin = this.requirePlugin(id);
      if (plugin.kind !== 'wasm') throw new Error(`${id} is a native plugin: remove its [plugins.${id}] path from infrarust.toml instead`);
      await ownWrite(this.watcher, plugin.file, null, () => unlink(plugin.file).catch(ignoreMissing));
      await this.host.plugins.unloadFile(plugin.file);
      if (forgetConfig && plugin.metadata) {
        const pluginId = plugin.metadata.id;
        await writeConfig(this.watcher, this.host.configFile, (text) => removePluginTable(text, pluginId));
        await this.host.reloadConfig();
      }
      return null;
    });
  }

  /** The API's form of a deploy (IPC, small WebSocket calls): the bytes as base64, sized before decoding. */
  async deployPlugin({ name, data, replace }: DeployRequest): Promise<DeployResult> {
    // base64 is 4/3 of the bytes: refuse an oversized upload before decoding it.
    const quick = quickUploadProblem(name, Math.floor((data.length * 3) / 4), this.maxBytes);
    if (quick) return { kind: 'refused', reason: quick };
    return this.deployFile(name, { bytes: Buffer.from(data, 'base64') }, { replace });
  }

  async examplePlugins(): Promise<ExamplePluginView[]> {
    return readExamples(this.examplesDir);
  }

  async installExample({ file, replace = false }: { file: string; replace?: boolean }): Promise<DeployResult> {
    const found = await exampleBytes(this.examplesDir, file);
    if (!found) return { kind: 'refused', reason: `${file} is not one of the example plugins shipped with the app` };
    return this.deployFile(file, { bytes: found.bytes }, { replace });
  }

  /** The one deploy path (plugin-deploy.ts): checks, confirmation before replacing an id, atomic write, load. */
  async deployFile(name: string, source: DeploySource, opts: { replace?: boolean } = {}): Promise<DeployResult> {
    return this.deploys.deployFile(name, source, opts.replace ?? false);
  }

  async runCommand({ line }: { line: string }) {
    return this.host.runCommand(line);
  }

  async tabComplete({ line }: { line: string }) {
    return this.host.tabComplete(line);
  }

  // ---- routes, players, live view ----

  async serverSettings({ id }: { id: string }): Promise<RouteSettings | null> {
    return this.routes?.settings(id) ?? null;
  }

  async saveServer({ create, ...route }: RouteSettings & { create: boolean }): Promise<ServerCommandResult> {
    return this.routeChange(route.id, (routes) => routes.save(route, create));
  }

  async removeServer({ id }: { id: string }): Promise<ServerCommandResult> {
    return this.routeChange(id, (routes) => routes.remove(id));
  }

  async startServer({ id }: { id: string }): Promise<ActionResult> {
    return this.withProxy(async (proxy) => manageAnswer(await proxy.servers.start(id)));
  }

  async stopServer({ id }: { id: string }): Promise<ActionResult> {
    return this.withProxy(async (proxy) => manageAnswer(await proxy.servers.stop(id)));
  }

  async serverLog({ id }: { id: string }): Promise<string[]> {
    return this.host.proxy?.servers.managedLog(id) ?? [];
  }

  async disconnectPlayer({ id }: { id: string }): Promise<ActionResult> {
    const remote = remotePlayer(this.host, id);
    if (remote) return disconnectRemote(this.host, remote);
    return this.withProxy(async (proxy) => disconnectPlayer(proxy, id));
  }

  async messagePlayer({ id, message }: { id: string; message: string }): Promise<ActionResult> {
    return this.withProxy((proxy) => messagePlayer(proxy, id, message));
  }

  async movePlayer({ id, server }: { id: string; server: string }): Promise<ActionResult> {
    return this.withProxy((proxy) => movePlayer(proxy, id, server));
  }

  async banPlayer(req: BanRequest): Promise<ActionResult> {
    const remote = remotePlayer(this.host, req.id);
    if (remote) return banRemote(this.host, remote, req);
    return this.withProxy((proxy) => banPlayer(proxy, req));
  }

  async ban(req: BanByValue): Promise<ActionResult> {
    return banValue(this.host, req);
  }

  async network(): Promise<NetworkView> {
    return this.host.network();
  }

  async runNetworkCommand({ line, target }: { line: string; target: string }): Promise<NetworkCommandReply[]> {
    return this.host.runNetworkCommand(line, target);
  }

  async bans(): Promise<BanView[]> {
    return this.host.proxy ? listBans(this.host.proxy) : [];
  }

  async unban({ by, value }: { by: BanBy; value: string }): Promise<ActionResult> {
    return this.withProxy((proxy) => unban(proxy, by, value));
  }

  async liveHistory(): Promise<LiveHistory> {
    return this.live.history();
  }

  // ---- internals ----

  /** Runs a route change; the answer carries the server as the proxy sees it once the folder was re-read. */
  private async routeChange(id: string, change: (routes: ServerRoutes) => Promise<void>): Promise<ServerCommandResult> {
    if (!this.routes) return { ok: false, error: 'the proxy is not running' };
    try {
      await change(this.routes);
    } catch (err) {
      const problems = err instanceof RouteError && err.problems.length > 0 ? { problems: err.problems } : {};
      return { ok: false, error: err instanceof Error ? err.message : String(err), ...problems };
    }
    return { ok: true, server: this.host.servers().find((s) => s.id === id) ?? null };
  }

  private async withProxy(action: (proxy: Proxy) => Promise<ActionResult>): Promise<ActionResult> {
    return this.host.proxy ? action(this.host.proxy) : { ok: false, error: 'the proxy is not running' };
  }

  /** Edits the plugin's own table, applies the file, and answers with the plugin once it is reloaded. */
  private editPluginTable(id: string, edit: (text: string) => string): Promise<PluginCommandResult> {
    return this.attempt(async () => {
      const plugin = this.requirePlugin(id);
      // A plugin that has not claimed an id (unreadable, or a duplicate) has no table of its own to edit.
      if (plugin.id !== plugin.metadata?.id) throw new Error(`${plugin.file} has no plugin id of its own yet (${plugin.reason ?? plugin.state})`);
      await writeConfig(this.watcher, this.host.configFile, edit);
      const applied = await this.host.reloadConfig();
      if (!applied.ok) throw new Error(`infrarust.toml no longer parses: ${this.host.configError?.message ?? 'unknown error'}`);
      return this.host.plugins.get(id) ?? null;
    });
  }

  private requirePlugin(id: string): PluginView {
    const plugin = this.host.plugins.get(id);
    if (!plugin) throw new Error(`no plugin with id "${id}"`);
    return plugin;
  }

  private async attempt(fn: () => Promise<PluginView | null>): Promise<PluginCommandResult> {
    try {
      return { ok: true, plugin: await fn() };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private emit(event: ControlEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private hostLog(level: PluginLogLine['level'], message: string): void {
    this.host.plugins.emit('log', { pluginId: '(host)', level, message, time: Date.now() });
  }

}

/** The permission strings as written in the plugin's table (baseline and unknown ones kept as they are). */
function permissionsInText(text: string, id: string): string[] {
  const table = pluginTable(text, id);
  const perms = table?.permissions;
  return Array.isArray(perms) ? perms.filter((p): p is string => typeof p === 'string') : [];
}

/** Parse errors are left to the table editor, which explains them. */
function pluginTable(text: string, id: string): Record<string, unknown> | undefined {
  try {
    const plugins = (parse(text) as { plugins?: Record<string, Record<string, unknown>> }).plugins;
    return plugins?.[id];
  } catch {
    return undefined;
  }
}
