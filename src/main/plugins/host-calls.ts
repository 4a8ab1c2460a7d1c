// Answers one plugin's calls into the host interfaces. Failures travel back as the contract's own
// error values, never as exceptions: a thrown host import leaves some guests unable to continue.
import type { Capability } from '../../shared/capabilities';
import type { HandlerResult } from '../contract/limbo-types';
import type { BanTarget, EventKind, PlayerAction, PlayerError, RawPacket, TitleData } from '../contract/guest-types';
import { RESOURCE_TAG, type ResourceRef } from '../guest/host-interfaces';
import type { CommandRegistry, Scheduler } from './callback-registry';
import type { ContractServices, PlayerSnapshot } from './contract-services';
import type { EventRouter } from './event-router';
import type { LimboRouter } from './limbo-router';
import type { CodecRouter } from './codec-router';
import type { CodecFilterMetadata } from '../contract/codec-types';

export interface HostCallContext {
  pluginId: string;
  granted: ReadonlySet<Capability>;
  services: ContractServices;
  events: EventRouter;
  commands: CommandRegistry;
  scheduler: Scheduler;
  limbo: LimboRouter;
  codecs: CodecRouter;
  /** WASM guests log inside their worker (rate-limited there); native plugins log through here. */
  log: (level: 'trace' | 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

const player = (p: PlayerSnapshot): ResourceRef => ({ [RESOURCE_TAG]: 'Player', id: p.id });
const err = (val: PlayerError) => ({ tag: 'err' as const, val });

export function createHostCalls(ctx: HostCallContext): (iface: string, fn: string, args: unknown[]) => unknown {
  const { services, pluginId } = ctx;
  const snapshot = (id: unknown): PlayerSnapshot | undefined => (typeof id === 'bigint' ? services.players.byId(id) : undefined);
  const players = () => services.players.all();
  // Passthrough players answer the contract's errors from the proxy (player-registry.ts).
  const act = async (id: unknown, action: PlayerAction) => {
    if (typeof id !== 'bigint' || !snapshot(id)) return err({ tag: 'disconnected' });
    const failed = await services.players.act(id, action);
    return failed ? err(failed) : { tag: 'ok' as const, val: undefined };
  };

  const handlers: Record<string, (...a: never[]) => unknown> = {
    'log.trace': (m: string) => ctx.log('trace', String(m)),
    'log.debug': (m: string) => ctx.log('debug', String(m)),
    'log.info': (m: string) => ctx.log('info', String(m)),
    'log.warn': (m: string) => ctx.log('warn', String(m)),
    'log.error': (m: string) => ctx.log('error', String(m)),
    'event-bus.subscribe': (kind: EventKind, priority: number) => ctx.events.subscribe(pluginId, kind, priority),
    'event-bus.unsubscribe': (handle: bigint) => ctx.events.unsubscribe(pluginId, handle),

    'player-registry.getPlayer': (name: string) => opt(players().find((p) => p.profile.username.toLowerCase() === name.toLowerCase())),
    'player-registry.getPlayerByUuid': (uuid: string) => opt(players().find((p) => p.profile.uuid === uuid)),
    'player-registry.getPlayerById': (id: bigint) => opt(services.players.byId(BigInt(id))),
    'player-registry.getPlayersOnServer': (server: string) => players().filter((p) => p.currentServer === server).map(player),
    'player-registry.getAllPlayers': () => players().map(player),
    'player-registry.onlineCount': () => players().length,
    'player-registry.onlineCountOn': (server: string) => players().filter((p) => p.currentServer === server).length,

    'player-registry.Player.id': (id: bigint) => id ?? 0n,
    'player-registry.Player.profile': (id) => snapshot(id)?.profile ?? { uuid: '', username: '', properties: [] },
    'player-registry.Player.protocolVersion': (id) => snapshot(id)?.protocolVersion ?? 0,
    'player-registry.Player.remoteAddr': (id) => snapshot(id)?.remoteAddr ?? '',
    'player-registry.Player.currentServer': (id) => snapshot(id)?.currentServer,
    'player-registry.Player.isConnected': (id) => snapshot(id) !== undefined,
    'player-registry.Player.isActive': (id) => snapshot(id)?.active ?? false,
    'player-registry.Player.disconnect': async (id: bigint, reason: string) => {
      if (snapshot(id)) await services.players.disconnect(id, reason);
    },
    'player-registry.Player.sendMessage': (id: bigint, component: string) => act(id, { kind: 'message', component }),
    'player-registry.Player.sendTitle': (id: bigint, title: TitleData) => act(id, { kind: 'title', title }),
    'player-registry.Player.sendActionBar': (id: bigint, component: string) => act(id, { kind: 'action-bar', component }),
    'player-registry.Player.sendPacket': (id: bigint, packet: RawPacket) => {
      if (!ctx.granted.has('raw-packet')) return err({ tag: 'send-failed', val: 'missing capability: raw-packet' });
      return act(id, { kind: 'packet', packet });
    },
    'player-registry.Player.switchServer': (id: bigint, server: string) => act(id, { kind: 'switch', server }),
    'player-registry.Player.isOnlineMode': (id) => snapshot(id)?.onlineMode ?? false,
    'player-registry.Player.permissionLevel': () => 'player',
    'player-registry.Player.hasPermission': () => false,
    'player-registry.Player.connectedAt': (id) => snapshot(id)?.connectedAt ?? 0n,

    'server-manager.getState': (server: string) => services.servers.states().find(([id]) => id === server)?.[1],
    'server-manager.start': () => ({ tag: 'err', val: { tag: 'unavailable', val: 'no server manager is configured for this server' } }),
    'server-manager.stop': () => ({ tag: 'err', val: { tag: 'unavailable', val: 'no server manager is configured for this server' } }),
    'server-manager.getAllServers': () => services.servers.states(),

    'ban-service.ban': (target: BanTarget, reason: string | undefined, duration: bigint | undefined) =>
      services.bans.ban(target, reason, duration === undefined ? undefined : BigInt(duration), `plugin:${pluginId}`),
    'ban-service.unban': (target: BanTarget) => services.bans.unban(target, `plugin:${pluginId}`),
    'ban-service.isBanned': (target: BanTarget) => services.bans.isBanned(target),
    'ban-service.getBan': (target: BanTarget) => services.bans.getBan(target),
    'ban-service.getAllBans': () => services.bans.getAllBans(),

    'config-service.getServerConfig': (server: string) => services.servers.configs().find((c) => c.id === server),
    'config-service.getAllServerConfigs': () => services.servers.configs(),
    'config-service.getValue': (key: string) => services.configValue(pluginId, String(key)),

    'command-manager.register': (name: string, aliases: string[], description: string, callbackId: bigint) =>
      ctx.commands.register({ pluginId, name, aliases, description, callbackId: BigInt(callbackId) }),
    'command-manager.unregister': (name: string) => ctx.commands.unregister(pluginId, name),

    'scheduler.delay': (ms: bigint, callbackId: bigint) => ctx.scheduler.schedule(pluginId, BigInt(ms), BigInt(callbackId), false),
    'scheduler.interval': (ms: bigint, callbackId: bigint) => ctx.scheduler.schedule(pluginId, BigInt(ms), BigInt(callbackId), true),
    'scheduler.cancel': (handle: bigint) => ctx.scheduler.cancel(pluginId, BigInt(handle)),

    // Codec filters are called in decoding proxy modes only; in passthrough they stay registered, never called.
    'codec-registry.registerCodecFilter': (meta: CodecFilterMetadata, factory: bigint) => ctx.codecs.register(pluginId, meta, BigInt(factory)),
    'codec-registry.unregisterCodecFilter': (id: string) => ctx.codecs.unregister(pluginId, String(id)),

    'limbo.registerLimboHandler': (name: string, handler: bigint) => ctx.limbo.register(pluginId, String(name), BigInt(handler)),
    ...limboSessionCalls(ctx, 'LimboSession'),
    ...limboSessionCalls(ctx, 'LimboSessionHandle'),
    'limbo.LimboSession.profile': (id) => limboSession(ctx, id)?.profile ?? { uuid: '', username: '', properties: [] },
    'limbo.LimboSession.entryContext': (id) => limboSession(ctx, id)?.entryContext ?? { tag: 'plugin-redirect', val: undefined },
    'limbo.LimboSession.acquireHandle': (id: bigint) => ({ [RESOURCE_TAG]: 'LimboSessionHandle', id: typeof id === 'bigint' ? id : 0n }),
    'limbo.LimboSessionHandle.cancelled': (id) => limboSession(ctx, id)?.cancelled() ?? true,
  };

  return (iface, fn, args) => {
    const handler = handlers[`${iface}.${fn}`];
    if (!handler) throw new Error(`${iface}.${fn} is not implemented by this host`);
    return (handler as (...a: unknown[]) => unknown)(...args);
  };
}

/** A session's or handle's run; undefined once it ended (or for a stale borrow, whose id is undefined). */
function limboSession(ctx: HostCallContext, id: unknown) {
  return typeof id === 'bigint' ? ctx.services.limbo.session(id) : undefined;
}

/** The methods limbo-session and limbo-session-handle share. */
function limboSessionCalls(ctx: HostCallContext, cls: 'LimboSession' | 'LimboSessionHandle'): Record<string, (...a: never[]) => unknown> {
  const sent = (ok: boolean | undefined) => (ok ? { tag: 'ok' as const, val: undefined } : err({ tag: 'disconnected' }));
  return {
    [`limbo.${cls}.playerId`]: (id: unknown) => limboSession(ctx, id)?.playerId ?? 0n,
    [`limbo.${cls}.sendMessage`]: (id: unknown, c: string) => sent(limboSession(ctx, id)?.message(String(c), false)),
    [`limbo.${cls}.sendActionBar`]: (id: unknown, c: string) => sent(limboSession(ctx, id)?.message(String(c), true)),
    [`limbo.${cls}.sendTitle`]: (id: unknown, t: TitleData) => sent(limboSession(ctx, id)?.title(t)),
    [`limbo.${cls}.complete`]: (id: unknown, outcome: HandlerResult) => void limboSession(ctx, id)?.complete(outcome),
  };
}

function opt(p: PlayerSnapshot | undefined): ResourceRef | undefined {
  return p ? player(p) : undefined;
}
