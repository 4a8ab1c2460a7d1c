// The proxy seen through the contract's host services (player-registry, ban-service,
// config-service, server-manager), for the plugin runtime.
import type { ClusterNode } from '../cluster/cluster-node';
import type { SharedPlayer } from '../cluster/cluster-protocol';
import type { Proxy } from '../proxy/proxy';
import { PASSTHROUGH_ONLY, type PlayerInfo } from '../proxy/player-registry';
import { plainText, parseComponent } from '../proxy/text-component';
import type { ContractServices, PlayerSnapshot } from '../plugins/contract-services';
import type { ServerAddress } from '../contract/guest-types';
import { remotePlayerId } from './cluster-wiring';

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
    backendAddress: p.backendAddress,
    virtualHost: p.virtualHost,
  };
}

function remoteSnapshot(proxyId: string, p: SharedPlayer): PlayerSnapshot {
  return {
    id: remotePlayerId(proxyId, p.localId),
    profile: { uuid: p.uuid, username: p.username, properties: [] },
    protocolVersion: p.protocolVersion,
    remoteAddr: p.remoteAddr,
    currentServer: p.server ?? undefined,
    connectedAt: BigInt(p.connectedAt),
    active: true,
    onlineMode: p.onlineMode ?? false,
  };
}

/** Players on the other proxies of the network (none outside cluster mode), with their ids here. */
function remotePlayers(cluster: ClusterNode | null): { proxy: string; player: SharedPlayer; snapshot: PlayerSnapshot }[] {
  if (!cluster) return [];
  return cluster.view.list().flatMap((p) =>
    [...p.players.values()].map((player) => ({ proxy: p.record.id, player, snapshot: remoteSnapshot(p.record.id, player) })),
  );
}

/** `cluster`: in cluster mode the registry holds every player of the network; disconnecting a remote one asks its proxy. */
export function proxyServices(proxy: Proxy, configValue: ContractServices['configValue'], cluster: ClusterNode | null = null): ContractServices {
  return {
    players: {
      all: () => [...proxy.players.all().map(snapshot), ...remotePlayers(cluster).map((r) => r.snapshot)],
      byId: (id) => {
        const p = proxy.players.get(id);
        return p ? snapshot(p) : remotePlayers(cluster).find((r) => r.snapshot.id === id)?.snapshot;
      },
      disconnect: (id, reason) => {
        if (proxy.players.disconnect(id, reason)) return;
        const remote = remotePlayers(cluster).find((r) => r.snapshot.id === id);
        if (remote) cluster!.kickRemote(remote.proxy, remote.player.localId, plainText(parseComponent(reason)));
      },
      act: (id, action) => proxy.players.act(id, action),
      controls: (id) => {
        const c = proxy.players.controls(id);
        if (c === 'passthrough') return PASSTHROUGH_ONLY;
        if (c) return c;
        return remotePlayers(cluster).some((r) => r.snapshot.id === id) ? 'the player is connected to another proxy of the network' : undefined;
      },
    },
    bans: {
      ban: (target, reason, durationMs, source) => proxy.bans.ban(target, reason, durationMs, source),
      unban: (target, source) => proxy.bans.unban(target, source),
      isBanned: (target) => proxy.bans.isBanned(target),
      getBan: (target) => proxy.bans.getBan(target),
      getAllBans: () => proxy.bans.getAllBans(),
    },
    servers: {
      configs: () => proxy.servers.configs(),
      states: () => proxy.servers.states(),
      fileOf: (id) => proxy.servers.get(id)?.file,
    },
    backends: backendServices(proxy),
    limbo: { session: (id) => proxy.limbo.get(id) },
    configValue,
  };
}

/** load-balancer's view of the proxy's backend balancer: known servers and their configured addresses only. */
function backendServices(proxy: Proxy): ContractServices['backends'] {
  const addressOf = (server: string, address: ServerAddress) =>
    proxy.servers.get(server)?.addresses.find((a) => a.host.toLowerCase() === address.host.toLowerCase() && a.port === address.port);
  return {
    status: (server) => {
      const def = proxy.servers.get(server);
      return def && proxy.balancer.status(server, def.addresses);
    },
    setDrained: (server, address, drained) => {
      const known = addressOf(server, address);
      if (known) proxy.balancer.setDrained(server, known, drained);
      return known !== undefined;
    },
    reset: (server, address) => {
      const known = addressOf(server, address);
      if (known) proxy.balancer.reset(server, known);
      return known !== undefined;
    },
  };
}
