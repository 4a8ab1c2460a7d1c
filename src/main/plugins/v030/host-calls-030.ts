// Answers one 0.3.0 plugin's calls into the host interfaces (§3, §4). Every interface is linked; each
// gated function checks its capability when called (§4.1) and every failure is a `host-error` with an
// error kind (§4.2), never an exception: a thrown host import breaks some guests for good.
import type { Capability } from '../../../shared/capabilities';
import type { HostConfig } from '../../config/types';
import type { BanEntry as BanEntry023, BanTarget as BanTarget023, PingResponse, PlayerAction, PlayerError } from '../../contract/guest-types';
import type { CommandRegistry, Scheduler } from '../callback-registry';
import type { ContractServices, PlayerSnapshot } from '../contract-services';
import type { EventRouter } from '../event-router';
import { type Bans, hostErr, type HostResult, ok, type Players, type ProxyInfo, type Registry, type T } from './contract-030';
import { channelKey, channelProblem, type Registries030 } from './registries';
import { ArenaError, arenaFromComponentString, arenaFromJson, arenaFromLegacy, arenaToJson, arenaToPlain, checkArena } from './text-arena';
import { ipFrom, ipText, playerRef, profileFrom, socketAddressFrom, uuidFrom, uuidText } from './values';

export interface HostCall030Context {
  pluginId: string;
  granted: ReadonlySet<Capability>;
  services: ContractServices;
  events: EventRouter;
  commands: CommandRegistry;
  scheduler: Scheduler;
  limboHandlers: Map<string, bigint>;
  registries: Registries030;
  config: () => HostConfig;
  /** Every plugin as plugin-registry shows it. */
  plugins: () => Registry.PluginInfo[];
  /** The ping response of the proxy-ping call running now, if any. */
  currentPing: () => PingResponse | undefined;
  /** True while the instance is a metadata probe: every host call answers `unavailable` (§4.9). */
  probing: () => boolean;
  log: (level: 'trace' | 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

const PASSTHROUGH = 'the proxy runs in passthrough mode and does not decode play packets, so it cannot do this';
const HOST_VERSION = '0.1.0';

export function createHostCalls030(ctx: HostCall030Context): (iface: string, fn: string, args: unknown[]) => unknown {
  const { services, pluginId } = ctx;
  const quota = () => ctx.config().wasm.quotas;
  const denied = (cap: Capability): HostResult<never> | null => (ctx.granted.has(cap) ? null : hostErr('permission-denied', `missing capability: ${cap}`));
  const players = () => services.players.all();
  const snapshot = (id: unknown) => (typeof id === 'bigint' ? services.players.byId(id) : undefined);
  const info = (p: PlayerSnapshot): Players.PlayerInfo => ({
    player: playerRef(p.id, p.profile),
    profile: profileFrom(p.profile),
    protocol: p.protocolVersion,
    remoteAddr: socketAddressFrom(p.remoteAddr),
    currentServer: p.currentServer,
    onlineMode: false,
    connected: true,
    active: p.active,
    connectedAt: p.connectedAt,
    knownChannels: [],
  });
  const summary = (p: PlayerSnapshot): Players.PlayerSummary => ({ player: playerRef(p.id, p.profile), currentServer: p.currentServer });
  const onServer = (server: string | undefined) => players().filter((p) => server === undefined || p.currentServer === server);
  /** A players action the passthrough proxy cannot carry out; the player must still be there. */
  const playerAction = (cap: Capability) => (id: bigint) => denied(cap) ?? (snapshot(id) ? hostErr('unsupported', PASSTHROUGH) : hostErr('player-gone', `player ${id} is not online`));
  /** A player action the proxy performs in its decoding modes (passthrough answers why it cannot). */
  const act = async (cap: Capability, id: bigint, action: () => PlayerAction): Promise<HostResult<undefined>> => {
    const refused = denied(cap);
    if (refused) return refused;
    if (!snapshot(id)) return hostErr('player-gone', `player ${id} is not online`);
    const failed = await services.players.act(id, action());
    return failed ? playerErr(failed) : ok(undefined);
  };
  const checkText = (...cs: T.Component[]): HostResult<never> | null => {
    try {
      for (const c of cs) checkArena(c);
      return null;
    } catch (err) {
      return hostErr('invalid-argument', `invalid text component: ${(err as Error).message}`);
    }
  };

  const banTarget = (t: Bans.BanTarget): BanTarget023 | HostResult<never> => {
    if (t.tag === 'ip') return { tag: 'ip', val: ipText(t.val) };
    if (t.tag === 'uuid') return { tag: 'uuid', val: uuidText(t.val) };
    if (t.tag === 'username') return { tag: 'username', val: t.val };
    return hostErr('unsupported', 'this host\'s ban list holds single addresses, not IP ranges');
  };
  const banTarget030 = (t: BanTarget023): Bans.BanTarget =>
    t.tag === 'ip' ? { tag: 'ip', val: ipFrom(t.val) } : t.tag === 'uuid' ? { tag: 'uuid', val: uuidFrom(t.val) } : t;
  const banEntry = (e: BanEntry023): Bans.BanEntry => ({
    id: `${e.target.tag}:${e.target.val}`,
    target: banTarget030(e.target),
    reason: e.reason,
    source: e.source,
    createdAt: e.createdAt,
    expiresAt: e.expiresAt,
  });
  const serviceErr = (e: { tag: string; val: string }) => hostErr(e.tag === 'not-found' ? 'not-found' : e.tag === 'unavailable' ? 'unavailable' : 'internal', e.val);
  const isErr = (v: unknown): v is HostResult<never> => typeof v === 'object' && v !== null && (v as { tag?: unknown }).tag === 'err';

  const ownCommands = () => ctx.commands.list().filter((c) => c.pluginId === pluginId);
  const commandInfo = (c: ReturnType<CommandRegistry['list']>[number]) => ({
    spec: c.spec ?? { name: c.name, aliases: c.aliases, description: c.description, hidden: false },
    pluginId: c.pluginId,
  });
  const serverConfigs = () => services.servers.configs();

  const handlers: Record<string, (...a: never[]) => unknown> = {
    'log.maxLevel': () => 'trace',

    'text.parseJson': (json: string) => {
      try {
        return ok(arenaFromJson(JSON.parse(json)));
      } catch (err) {
        return hostErr('invalid-argument', err instanceof ArenaError ? `invalid text component: ${err.message}` : `not JSON: ${(err as Error).message}`);
      }
    },
    'text.parseLegacy': (legacy: string) => arenaFromLegacy(String(legacy)),
    'text.toJson': (c: T.Component) => checkText(c) ?? ok(JSON.stringify(arenaToJson(c))),
    'text.toPlain': (c: T.Component) => checkText(c) ?? ok(arenaToPlain(c)),

    'events.pingDescription': () => {
      const ping = ctx.currentPing();
      return ping ? arenaFromComponentString(ping.description) : undefined;
    },
    'events.pingFavicon': () => ctx.currentPing()?.favicon,
    'events.pingPlayerSample': () => [],

    'event-bus.subscribe': (kind: string, priority: number) => {
      const refused = denied('event-bus');
      if (refused) return refused;
      if (kind === 'raw-packet') return denied('raw-packet') ?? hostErr('invalid-argument', 'raw packets are subscribed with subscribe-packets');
      if (kind === 'chat-message' || kind === 'command-execute') {
        const r = denied('chat-intercept');
        if (r) return r;
      }
      if (kind === 'plugin-message') {
        const r = denied('plugin-messaging');
        if (r) return r;
      }
      if (ctx.events.count(pluginId) >= quota().listeners) return hostErr('limit-exceeded', `at most ${quota().listeners} listeners`);
      return ok(ctx.events.subscribe(pluginId, kind, priority));
    },
    'event-bus.unsubscribe': (handle: bigint) => denied('event-bus') ?? ok(ctx.events.unsubscribe(pluginId, BigInt(handle))),
    'event-bus.subscribeNamed': (name: string, priority: number) => {
      const refused = denied('event-bus');
      if (refused) return refused;
      if (ctx.events.count(pluginId) >= quota().listeners) return hostErr('limit-exceeded', `at most ${quota().listeners} listeners`);
      return ok(ctx.events.subscribe(pluginId, `named:${name}`, priority));
    },
    'event-bus.fireNamed': async (name: string, contentType: string, payload: Uint8Array) =>
      denied('event-bus') ?? ok(await ctx.events.fireNamed(pluginId, String(name), String(contentType), payload)),
    'event-bus.subscribePackets': () => denied('event-bus') ?? denied('raw-packet') ?? hostErr('unsupported', PASSTHROUGH),

    // §4.1: the six lookups answer none, an empty list or 0 without player-read.
    'players.get': (id: bigint) => (ctx.granted.has('player-read') && snapshot(id) ? info(snapshot(id)!) : undefined),
    'players.getByName': (name: string) => {
      if (!ctx.granted.has('player-read')) return undefined;
      const p = players().find((x) => x.profile.username.toLowerCase() === String(name).toLowerCase());
      return p && info(p);
    },
    'players.getByUuid': (u: T.Uuid) => {
      if (!ctx.granted.has('player-read')) return undefined;
      const p = players().find((x) => x.profile.uuid.replace(/-/g, '') === uuidText(u).replace(/-/g, ''));
      return p && info(p);
    },
    'players.list': (server: string | undefined) => (ctx.granted.has('player-read') ? onServer(server).map(summary) : []),
    'players.getByIp': (ip: T.IpAddress) => (ctx.granted.has('player-read') ? players().filter((p) => ipText(socketAddressFrom(p.remoteAddr).ip) === ipText(ip)).map(summary) : []),
    'players.count': (server: string | undefined) => (ctx.granted.has('player-read') ? onServer(server).length : 0),
    'players.sendMessage': (id: bigint, m: T.Component) => checkText(m) ?? act('player-write', id, () => ({ kind: 'message', component: json(m) })),
    'players.sendTitle': (id: bigint, t: T.TitleData) =>
      checkText(t.title, t.subtitle) ??
      act('player-write', id, () => ({ kind: 'title', title: { title: json(t.title), subtitle: json(t.subtitle), fadeInTicks: t.fadeInTicks, stayTicks: t.stayTicks, fadeOutTicks: t.fadeOutTicks } })),
    'players.sendActionBar': (id: bigint, m: T.Component) => checkText(m) ?? act('player-write', id, () => ({ kind: 'action-bar', component: json(m) })),
    'players.sendPacket': (id: bigint, packet: T.RawPacket) => act('raw-packet', id, () => ({ kind: 'packet', packet })),
    'players.disconnect': async (id: bigint, reason: T.Component) => {
      const refused = denied('player-write') ?? checkText(reason);
      if (refused) return refused;
      if (!snapshot(id)) return hostErr('player-gone', `player ${id} is not online`);
      await services.players.disconnect(id, JSON.stringify(arenaToJson(reason)));
      return ok(undefined);
    },
    'players.switchServer': (id: bigint, server: string) => act('player-write', id, () => ({ kind: 'switch', server: String(server) })),
    'players.hasPermission': (id: bigint) => denied('player-read') ?? (snapshot(id) ? ok(false) : hostErr('player-gone', `player ${id} is not online`)),
    'players.connect': playerAction('player-write'),
    'players.setPlayerListHeaderFooter': playerAction('player-write'),
    'players.clearTitle': playerAction('player-write'),
    'players.showBossBar': playerAction('player-write'),
    'players.updateBossBar': () => denied('player-write') ?? hostErr('not-found', 'this plugin owns no such boss bar'),
    'players.hideBossBar': () => denied('player-write') ?? hostErr('not-found', 'this plugin owns no such boss bar'),
    'players.sendResourcePack': playerAction('player-write'),
    'players.removeResourcePack': playerAction('player-write'),
    'players.transfer': playerAction('player-write'),
    'players.storeCookie': playerAction('player-write'),
    'players.requestCookie': playerAction('player-write'),
    'players.refreshPermissions': (id: bigint) => denied('player-write') ?? (snapshot(id) ? ok(undefined) : hostErr('player-gone', `player ${id} is not online`)),

    'server-manager.getState': (server: string) => denied('server-manage') ?? ok(services.servers.states().find(([id]) => id === server)?.[1]),
    'server-manager.start': () => denied('server-manage') ?? hostErr('unsupported', 'no server manager is configured on this proxy'),
    'server-manager.stop': () => denied('server-manage') ?? hostErr('unsupported', 'no server manager is configured on this proxy'),
    'server-manager.list': () => denied('server-manage') ?? ok(services.servers.states().map(([server, state]) => ({ server, state }))),

    'ban-service.ban': async (req: Bans.BanRequest) => {
      const refused = denied('ban');
      if (refused) return refused;
      const target = banTarget(req.target);
      if (isErr(target)) return target;
      const done = await services.bans.ban(target, req.reason, req.durationMs === undefined ? undefined : BigInt(req.durationMs), `plugin:${pluginId}`);
      if (done.tag === 'err') return serviceErr(done.val);
      const entry = await services.bans.getBan(target);
      return entry.tag === 'ok' && entry.val ? ok(banEntry(entry.val)) : hostErr('internal', 'the ban was recorded but cannot be read back');
    },
    'ban-service.unban': async (t: Bans.BanTarget) => {
      const refused = denied('ban');
      if (refused) return refused;
      const target = banTarget(t);
      if (isErr(target)) return target;
      const before = await services.bans.getBan(target);
      const done = await services.bans.unban(target);
      if (done.tag === 'err') return serviceErr(done.val);
      return ok(done.val && before.tag === 'ok' && before.val ? banEntry(before.val) : undefined);
    },
    'ban-service.get': async (t: Bans.BanTarget) => {
      const refused = denied('ban');
      if (refused) return refused;
      const target = banTarget(t);
      if (isErr(target)) return target;
      const got = await services.bans.getBan(target);
      return got.tag === 'err' ? serviceErr(got.val) : ok(got.val && banEntry(got.val));
    },
    'ban-service.list': async (cursor: string | undefined, limit: number) => {
      const refused = denied('ban');
      if (refused) return refused;
      const all = await services.bans.getAllBans();
      if (all.tag === 'err') return serviceErr(all.val);
      const start = cursor === undefined ? 0 : Number(cursor);
      if (!Number.isInteger(start) || start < 0) return hostErr('invalid-argument', `"${cursor}" is not a cursor this host gave`);
      const n = Math.max(1, Math.min(Number(limit) || 100, 1000));
      const page = all.val.slice(start, start + n).map(banEntry);
      return ok({ entries: page, nextCursor: start + n < all.val.length ? String(start + n) : undefined });
    },

    'config-service.getValue': (key: string) => denied('config-read') ?? ok(services.configValue(pluginId, String(key))),
    'config-service.getServer': (server: string) => denied('config-read') ?? ok(serverConfigs().find((c) => c.id === server)),
    'config-service.getServerByDomain': (domain: string) =>
      denied('config-read') ?? ok(serverConfigs().find((c) => c.domains.some((d) => d.toLowerCase() === String(domain).toLowerCase()))),
    'config-service.listServers': () => denied('config-read') ?? ok(serverConfigs()),
    'config-service.getServerDocument': () => denied('config-read') ?? hostErr('unsupported', 'server documents are not exposed by this host yet'),
    'config-service.listServerSources': () => denied('config-read') ?? ok([{ id: 'file', providerId: 'file', providerType: 'file', editable: true }]),
    'config-service.getProxyConfigDocument': () => denied('config-read') ?? hostErr('unsupported', 'the proxy configuration document is not exposed by this host yet'),
    'config-service.getEffectiveProxyConfigDocument': () => denied('config-read') ?? hostErr('unsupported', 'the proxy configuration document is not exposed by this host yet'),
    'config-service.writeProxyConfigDocument': () => denied('config-read') ?? denied('config-write') ?? hostErr('unsupported', 'plugins cannot rewrite infrarust.toml on this host yet'),

    'command-manager.register': (spec: { name: string; aliases: string[]; description: string; usage?: string; permission?: string; hidden: boolean }, handler: bigint) => {
      const refused = denied('command');
      if (refused) return refused;
      const name = String(spec.name).toLowerCase();
      if (!/^[a-z0-9_-]+$/.test(name)) return hostErr('invalid-argument', `"${spec.name}" is not a command name`);
      const holder = ctx.commands.find(name);
      if (holder && holder.pluginId !== pluginId) return hostErr('conflict', `command "${name}" belongs to ${holder.pluginId}`);
      if (!holder && ownCommands().length >= quota().commands) return hostErr('limit-exceeded', `at most ${quota().commands} commands`);
      const accepted: string[] = [];
      const rejected: string[] = [];
      for (const a of spec.aliases) {
        const other = ctx.commands.find(a);
        (other && other.pluginId !== pluginId ? rejected : accepted).push(a);
      }
      ctx.commands.register({ pluginId, name, aliases: accepted, description: spec.description, callbackId: BigInt(handler), spec: { ...spec, aliases: accepted } });
      return ok({ name, namespaced: `${pluginId}:${name}`, aliases: accepted, rejectedAliases: rejected });
    },
    'command-manager.unregister': (label: string) => {
      const refused = denied('command');
      if (refused) return refused;
      const cmd = ctx.commands.find(String(label));
      if (!cmd || cmd.pluginId !== pluginId) return hostErr('not-found', `this plugin has no command "${label}"`);
      ctx.commands.unregister(pluginId, cmd.name);
      return ok(undefined);
    },
    'command-manager.get': (label: string) => denied('command') ?? ok(ctx.commands.find(String(label)) && commandInfo(ctx.commands.find(String(label))!)),
    'command-manager.getByName': (name: string) => {
      const c = ctx.commands.list().find((x) => x.name === String(name).toLowerCase());
      return denied('command') ?? ok(c && commandInfo(c));
    },
    'command-manager.getByAlias': (alias: string) => {
      const c = ctx.commands.list().find((x) => x.aliases.some((a) => a.toLowerCase() === String(alias).toLowerCase()));
      return denied('command') ?? ok(c && commandInfo(c));
    },
    'command-manager.contains': (label: string) => denied('command') ?? ok(ctx.commands.find(String(label)) !== undefined),
    'command-manager.list': () => denied('command') ?? ok(ctx.commands.list().sort((a, b) => a.name.localeCompare(b.name)).map(commandInfo)),
    'command-manager.listOwned': () => denied('command') ?? ok(ownCommands().sort((a, b) => a.name.localeCompare(b.name)).map(commandInfo)),

    'scheduler.delay': (after: bigint, handler: bigint) => {
      const refused = denied('scheduler');
      if (refused) return refused;
      if (ctx.scheduler.count(pluginId) >= quota().tasks) return hostErr('limit-exceeded', `at most ${quota().tasks} live tasks`);
      return ok(ctx.scheduler.schedule(pluginId, BigInt(after), BigInt(handler), false));
    },
    'scheduler.interval': (period: bigint, initialDelay: bigint | undefined, handler: bigint) => {
      const refused = denied('scheduler');
      if (refused) return refused;
      if (ctx.scheduler.count(pluginId) >= quota().tasks) return hostErr('limit-exceeded', `at most ${quota().tasks} live tasks`);
      return ok(ctx.scheduler.schedule(pluginId, BigInt(period), BigInt(handler), true, initialDelay === undefined ? undefined : BigInt(initialDelay)));
    },
    'scheduler.cancel': (handle: bigint) => denied('scheduler') ?? (ctx.scheduler.cancel(pluginId, BigInt(handle)), ok(undefined)),

    'limbo.registerLimboHandler': (name: string, handler: bigint) => {
      const refused = denied('limbo');
      if (refused) return refused;
      if (ctx.limboHandlers.has(name)) return hostErr('conflict', `limbo handler "${name}" is already registered`);
      if (ctx.limboHandlers.size >= quota().limboHandlers) return hostErr('limit-exceeded', `at most ${quota().limboHandlers} limbo handlers`);
      ctx.limboHandlers.set(name, BigInt(handler));
      return ok(undefined);
    },

    'codec-registry.registerCodecFilter': () => denied('codec-filter') ?? hostErr('unsupported', PASSTHROUGH),
    'codec-registry.unregisterCodecFilter': (id: string) => denied('codec-filter') ?? hostErr('not-found', `this plugin has no codec filter "${id}"`),

    'load-balancer.strategy': (server: string) => {
      const refused = denied('config-read');
      if (refused) return refused;
      return serverConfigs().some((c) => c.id === server) ? ok('ordered') : hostErr('not-found', `no server "${server}"`);
    },
    'load-balancer.backends': (server: string) => {
      const refused = denied('config-read');
      if (refused) return refused;
      const config = serverConfigs().find((c) => c.id === server);
      if (!config) return hostErr('not-found', `no server "${server}"`);
      const state = services.servers.states().find(([id]) => id === server)?.[1];
      return ok(
        config.addresses.map((address) => ({
          address,
          weight: 1,
          effectiveWeight: 1,
          state: state === 'offline' || state === 'crashed' ? 'unhealthy' : 'healthy',
          activeConnections: BigInt(onServer(server).length),
          ejections: 0,
        })),
      );
    },
    'load-balancer.setDrained': () => denied('server-manage') ?? hostErr('unsupported', 'this proxy connects to a server\'s addresses in order and cannot drain one'),
    'load-balancer.resetBackend': () => denied('server-manage') ?? hostErr('unsupported', 'this proxy keeps no per-backend health to reset'),

    'messaging.registerChannel': (channel: T.ChannelId) => {
      const refused = denied('plugin-messaging');
      if (refused) return refused;
      const problem = channelProblem(channel);
      if (problem) return hostErr('invalid-argument', problem);
      const mine = ctx.registries.channelsOf(pluginId);
      if (!mine.has(channelKey(channel)) && mine.size >= quota().channels) return hostErr('limit-exceeded', `at most ${quota().channels} channels`);
      mine.set(channelKey(channel), channel);
      return ok(undefined);
    },
    'messaging.unregisterChannel': (channel: T.ChannelId) => denied('plugin-messaging') ?? ok(ctx.registries.channelsOf(pluginId).delete(channelKey(channel))),
    'messaging.channels': () => denied('plugin-messaging') ?? ok([...ctx.registries.channelsOf(pluginId).values()]),
    'messaging.sendToPlayer': (id: bigint) => playerAction('plugin-messaging')(id),
    'messaging.sendToBackend': (id: bigint) => playerAction('plugin-messaging')(id),
    'messaging.sendToServer': (server: string) =>
      denied('plugin-messaging') ?? (onServer(String(server)).length === 0 ? hostErr('unavailable', `nobody is on server "${server}" to carry the message`) : hostErr('unsupported', PASSTHROUGH)),

    'proxy-info.details': (): ProxyInfo.ProxyDetails => {
      const p = ctx.config().proxy;
      return {
        version: `infrarust-desktop ${HOST_VERSION}`,
        bind: socketAddressFrom(p.bind),
        maxConnections: p.maxConnections,
        connectTimeoutMs: BigInt(p.connectTimeoutMs),
        receiveProxyProtocol: false,
        workerThreads: 1,
        soReuseport: false,
        rateLimit: { maxConnections: 0, windowMs: 0n, statusMax: 0, statusWindowMs: 0n },
        statusCache: { ttlMs: 0n, maxEntries: 0n },
        keepalive: { timeMs: 0n, intervalMs: 0n, retries: 0 },
        telemetryEnabled: false,
        dockerEnabled: false,
        webApiEnabled: false,
        webUiEnabled: true,
        unknownDomainBehavior: p.unknownDomainBehavior === 'drop' ? 'drop' : 'default-motd',
      };
    },
    'proxy-info.grantedCapabilities': () => [...ctx.granted],

    'plugin-registry.list': () => ctx.plugins(),
    'plugin-registry.get': (id: string) => ctx.plugins().find((p) => p.id === id),

    // No permission provider can be selected on this host yet: there is no snapshot to replace.
    'permissions.setSnapshot': () => denied('permission-provider') ?? hostErr('not-found', 'this plugin has provided no snapshot (it is not the selected permission provider)'),
    'permissions.release': () => denied('permission-provider') ?? ok(undefined),

    'permission-nodes.register': (node: { name: string; description: string; default: 'false' | 'true' | 'admin' }) => {
      const name = String(node.name).trim().toLowerCase();
      if (!name.startsWith(`${pluginId}.`) || name.length === pluginId.length + 1) return hostErr('invalid-argument', `a node of this plugin is named "${pluginId}.<something>", not "${node.name}"`);
      const held = ctx.registries.nodes.get(name);
      if (held && held.pluginId !== pluginId) return hostErr('conflict', `node "${name}" belongs to ${held.pluginId}`);
      if (!held && ctx.registries.nodeCount(pluginId) >= quota().permissionNodes) return hostErr('limit-exceeded', `at most ${quota().permissionNodes} permission nodes`);
      ctx.registries.nodes.set(name, { node: { ...node, name }, pluginId });
      return ok(undefined);
    },
    'permission-nodes.get': (name: string) => {
      const n = ctx.registries.nodes.get(String(name).trim().toLowerCase());
      return n && { node: n.node, pluginId: n.pluginId };
    },
    'permission-nodes.list': () =>
      [...ctx.registries.nodes.values()].sort((a, b) => a.node.name.localeCompare(b.node.name)).map((n) => ({ node: n.node, pluginId: n.pluginId })),

    'providers.registerBanProvider': () => denied('ban-provider') ?? hostErr('conflict', 'this host has no [ban] provider setting naming this plugin: the built-in ban list stays in charge'),
    'providers.registerPermissionProvider': () =>
      denied('permission-provider') ?? hostErr('conflict', 'this host has no [permissions] provider setting naming this plugin: default permissions stay in charge'),
  };

  return (iface, fn, args) => {
    if (ctx.probing() && iface !== 'log') return hostErr('unavailable', 'host calls are unavailable while metadata() runs');
    const handler = handlers[`${iface}.${fn}`];
    if (!handler) return hostErr('unsupported', `${iface}.${fn} is not implemented by this host`);
    return (handler as (...a: unknown[]) => unknown)(...args);
  };
}

const json = (c: T.Component): string => JSON.stringify(arenaToJson(c));

/** The proxy's player errors (0.2.3 shapes) as host-error kinds. */
function playerErr(e: PlayerError): HostResult<never> {
  if (e.tag === 'not-active' || e.tag === 'disconnected') return hostErr('player-gone', `the player is ${e.tag === 'disconnected' ? 'gone' : 'not active'}`);
  if (e.tag === 'server-not-found') return hostErr('not-found', e.val);
  if (e.tag === 'switch-failed') return hostErr('unavailable', e.val);
  return hostErr(/passthrough/.test(e.val) ? 'unsupported' : 'internal', e.val);
}
