// The proxy seen through the contract's host services (player-registry, ban-service,
// config-service, server-manager), for the plugin runtime.
import type { Proxy } from '../proxy/proxy';
import type { PlayerInfo } from '../proxy/player-registry';
import type { ContractServices, PlayerSnapshot } from '../plugins/contract-services';

function snapshot(p: PlayerInfo): PlayerSnapshot {
  return {
    id: p.id,
    profile: p.profile,
    protocolVersion: p.protocolVersion,
    remoteAddr: p.remoteAddr,
    currentServer: p.currentServer,
    connectedAt: BigInt(p.connectedAt),
    active: true,
    onlineMode: p.onlineMode,
  };
}

export function proxyServices(proxy: Proxy, configValue: ContractServices['configValue']): ContractServices {
  return {
    players: {
      all: () => proxy.players.all().map(snapshot),
      byId: (id) => {
        const p = proxy.players.get(id);
        return p && snapshot(p);
      },
      disconnect: (id, reason) => void proxy.players.disconnect(id, reason),
      act: (id, action) => proxy.players.act(id, action),
    },
    bans: {
      ban: (target, reason, durationMs, source) => proxy.bans.ban(target, reason, durationMs, source),
      unban: (target) => proxy.bans.unban(target),
      isBanned: (target) => proxy.bans.isBanned(target),
      getBan: (target) => proxy.bans.getBan(target),
      getAllBans: () => proxy.bans.getAllBans(),
    },
    servers: {
      configs: () => proxy.servers.configs(),
      states: () => proxy.servers.states(),
    },
    limbo: { session: (id) => proxy.limbo.get(id) },
    configValue,
  };
}
