// The Infrarust-style reverse proxy: one listening socket, servers from `servers_dir`, bans, live players,
// a periodic backend status probe, and the contract's events through an injected dispatcher.

import { BackendBalancer } from './backend-balancer.ts';
import { backendHealth } from './backend-health.ts';
import { formatHostPort } from '../config/host-port.ts';
import { rejected } from './connection-events.ts';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { ProxySettings } from '../config/types.ts';
import type { EventDispatcher, ServerConfig, ServerState } from '../contract/guest-types.ts';
import { BanStore } from './ban-store.ts';
import type { BanGate } from './ban-gate.ts';
import { ClientConnection, type ConnectionCounters, type ConnectionContext } from './client-connection.ts';
import { PlayerRegistry } from './player-registry.ts';
import { NetworkPlayerRegistry, type ProxyNetwork } from './proxy-network.ts';
import { ProxyEvents } from './proxy-events.ts';
import { LimboSessions } from './limbo-sessions.ts';
import { noLimboDispatcher, type LimboDispatcher } from '../contract/limbo-types.ts';
import { noCodecDispatcher, type CodecDispatcher } from '../contract/codec-types.ts';
import { noPlayerCommands, type PlayerCommandDispatcher } from '../contract/player-commands.ts';
import type { ProxyLog } from './proxy-log.ts';
import { listenOn } from '../net/listen.ts';
import { parseAddress, type ServerDefinition } from './server-file.ts';
import { takeProxyHeader, TrustedPeers, type Endpoint } from './proxy-protocol.ts';
import { ServerRegistry, type ServerChanges, type ServerProblem } from './server-registry.ts';
import { StatusProbe } from './status-probe.ts';
import { CONTRACT_STATE, ServerManager, type ManagedView, type ManageResult } from './server-manager.ts';
import { withServerWake } from './server-wake.ts';

export interface ProxyOptions {
  settings: ProxySettings;
  dispatcher: EventDispatcher;
  /** Plugins' limbo handlers; without it every handler is skipped. */
  limbo?: LimboDispatcher;
  /** Plugins' codec filters (decoding modes only); without it frames are never filtered. */
  codecs?: CodecDispatcher;
  log: ProxyLog;
  /** Time a client has for its handshake and Login Start (or status request); default connectTimeoutMs. */
  handshakeTimeoutMs?: number;
  /** Period of the backend status probe; default 30 s. */
  probeIntervalMs?: number;
  /** Quiet time after a change in servers_dir before it is re-read; default 150 ms. */
  watchDebounceMs?: number;
  /** Told when the status probe sees a server go online or offline (the panel shows it live). */
  onServerState?: (server: string, oldState: ServerState, newState: ServerState) => void;
  /** Cluster mode: the rest of the network (counts, duplicate logins). */
  network?: ProxyNetwork;
  /** A ban provider plugin, asked instead of the built-in list when one is selected. */
  banGate?: BanGate;
  /** Plugins' commands for players and the permission snapshot a login waits for; without it, none. */
  commands?: PlayerCommandDispatcher;
}

export interface ProxyServers {
  list(): ServerDefinition[];
  get(id: string): ServerDefinition | undefined;
  /** Parse/validation errors (with line/column) and warnings, per file. */
  problems(): ServerProblem[];
  /** The contract's `server-config` records (config-service). */
  configs(): ServerConfig[];
  config(id: string): ServerConfig | undefined;
  /** A managed server's from its manager, any other's from the status probe; undefined for an unknown server, `offline` until a first probe succeeds. */
  state(id: string): ServerState | undefined;
  states(): [string, ServerState][];
  /** The local server manager (`[server_manager]`): start or stop a managed server, resolving once done. */
  start(id: string): Promise<ManageResult>;
  stop(id: string): Promise<ManageResult>;
  /** A managed server's lifecycle, process and log; undefined for any other. */
  managed(id: string): ManagedView | undefined;
  managedLog(id: string, lines?: number): string[] | undefined;
  /** Re-reads servers_dir now (the watcher does this by itself). */
  reload(): Promise<ServerChanges>;
  onChange(listener: (changes: ServerChanges) => void): () => void;
}

export interface ProxyStats extends ConnectionCounters {
  listening: boolean;
  activeConnections: number;
  totalConnections: number;
  /** Refused because max_connections was reached. */
  refusedConnections: number;
  players: number;
  servers: number;
  bytesFromClients: number;
  bytesFromBackends: number;
}

export interface Proxy {
  start(): Promise<{ address: string; port: number }>;
  stop(): Promise<void>;
  players: PlayerRegistry;
  bans: BanStore;
  servers: ProxyServers;
  /** Players held in limbo and the handler holding each. */
  limbo: LimboSessions;
  /** Per-address backend state (load-balancer). */
  balancer: BackendBalancer;
  stats(): ProxyStats;
}

export function createProxy(opts: ProxyOptions): Proxy {
  const { settings, log } = opts;
  const events = new ProxyEvents(opts.dispatcher, log);
  const players = opts.network ? new NetworkPlayerRegistry(opts.network) : new PlayerRegistry();
  const balancer = new BackendBalancer(Date.now, (server, address, state) => backendHealth(events, registry, server, address, state));
  const bans = new BanStore(join(settings.dataDir, 'bans.json'), log);
  const registry = new ServerRegistry(settings.serversDir, log, opts.watchDebounceMs);
  const stateChanged = (server: string, oldState: ServerState, newState: ServerState) => {
    opts.onServerState?.(server, oldState, newState);
    events.notify('server-state-change', () => ({ tag: 'server-state-change', val: { server, oldState, newState } }));
  };
  const manager = new ServerManager({
    get: (id) => registry.get(id),
    list: () => registry.list(),
    playersOn: (id) => players.countOn(id),
    logDir: join(settings.dataDir, 'server-logs'),
    log,
    onState: (server, oldState, newState) => stateChanged(server, CONTRACT_STATE[oldState], CONTRACT_STATE[newState]),
  });
  const limbo: LimboSessions = new LimboSessions(withServerWake(opts.limbo ?? noLimboDispatcher, (): LimboSessions => limbo, manager));
  // Managed servers report their state from their manager, not the probe.
  const probe = new StatusProbe({
    servers: () => registry.list().filter((s) => !s.manager),
    intervalMs: opts.probeIntervalMs ?? 30_000,
    timeoutMs: settings.connectTimeoutMs,
    onChange: (server, oldState, newState) => {
      log('info', `servers: ${server} is ${newState}`);
      stateChanged(server, oldState, newState);
    },
  });
  const stateOf = (id: string): ServerState => {
    const managed = manager.state(id);
    return managed ? CONTRACT_STATE[managed] : probe.state(id);
  };
  const counters: ConnectionCounters = {
    protocolErrors: 0,
    timeouts: 0,
    statusRequests: 0,
    legacyPings: 0,
    logins: 0,
    loginsRefused: 0,
    backendFailures: 0,
  };
  const ctx: ConnectionContext = {
    settings,
    servers: registry,
    players,
    bans,
    banGate: opts.banGate,
    events,
    log,
    limbo,
    codecs: opts.codecs ?? noCodecDispatcher,
    commands: opts.commands ?? noPlayerCommands,
    balancer,
    manager,
    handshakeTimeoutMs: opts.handshakeTimeoutMs ?? settings.connectTimeoutMs,
    counters,
    admitLogin: opts.network && ((profile) => opts.network!.admitLogin(profile)),
  };
  const connections = new Set<ClientConnection>();
  /** Sockets still sending their PROXY header, not yet a ClientConnection. */
  const awaitingHeader = new Set<Socket>();
  const trusted = new TrustedPeers(settings.trustedProxies ?? []);
  const closedBytes = { fromClients: 0, fromBackends: 0 };
  let totalConnections = 0;
  let refusedConnections = 0;
  let refusedSinceLog = 0;
  let lastRefusalLog = 0;
  let server: Server | undefined;
  let unsubscribeReload: (() => void) | undefined;

  const onConnection = (socket: Socket) => {
    // max_connections <= 0 means no limit.
    if (settings.maxConnections > 0 && connections.size + awaitingHeader.size >= settings.maxConnections) {
      refusedConnections++;
      refusedSinceLog++;
      socket.on('error', () => undefined);
      if (events.has030('connection-rejected')) rejected(events, formatHostPort((socket.remoteAddress ?? '').replace(/^::ffff:/, ''), socket.remotePort ?? 0), undefined, { tag: 'rate-limit' });
      socket.destroy();
      // One line per second at most: a flood must not also flood the log.
      if (Date.now() - lastRefusalLog >= 1000) {
        log('warn', `max_connections (${settings.maxConnections}) reached: refused ${refusedSinceLog} connection(s)`);
        lastRefusalLog = Date.now();
        refusedSinceLog = 0;
      }
      return;
    }
    totalConnections++;
    if (settings.receiveProxyProtocol) void readHeaderThenServe(socket);
    else serve(socket);
  };

  /** The balancer's header comes first: a trusted peer must send one, any other peer must not. */
  const readHeaderThenServe = async (socket: Socket) => {
    socket.on('error', () => undefined);
    const peerIp = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const expect = trusted.empty || trusted.has(peerIp) ? 'required' : 'forbidden';
    awaitingHeader.add(socket);
    const outcome = await takeProxyHeader(socket, expect, ctx.handshakeTimeoutMs);
    awaitingHeader.delete(socket);
    if (!outcome.ok) {
      if (!outcome.quiet) counters.protocolErrors++;
      log(outcome.quiet ? 'debug' : 'warn', `${peerIp}:${socket.remotePort}: ${outcome.reason}; closing`);
      socket.destroy();
      return;
    }
    if (!server) return void socket.destroy();
    serve(socket, outcome.source ?? undefined);
    socket.resume();
  };

  const serve = (socket: Socket, client?: Endpoint) => {
    const conn = new ClientConnection(socket, ctx, client);
    connections.add(conn);
    void conn.whenClosed().then(() => {
      const b = conn.bytes();
      closedBytes.fromClients += b.fromClient;
      closedBytes.fromBackends += b.fromBackend;
      connections.delete(conn);
    });
  };

  const servers: ProxyServers = {
    list: () => registry.list(),
    get: (id) => registry.get(id),
    problems: () => registry.problems(),
    configs: () => registry.configs(),
    config: (id) => registry.config(id),
    state: (id) => (registry.get(id) ? stateOf(id) : undefined),
    states: () => registry.list().map((s) => [s.id, stateOf(s.id)]),
    start: (id) => manager.start(id),
    stop: (id) => manager.stop(id),
    managed: (id) => manager.view(id),
    managedLog: (id, lines) => manager.logTail(id, lines),
    reload: () => registry.rescan(),
    onChange: (listener) => registry.onChange(listener),
  };

  return {
    players,
    bans,
    limbo,
    balancer,
    servers,

    async start() {
      if (server) throw new Error('proxy already started');
      const bind = parseAddress(settings.bind, true);
      if (!bind) throw new Error(`bind "${settings.bind}" is not host:port`);
      await bans.load();
      await registry.load();
      const srv = createServer({ noDelay: true }, onConnection);
      await listenOn(srv, bind.host, bind.port, 'bind');
      srv.on('error', (err) => log('error', `proxy: listener error: ${err.message}`));
      server = srv;
      const unsubscribeFiles = registry.onChange(() => {
        events.notify('config-reload', () => ({ tag: 'config-reload' }));
        manager.sync();
        void probe.probeAll();
      });
      // The idle timer of a managed server follows the players on it.
      const unsubscribePlayers = players.onChange((change) => {
        // A player waiting for a server to start stops counting for it once on it, or gone.
        if (change.type === 'left') manager.arrived(change.player.id);
        else if (change.player.currentServer !== undefined) manager.arrived(change.player.id, change.player.currentServer);
        for (const s of registry.list()) if (s.manager) manager.playersChanged(s.id);
      });
      unsubscribeReload = () => {
        unsubscribeFiles();
        unsubscribePlayers();
      };
      registry.watch();
      probe.start();
      const addr = srv.address() as { address: string; port: number };
      log('info', `proxy: listening on ${addr.address}:${addr.port} with ${registry.list().length} server(s)`);
      await events.notifyAndWait('proxy-initialize', () => ({ tag: 'proxy-initialize' }));
      return { address: addr.address, port: addr.port };
    },

    async stop() {
      const srv = server;
      if (!srv) return;
      server = undefined;
      await events.notifyAndWait('proxy-shutdown', () => ({ tag: 'proxy-shutdown' }));
      limbo.shutdownAll();
      unsubscribeReload?.();
      registry.close();
      probe.stop();
      const closed = new Promise<void>((resolve) => srv.close(() => resolve()));
      for (const s of awaitingHeader) s.destroy();
      await Promise.all([...connections].map((c) => c.destroy()));
      await manager.shutdown();
      await closed;
      log('info', 'proxy: stopped');
    },

    stats() {
      let fromClients = closedBytes.fromClients;
      let fromBackends = closedBytes.fromBackends;
      for (const c of connections) {
        const b = c.bytes();
        fromClients += b.fromClient;
        fromBackends += b.fromBackend;
      }
      return {
        ...counters,
        listening: server !== undefined,
        activeConnections: connections.size,
        totalConnections,
        refusedConnections,
        players: players.count(),
        servers: registry.list().length,
        bytesFromClients: fromClients,
        bytesFromBackends: fromBackends,
      };
    },
  };
}
