// What every group of 0.3.0 host calls shares: the calling plugin's context, its capability check (§4.1) and
// the player helpers. Each interface group lives in a file of its own beside this one.
import type { Capability } from '../../../../shared/capabilities';
import type { HostConfig } from '../../../config/types';
import type { PingResponse, PlayerAction, PlayerError } from '../../../contract/guest-types';
import type { CommandRegistry, Scheduler } from '../../callback-registry';
import type { ContractServices, PlayerSnapshot } from '../../contract-services';
import type { CodecRouter } from '../../codec-router';
import type { EventRouter } from '../../event-router';
import type { LimboRouter } from '../../limbo-router';
import type { RawPacketListeners } from '../../raw-packets';
import { PASSTHROUGH_ONLY } from '../../../proxy/player-registry';
import { hostErr, type HostResult, ok, type Players, type Registry, type T } from '../contract-030';
import type { BossBars } from '../boss-bars';
import type { Providers030 } from '../providers';
import type { Registries030 } from '../registries';
import { arenaToJson, checkArena } from '../text-arena';
import { playerRef, profileFrom, socketAddressFrom } from '../values';
import { uuidMatches, type UuidHalves } from '../../../../shared/contract/uuid-halves';

export interface HostCall030Context {
  pluginId: string;
  granted: ReadonlySet<Capability>;
  services: ContractServices;
  events: EventRouter;
  commands: CommandRegistry;
  scheduler: Scheduler;
  limbo: LimboRouter;
  codecs: CodecRouter;
  rawPackets: RawPacketListeners;
  registries: Registries030;
  /** Boss bars of every 0.3.0 plugin, by owner. */
  bossBars: BossBars;
  /** The ban and permission providers (§4.6). */
  providers: Providers030;
  config: () => HostConfig;
  /** Every plugin as plugin-registry shows it. */
  plugins: () => Registry.PluginInfo[];
  /** The ping response of the proxy-ping call running now, if any. */
  currentPing: () => PingResponse | undefined;
  /** True while the instance is a metadata probe: every host call answers `unavailable` (§4.9). */
  probing: () => boolean;
  log: (level: 'trace' | 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

/** Host calls by `interface.function`, as jco's glue names them. */
export type Handlers = Record<string, (...a: never[]) => unknown>;

export type CallKit = ReturnType<typeof callKit>;

export function callKit(ctx: HostCall030Context) {
  const { services, pluginId } = ctx;
  const denied = (cap: Capability): HostResult<never> | null => (ctx.granted.has(cap) ? null : hostErr('permission-denied', `missing capability: ${cap}`));
  const players = () => services.players.all();
  const snapshot = (id: unknown) => (typeof id === 'bigint' ? services.players.byId(id) : undefined);
  const onServer = (server: string | undefined) => players().filter((p) => server === undefined || p.currentServer === server);
  /** The online player a guest's uuid names, exact or rounded by a QuickJS guest (uuid-halves.ts). */
  const byUuid = (u: UuidHalves) => players().find((p) => uuidMatches(u, p.profile.uuid));
  return {
    ctx,
    services,
    pluginId,
    quota: () => ctx.config().wasm.quotas,
    denied,
    players,
    snapshot,
    onServer,
    byUuid,
    serverConfigs: () => services.servers.configs(),
    info: (p: PlayerSnapshot): Players.PlayerInfo => ({
      player: playerRef(p.id, p.profile),
      profile: profileFrom(p.profile),
      protocol: p.protocolVersion,
      remoteAddr: socketAddressFrom(p.remoteAddr),
      currentServer: p.currentServer,
      onlineMode: p.onlineMode,
      virtualHost: p.virtualHost,
      connected: true,
      active: p.active,
      connectedAt: p.connectedAt,
      knownChannels: [],
    }),
    summary: (p: PlayerSnapshot): Players.PlayerSummary => ({ player: playerRef(p.id, p.profile), currentServer: p.currentServer }),
    /** A player action the proxy performs in its decoding modes (passthrough answers why it cannot). */
    act: async (cap: Capability, id: bigint, action: () => PlayerAction): Promise<HostResult<undefined>> => {
      const refused = denied(cap);
      if (refused) return refused;
      if (!snapshot(id)) return hostErr('player-gone', `player ${id} is not online`);
      const failed = await services.players.act(id, action());
      return failed ? playerErr(failed) : ok(undefined);
    },
    checkText: (...cs: T.Component[]): HostResult<never> | null => {
      try {
        for (const c of cs) checkArena(c);
        return null;
      } catch (err) {
        return hostErr('invalid-argument', `invalid text component: ${(err as Error).message}`);
      }
    },
  };
}

/** A component as the JSON text the proxy's decoding modes send. */
export const componentJson = (c: T.Component): string => JSON.stringify(arenaToJson(c));

/** The proxy's player errors (0.2.3 shapes) as host-error kinds. */
function playerErr(e: PlayerError): HostResult<never> {
  if (e.tag === 'not-active' || e.tag === 'disconnected') return hostErr('player-gone', `the player is ${e.tag === 'disconnected' ? 'gone' : 'not active'}`);
  if (e.tag === 'server-not-found') return hostErr('not-found', e.val);
  if (e.tag === 'switch-failed') return hostErr('unavailable', e.val);
  return hostErr(e.val === PASSTHROUGH_ONLY ? 'unsupported' : 'internal', e.val);
}
