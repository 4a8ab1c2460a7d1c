// The control API, implemented once over a Host; the Electron IPC and the headless WebSocket both carry it.
// Settings are written by editing only the plugin's own `[plugins.<id>]` table, then applied through
// host.reloadConfig() (which reloads just the plugins whose table changed), so an answer means "done".
import { lstat, readFile, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { isOptIn } from '../../shared/capabilities';
import {
  MAX_PLUGIN_BYTES,
  type ActionResult,
  type ConfigStatusView,
  type ControlApi,
  type ControlEvent,
  type ControlSnapshot,
  type DeployPhase,
  type DeployRequest,
  type DeployResult,
  type ExamplePluginView,
  type NetworkCommandReply,
  type PluginCommandResult,
  type ServerCommandResult,
} from '../../shared/control-api';
import type { BanBy, BanView, LiveHistory } from '../../shared/live-views';
import type { PluginLogLine, PluginView, RefusedPluginFile } from '../../shared/plugin-state';
import type { RouteSettings } from '../../shared/route-rules';
import type { NetworkView } from '../../shared/proxy-views';
import { updateConfigFile } from '../config/config-file';
import { removePluginTable, setPluginEnabled, setPluginPermissions } from '../config/plugin-table-edit';
import { writeFileAtomic } from '../fs/atomic-write';
import type { DispatchedEvent, Host, HostLogLine } from '../host/host';
import { asPluginLogLine } from '../host/log-history';
import { watchHost, type HostWatcher } from '../host/watcher';
import type { Proxy } from '../proxy/proxy';
import { eventSummary, outcomeChanges } from './event-description';
import { defaultExamplesDir, exampleBytes, readExamples } from './example-gallery';
import { LiveFeed, type LiveFeedOptions } from './live-feed';
import { banPlayer, disconnectPlayer, listBans, messagePlayer, movePlayer, unban, type BanRequest } from './player-actions';
import { banRemote, banValue, disconnectRemote, remotePlayer, type BanByValue } from './network-actions';
import { RouteError, ServerRoutes } from './server-routes';
import { checkUpload, quickUploadProblem } from './upload-check';

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

/** A deploy's file: its bytes, or a staged file the deploy takes over (read in turn, then removed). */
export type DeploySource = { bytes: Uint8Array } | { file: string };

export class ControlService implements ControlApi {
  private readonly listeners = new Set<Listener>();
  private readonly maxBytes: number;
  private readonly watcher: HostWatcher | null;
  /** Deploys run one at a time: two uploads of the same id must not race for it. */
  private deploys: Promise<unknown> = Promise.resolve();
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
    this.detach = this.forwardHostEvents();
    this.live = new LiveFeed(
      {
        traffic: () => host.proxy?.stats() ?? null,
        metrics: () => host.plugins.list().filter((p) => p.metadata?.id === p.id).map((p) => host.plugins.pluginMetrics(p.id)),
      },
      (event) => this.emit(event),
      opts.live,
    );
    this.detachLive = this.forwardDispatches();
    this.live.start();
    // The folder the proxy was started with: servers_dir changes only take effect at the next start.
    this.routes = host.proxy ? new ServerRoutes(host.config.proxy.serversDir, host.proxy.servers) : null;
    this.watcher = opts.watch === false ? null : watchHost(host, { debounceMs: opts.watchDebounceMs, onProblem: (m) => this.hostLog('warn', m) });
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
      config: this.configView(),
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
    return this.configView();
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
      await this.ownWrite(plugin.file, null, () => unlink(plugin.file).catch(ignoreMissing));
      await this.host.plugins.unloadFile(plugin.file);
      if (forgetConfig && plugin.metadata) {
        const pluginId = plugin.metadata.id;
        await this.writeConfig((text) => removePluginTable(text, pluginId));
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

  /**
   * The one way a plugin file reaches plugins_dir (panel drops over IPC or HTTP, the gallery): name and size
   * checks, the component check with progress events, confirmation before replacing an id, an atomic write,
   * then the load. Deploys run one at a time, so only one file's bytes are in memory at once; a staged
   * `file` is read only when its turn comes, and removed once done.
   */
  async deployFile(name: string, source: DeploySource, opts: { replace?: boolean } = {}): Promise<DeployResult> {
    const run = this.deploys.then(() => this.deploy(name, source, opts.replace ?? false));
    this.deploys = run.catch(() => undefined);
    return run.finally(() => ('file' in source ? rm(source.file, { force: true }) : undefined));
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

  /** Each event the plugins saw joins the live feed, described while the players it names are still known. */
  private forwardDispatches(): () => void {
    const { host } = this;
    const onDispatched = ({ event, outcomes, time, durationMs }: DispatchedEvent) => {
      try {
        const changes = outcomeChanges(event, outcomes);
        // Every data packet of a player could be one: only the ones a plugin changed are worth a line.
        if (event.tag === 'raw-packet' && changes.length === 0) return;
        const summary = eventSummary(event, (id) => host.proxy?.players.get(id)?.profile.username);
        this.live.recordEvent({ time, kind: event.tag, summary, changes, durationMs });
      } catch (err) {
        this.hostLog('warn', `event feed: cannot describe ${event.tag}: ${(err as Error).message}`);
      }
    };
    host.on('dispatched', onDispatched);
    return () => host.off('dispatched', onDispatched);
  }

  private async deploy(name: string, source: DeploySource, replace: boolean): Promise<DeployResult> {
    const size = 'file' in source ? (await stat(source.file)).size : source.bytes.length;
    const quick = quickUploadProblem(name, size, this.maxBytes);
    if (quick) return { kind: 'refused', reason: quick };
    const bytes = 'file' in source ? await readFile(source.file) : source.bytes;
    const progress = (phase: DeployPhase, message: string) => this.emit({ type: 'deploy-progress', progress: { name, phase, message } });
    const pluginsDir = this.host.plugins.pluginsDir;
    const target = join(pluginsDir, name);
    const targetInfo = await lstat(target).catch(() => null);
    if (targetInfo && !targetInfo.isFile()) return { kind: 'refused', reason: `${target} exists and is not a regular file` };

    const check = await checkUpload(name, bytes, { pluginsDir, limits: this.host.config.wasm, maxBytes: this.maxBytes, progress });
    if (!check.ok) return { kind: 'refused', reason: check.reason };
    const { metadata } = check.staged;
    const plugins = this.host.plugins.list();
    const sameId = plugins.find((p) => p.id === metadata.id || p.metadata?.id === metadata.id);
    const sameFile = plugins.find((p) => p.file === target);
    const existing = sameId ?? sameFile;
    if (existing && !replace) {
      await check.staged.discard();
      return {
        kind: 'needs-confirmation',
        id: metadata.id,
        existingFile: existing.file,
        existingVersion: existing.metadata?.version ?? null,
        incomingVersion: metadata.version,
      };
    }
    await check.staged.keep();
    progress('writing', `writing ${name} into the plugins folder`);
    await this.ownWrite(target, bytes, () => writeFileAtomic(target, bytes));
    // The replaced plugin lived in another file: retire that file so the id is free for the new one.
    if (sameId && sameId.file !== target && sameId.kind === 'wasm') {
      await this.ownWrite(sameId.file, null, () => unlink(sameId.file).catch(ignoreMissing));
      await this.host.plugins.unloadFile(sameId.file);
    }
    progress('loading', `loading ${metadata.id}`);
    // Loading applies the data-folder rule: the new id may make a folder its data folder, refusing the files in it.
    const plugin = await this.host.plugins.loadFile(target);
    if (plugin) return { kind: 'deployed', plugin };
    const refusal = this.host.plugins.refusedFiles().find((f) => f.file === target);
    return { kind: 'refused', reason: refusal?.reason ?? `${target} was written but not loaded` };
  }

  /** Edits the plugin's own table, applies the file, and answers with the plugin once it is reloaded. */
  private editPluginTable(id: string, edit: (text: string) => string): Promise<PluginCommandResult> {
    return this.attempt(async () => {
      const plugin = this.requirePlugin(id);
      // A plugin that has not claimed an id (unreadable, or a duplicate) has no table of its own to edit.
      if (plugin.id !== plugin.metadata?.id) throw new Error(`${plugin.file} has no plugin id of its own yet (${plugin.reason ?? plugin.state})`);
      await this.writeConfig(edit);
      const applied = await this.host.reloadConfig();
      if (!applied.ok) throw new Error(`infrarust.toml no longer parses: ${this.host.configError?.message ?? 'unknown error'}`);
      return this.host.plugins.get(id) ?? null;
    });
  }

  private async writeConfig(edit: (text: string) => string): Promise<void> {
    const file = this.host.configFile;
    let done: (() => void) | undefined;
    try {
      await updateConfigFile(file, (text) => {
        const next = edit(text);
        // Computed again when a hand save lands meanwhile: the watcher expects only the latest text.
        const previous = done;
        done = this.watcher?.expect(file, next);
        previous?.();
        return next;
      });
    } finally {
      done?.();
    }
  }

  /** Runs our own change to a file with the watcher told about it, so it is not applied twice. */
  private async ownWrite(path: string, content: Uint8Array | null, write: () => Promise<void>): Promise<void> {
    const done = this.watcher?.expect(path, content);
    try {
      await write();
    } finally {
      done?.();
    }
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

  private configView(): ConfigStatusView {
    return { file: this.host.configFile, error: this.host.configError, warnings: this.host.configWarnings };
  }

  private emit(event: ControlEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private hostLog(level: PluginLogLine['level'], message: string): void {
    this.host.plugins.emit('log', { pluginId: '(host)', level, message, time: Date.now() });
  }

  private forwardHostEvents(): () => void {
    const { host } = this;
    // The manager names a removed plugin by id only; the panel keys plugins by file (ids can change).
    const lastViews = new Map(host.plugins.list().map((p) => [p.file, p]));
    const onState = (plugin: PluginView) => {
      lastViews.set(plugin.file, plugin);
      this.emit({ type: 'plugin', plugin });
    };
    const onRemoved = (id: string) => {
      host.logHistory.forget(id);
      const remaining = new Set(host.plugins.list().map((p) => p.file));
      for (const view of lastViews.values()) {
        if (view.id !== id || remaining.has(view.file)) continue;
        lastViews.delete(view.file);
        this.emit({ type: 'plugin-removed', id, file: view.file });
      }
    };
    // The host keeps the history (from its first moment); the panel only relays new lines.
    const onLog = (line: PluginLogLine) => this.emit({ type: 'log', line });
    const onRefused = (files: RefusedPluginFile[]) => this.emit({ type: 'refused-files', files });
    const onConfig = () => this.emit({ type: 'config', config: this.configView() });
    const onServers = () => this.emit({ type: 'servers', servers: host.servers() });
    // Each server view carries its player count: a player joining or leaving changes it too.
    const onPlayers = () => {
      this.emit({ type: 'players', players: host.players() });
      this.emit({ type: 'proxy', status: host.proxyStatus() });
      onServers();
    };
    const onNetwork = () => this.emit({ type: 'network', network: host.network() });
    // Host and proxy lines travel as log lines of the pseudo-plugins "(host)" and "(proxy)".
    const onHostLog = (line: HostLogLine) => onLog(asPluginLogLine(line));
    host.plugins.on('state', onState);
    host.plugins.on('removed', onRemoved);
    host.plugins.on('refused', onRefused);
    host.plugins.on('log', onLog);
    host.on('config', onConfig);
    host.on('players', onPlayers);
    host.on('servers', onServers);
    host.on('network', onNetwork);
    host.on('log', onHostLog);
    return () => {
      host.plugins.off('state', onState);
      host.plugins.off('removed', onRemoved);
      host.plugins.off('refused', onRefused);
      host.plugins.off('log', onLog);
      host.off('config', onConfig);
      host.off('players', onPlayers);
      host.off('servers', onServers);
      host.off('network', onNetwork);
      host.off('log', onHostLog);
    };
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

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}
