// The host: configuration plus the plugin runtime (and, when asked, the proxy), as one object that
// the CLI, the headless panel and the Electron shell all drive. Plain Node.
import type { Dispatcher030 } from '../contract/events-030-only';
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { formatHostPort } from '../config/host-port';
import { CONFIG_FILE_NAME, loadConfig } from '../config/load-config';
import type { ConfigError, ConfigWarning, HostConfig } from '../config/types';
import type { EventDispatcher, EventOutcome, GuestEvent } from '../contract/guest-types';
import { offlineServices } from '../plugins/contract-services';
import { PluginManager } from '../plugins/plugin-manager';
import { createProxy, type Proxy } from '../proxy/proxy';
import { ClusterNode, type CommandReply } from '../cluster/cluster-node';
import type { NetworkView, PlayerView, ProxyStatusView, ServerView } from '../../shared/proxy-views';
import { clusterLocal, remotePlayerId } from './cluster-wiring';
import { configValueReader, type ConfigValueReader } from './config-values';
import { asPluginLogLine, LogHistory } from './log-history';
import { proxyServices } from './proxy-services';
import { serverCommand } from './server-commands';

export interface HostOptions {
  /** Path to infrarust.toml (relative to cwd); default `<cwd>/infrarust.toml`. */
  configFile?: string;
  /** Base for every relative path in the configuration. */
  cwd: string;
  /** Run the proxy too (default true); `check` loads plugins only. */
  proxy?: boolean;
}

export interface HostLogLine {
  source: 'proxy' | 'host';
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  time: number;
}

export class ConfigLoadError extends Error {
  constructor(readonly error: ConfigError) {
    super(`${error.file}${error.line ? `:${error.line}:${error.column}` : ''}: ${error.message}`);
  }
}

/** A contract event the proxy fired into the plugins, with the non-none outcomes they answered. */
export interface DispatchedEvent {
  event: GuestEvent;
  outcomes: { pluginId: string; outcome: EventOutcome }[];
  time: number;
  durationMs: number;
}

export interface HostEvents {
  /** The configuration was re-read: `error` set when it no longer parses (the last good one stays). */
  config: [{ warnings: ConfigWarning[]; error: ConfigError | null }];
  players: [];
  servers: [];
  log: [HostLogLine];
  /** After each dispatch (the panel's live event feed); listeners must not throw. */
  dispatched: [DispatchedEvent];
  /** Cluster mode: a proxy joined or left, or Redis went away or came back. */
  network: [];
}

export class Host extends EventEmitter<HostEvents> {
  readonly configFile: string;
  readonly plugins: PluginManager;
  readonly proxy: Proxy | null;
  /** Cluster mode (`[cluster]` in infrarust.toml, with a proxy): this proxy's membership in the network. */
  readonly cluster: ClusterNode | null = null;
  readonly logHistory = new LogHistory();
  configWarnings: ConfigWarning[];
  configError: ConfigError | null = null;
  private configValue: ConfigValueReader;
  private proxyStarted: { address: string; at: number } | null = null;

  private constructor(
    readonly cwd: string,
    configFile: string,
    public config: HostConfig,
    warnings: ConfigWarning[],
    text: string | null,
    withProxy: boolean,
  ) {
    super();
    this.configFile = configFile;
    this.configWarnings = warnings;
    this.configValue = configValueReader(text);
    // The proxy fires events into the plugins' router; the plugins reach the proxy's services.
    // Observed on the way back, never changed: the panel's event feed shows what fired and who answered.
    const observed =
      (deliver: EventDispatcher['dispatch']): EventDispatcher['dispatch'] =>
      async (event) => {
        const started = performance.now();
        const outcomes = await deliver(event);
        this.emit('dispatched', { event, outcomes, time: Date.now(), durationMs: performance.now() - started });
        return outcomes;
      };
    const dispatcher: EventDispatcher & Dispatcher030 = {
      hasListeners: (kind) => this.plugins.events.hasListeners(kind),
      dispatch: observed((event) => this.plugins.events.dispatch(event)),
      post: observed((event) => this.plugins.events.post(event)),
      // Events only 0.3.0 has (contract/events-030-only.ts).
      decide030: (event, initial) => this.plugins.events.decide030(event, initial),
      notify030: (event) => this.plugins.events.notify030(event),
      channelRegistered: (raw) => this.plugins.events.channelRegistered(raw),
    };
    this.proxy = withProxy
      ? createProxy({
          settings: config.proxy,
          dispatcher,
          codecs: { active: () => this.plugins.codecs.active(), open: (init) => this.plugins.codecs.open(init) },
          limbo: {
            owner: (name) => this.plugins.limbo.owner(name),
            enter: (name, session) => this.plugins.limbo.enter(name, session),
            chat: (name, session, message) => this.plugins.limbo.chat(name, session, message),
            command: (name, session, command, args) => this.plugins.limbo.command(name, session, command, args),
            disconnect: (name, player) => this.plugins.limbo.disconnect(name, player),
            sessionEnd: (name, player, reason) => this.plugins.limbo.sessionEnd(name, player, reason),
            // The proxy is built before the plugin manager: its listener is attached once both exist.
            onGone: (listener) => queueMicrotask(() => this.plugins.limbo.onGone(listener)),
            entered: (player, handlers, context) => this.plugins.limbo.entered(player, handlers, context),
            exited: (player, reason, next) => this.plugins.limbo.exited(player, reason, next),
          },
          log: (level, message) => this.log('proxy', level, message),
          // A [ban] provider plugin answers instead of bans.json (the plugins exist by the first connection).
          banGate: { check: (attempt) => this.plugins.providers.bans.check(attempt) },
          commands: {
            active: () => this.plugins.playerCommands.active(),
            owns: (label) => this.plugins.playerCommands.owns(label),
            run: (player, line) => this.plugins.playerCommands.run(player, line),
            complete: (player, line) => this.plugins.playerCommands.complete(player, line),
            visible: (player) => this.plugins.playerCommands.visible(player),
            onChange: (listener) => this.plugins.playerCommands.onChange(listener),
            prepare: (subject) => this.plugins.playerCommands.prepare(subject),
          },
          onServerState: () => this.emit('servers'),
          network: config.cluster
            ? {
                remoteCountOn: (server) => this.cluster?.view.countOn(server) ?? 0,
                admitLogin: (profile) => this.cluster?.admitLogin(profile),
              }
            : undefined,
        })
      : null;
    if (this.proxy && config.cluster) {
      const local = clusterLocal(
        this.proxy,
        () => this.proxyStarted?.address ?? config.proxy.bind,
        (line) => this.runCommand(line),
        (level, message) => this.log('host', level, message),
      );
      this.cluster = new ClusterNode(config.cluster, local);
      this.cluster.on('change', () => {
        this.emit('network');
        this.emit('players');
      });
    }
    this.plugins = new PluginManager({
      config,
      configWarnings: warnings,
      // Settings reach plugins even without a proxy (e.g. `infrarust-desktop check`).
      services: this.proxy
        ? proxyServices(this.proxy, (pluginId, key) => this.configValue(pluginId, key), this.cluster)
        : { ...offlineServices, configValue: (pluginId, key) => this.configValue(pluginId, key) },
    });
    this.plugins.on('log', (line) => this.logHistory.add(line));
    this.on('log', (l) => this.logHistory.add(asPluginLogLine(l)));
    this.proxy?.players.onChange((change) => {
      if (change.type === 'joined') this.plugins.playerJoined(change.player.id);
      if (change.type === 'left') this.plugins.playerLeft(change.player.id);
      this.emit('players');
    });
    // Bans through the built-in list reach 0.3.0 listeners as ban-issued / ban-revoked.
    this.proxy?.bans.onChange((c) => this.plugins.providers.bans.builtInChanged(c));
    this.proxy?.limbo.onChange(() => this.emit('players'));
    this.proxy?.servers.onChange(() => this.emit('servers'));
  }

  /** Loads the configuration only (throws ConfigLoadError when it does not parse): attach listeners, then `run()`. */
  static create(opts: HostOptions): Host {
    const file = resolve(opts.cwd, opts.configFile ?? CONFIG_FILE_NAME);
    const loaded = loadConfig({ file, cwd: opts.cwd });
    if (!loaded.ok) throw new ConfigLoadError(loaded.error);
    return new Host(opts.cwd, file, loaded.config, loaded.warnings, loaded.text, opts.proxy ?? true);
  }

  private log(source: HostLogLine['source'], level: HostLogLine['level'], message: string): void {
    this.emit('log', { source, level, message, time: Date.now() });
  }

  /** create() then run(). */
  static async start(opts: HostOptions): Promise<Host> {
    const host = Host.create(opts);
    await host.run();
    return host;
  }

  /** Loads every plugin, then starts the proxy (so proxy-initialize reaches enabled plugins). */
  async run(): Promise<void> {
    await this.plugins.loadAll();
    if (this.proxy) {
      const { address, port } = await this.proxy.start();
      this.proxyStarted = { address: formatHostPort(address, port), at: Date.now() };
      await this.cluster?.start();
    }
  }

  /**
   * Re-reads infrarust.toml and hot-reloads exactly the plugins whose settings changed. A file that
   * no longer parses changes nothing: the last good configuration stays in force.
   */
  async reloadConfig(): Promise<{ ok: boolean; reloaded: string[] }> {
    const loaded = loadConfig({ file: this.configFile, cwd: this.cwd });
    if (!loaded.ok) {
      this.configError = loaded.error;
      this.emit('config', { warnings: this.configWarnings, error: loaded.error });
      return { ok: false, reloaded: [] };
    }
    if (JSON.stringify(loaded.config.proxy) !== JSON.stringify(this.config.proxy)) {
      this.log('host', 'warn', 'proxy settings in infrarust.toml changed: they take effect at the next start (servers_dir files apply live)');
    }
    if (JSON.stringify(loaded.config.cluster) !== JSON.stringify(this.config.cluster)) {
      this.log('host', 'warn', '[cluster] in infrarust.toml changed: it takes effect at the next start');
    }
    this.configError = null;
    this.config = loaded.config;
    this.configWarnings = loaded.warnings;
    this.configValue = configValueReader(loaded.text);
    const reloaded = await this.plugins.applyConfig(loaded.config, loaded.warnings);
    this.emit('config', { warnings: loaded.warnings, error: null });
    if (this.plugins.events.hasListeners('config-reload')) await this.plugins.events.dispatch({ tag: 'config-reload' });
    return { ok: true, reloaded };
  }

  proxyStatus(): ProxyStatusView {
    const stats = this.proxy?.stats();
    return {
      running: stats?.listening ?? false,
      address: this.proxyStarted?.address ?? null,
      startedAt: this.proxyStarted?.at ?? null,
      connections: stats?.activeConnections ?? 0,
    };
  }

  /** This proxy's players; in cluster mode the whole network's, each with the proxy holding it. */
  players(): PlayerView[] {
    const self = this.cluster?.id;
    const held = this.proxy?.limbo.holders() ?? new Map<bigint, string>();
    const local = (this.proxy?.players.all() ?? []).map(
      (p): PlayerView => ({
        id: String(p.id),
        username: p.profile.username,
        uuid: p.profile.uuid,
        remoteAddr: p.remoteAddr,
        protocolVersion: p.protocolVersion,
        server: p.currentServer ?? null,
        connectedAt: p.connectedAt,
        mode: p.mode,
        limbo: held.has(p.id) ? { handler: held.get(p.id)!, plugin: this.plugins.limbo.owner(held.get(p.id)!) ?? null } : null,
        ...(self === undefined ? {} : { proxy: self }),
      }),
    );
    const remote = (this.cluster?.view.list() ?? []).flatMap((proxy) =>
      [...proxy.players.values()].map(
        (p): PlayerView => ({
          id: String(remotePlayerId(proxy.record.id, p.localId)),
          username: p.username,
          uuid: p.uuid,
          remoteAddr: p.remoteAddr,
          protocolVersion: p.protocolVersion,
          server: p.server,
          connectedAt: p.connectedAt,
          mode: p.mode ?? 'passthrough',
          // Another proxy's limbo is its own business: its panel shows who holds the player.
          limbo: null,
          proxy: proxy.record.id,
        }),
      ),
    );
    return [...local, ...remote];
  }

  /** The network as the panel's Network page shows it (disabled outside cluster mode). */
  network(): NetworkView {
    const c = this.cluster;
    if (!c) return { enabled: false, proxyId: null, state: 'off', redis: null, error: null, since: null, proxies: [] };
    const h = c.health();
    const now = Date.now();
    const heartbeatMs = this.config.cluster?.heartbeatMs ?? 1000;
    return {
      enabled: true,
      proxyId: h.proxyId,
      state: h.state,
      redis: h.redis,
      error: h.error,
      since: h.since,
      proxies: [
        { id: h.proxyId, address: this.proxyStarted?.address ?? this.config.proxy.bind, players: this.proxy?.players.count() ?? 0, lastHeartbeat: now, health: 'self' },
        ...c.view.list().map((p) => ({
          id: p.record.id,
          address: p.record.address,
          players: p.players.size,
          lastHeartbeat: p.record.heartbeatAt,
          health: now - p.record.heartbeatAt > heartbeatMs * 2 ? ('late' as const) : ('alive' as const),
        })),
      ],
    };
  }

  /** Runs a console command on one proxy of the network (its id) or on all (`"*"`); outside cluster mode, here. */
  async runNetworkCommand(line: string, target: string): Promise<CommandReply[]> {
    if (!this.cluster) return [{ proxy: 'local', ...(await this.runCommand(line)) }];
    return this.cluster.runCommand(line, target);
  }

  servers(): ServerView[] {
    const proxy = this.proxy;
    if (!proxy) return [];
    const problems = proxy.servers.problems();
    const problemOf = (id: string) => {
      const p = problems.find((x) => x.serverId === id && x.severity === 'error') ?? problems.find((x) => x.serverId === id);
      return p ? `${p.message}${p.line ? ` (line ${p.line}, column ${p.column})` : ''}` : null;
    };
    const known = proxy.servers.list().map((s): ServerView => {
      const state = proxy.servers.state(s.id);
      return {
        id: s.id,
        file: s.file,
        domains: s.domains,
        addresses: s.addresses.map((a) => `${a.host}:${a.port}`),
        proxyMode: s.proxyMode,
        state: state === 'online' || state === 'offline' ? state : 'unknown',
        players: proxy.players.countOn(s.id),
        problem: problemOf(s.id),
        ...(s.manager ? { managed: proxy.servers.managed(s.id) } : {}),
      };
    });
    // A server whose only version is broken is still shown, with its problem.
    const broken = problems
      .filter((p) => p.severity === 'error' && !known.some((k) => k.id === p.serverId))
      .map((p): ServerView => ({ id: p.serverId, file: p.file, domains: [], addresses: [], proxyMode: '', state: 'unknown', players: 0, problem: problemOf(p.serverId) }));
    return [...known, ...broken];
  }

  async runCommand(line: string): Promise<{ ok: boolean; output: string }> {
    const managed = await serverCommand(line, this.proxy);
    if (managed) return managed;
    const ran = await this.plugins.runCommand(line);
    if (typeof ran === 'object') return { ok: false, output: ran.denied };
    return { ok: ran, output: ran ? '' : `unknown command: ${line.trim().split(/\s+/)[0] ?? ''}` };
  }

  tabComplete(line: string): Promise<string[]> {
    return this.plugins.tabComplete(line);
  }

  async stop(): Promise<void> {
    await this.cluster?.stop();
    await this.proxy?.stop();
    await this.plugins.shutdown();
  }
}
