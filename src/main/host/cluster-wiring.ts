// The proxy seen by its cluster node (cluster mode): local players as the network shares them, kicks and
// console commands from other proxies, and the ids remote players get in this proxy's views.
import type { ClusterLocal } from '../cluster/cluster-node';
import type { SharedPlayer } from '../cluster/cluster-protocol';
import type { PlayerInfo } from '../proxy/player-registry';
import type { Proxy } from '../proxy/proxy';
import { componentJson } from '../proxy/text-component';

export function sharedPlayer(p: PlayerInfo): SharedPlayer {
  return {
    localId: String(p.id),
    uuid: p.profile.uuid,
    username: p.profile.username,
    remoteAddr: p.remoteAddr,
    server: p.currentServer ?? null,
    protocolVersion: p.protocolVersion,
    connectedAt: p.connectedAt,
    mode: p.mode,
    onlineMode: p.onlineMode,
  };
}

export function clusterLocal(
  proxy: Proxy,
  address: () => string,
  runCommand: (line: string) => Promise<{ ok: boolean; output: string }>,
  log: ClusterLocal['log'],
): ClusterLocal {
  return {
    get address() {
      return address();
    },
    bans: proxy.bans,
    players: () => proxy.players.all().map(sharedPlayer),
    onPlayers: (listener) => proxy.players.onChange((c) => listener(c.type, sharedPlayer(c.player))),
    disconnect: (localId, reason) => proxy.players.disconnect(BigInt(localId), componentJson(reason)),
    runCommand,
    log,
  };
}

/**
 * A player held by another proxy gets an id of its own here: the holder's id in the low 32 bits and a hash of
 * the holder's name above, so it never meets a local id (which count up from 1).
 */
export function remotePlayerId(proxyId: string, localId: string): bigint {
  let h = 0x811c9dc5;
  for (let i = 0; i < proxyId.length; i++) h = Math.imul(h ^ proxyId.charCodeAt(i), 0x01000193) >>> 0;
  return ((BigInt(h & 0xffffff) + 1n) << 32n) | (BigInt(localId) & 0xffffffffn);
}
