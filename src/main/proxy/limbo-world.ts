// The world the proxy serves by itself while a player is in limbo: no backend, a void at y = 64.
// 1.20.2+ first go through a configuration phase whose registry data is minecraft-data's (the same the
// minecraft-protocol server sends; nothing is invented here), then Join Game from minecraft-data's sample
// login packet; 1.8 gets a Join Game of its own (one dimension, no registries). Keep-alives carry the
// wire type of each version.

import minecraftData from 'minecraft-data';
import type { VersionCodec } from './decoded-protocol.ts';

/** Entity id of the player in limbo (any value: there is no other entity). */
const LIMBO_ENTITY_ID = 1;
const SPAWN = { x: 0, y: 64, z: 0, yaw: 0, pitch: 0 };

interface LoginSample {
  dimensionCodec?: unknown;
  [field: string]: unknown;
}

function sample(codec: VersionCodec): LoginSample {
  const login = (minecraftData(codec.version) as unknown as { loginPacket?: LoginSample }).loginPacket;
  if (!login) throw new Error(`minecraft-data has no login sample for ${codec.version}`);
  return login;
}

/** Configuration-phase packets (1.20.2+): registry data, then Finish Configuration. */
export function configurationPackets(codec: VersionCodec): Buffer[] {
  const registries = sample(codec).dimensionCodec as Record<string, unknown> & { type?: string };
  // 1.20.5+ send one registry per packet; earlier configuration phases send the whole codec as one NBT tag.
  const segmented = registries.type !== 'compound';
  const data = segmented ? Object.values(registries).map((entry) => entry as Record<string, unknown>) : [{ codec: registries }];
  return [
    ...data.map((params) => codec.encode('configuration', 'toClient', { name: 'registry_data', params })),
    codec.encode('configuration', 'toClient', { name: 'finish_configuration', params: {} }),
  ];
}

/** Join Game and a position in the void, in play. */
export function joinPackets(codec: VersionCodec): Buffer[] {
  if (!codec.hasConfiguration) {
    return [
      codec.encode('play', 'toClient', {
        name: 'login',
        params: { entityId: LIMBO_ENTITY_ID, gameMode: 2, dimension: 0, difficulty: 0, maxPlayers: 1, levelType: 'flat', reducedDebugInfo: false },
      }),
      codec.encode('play', 'toClient', { name: 'position', params: { ...SPAWN, flags: 0 } }),
    ];
  }
  const { dimensionCodec: _, ...login } = sample(codec);
  const packets = [codec.encode('play', 'toClient', { name: 'login', params: { ...login, entityId: LIMBO_ENTITY_ID } })];
  packets.push(codec.encode('play', 'toClient', { name: 'position', params: { ...SPAWN, dx: 0, dy: 0, dz: 0, flags: codec.protocol >= 767 ? {} : 0, teleportId: 1 } }));
  // 1.20.3+: "start waiting for level chunks"; without it a client stays on the loading screen.
  if (codec.nbtText) packets.push(codec.encode('play', 'toClient', { name: 'game_state_change', params: { reason: 'level_chunks_load_start', gameMode: 0 } }));
  return packets;
}

/** A keep-alive in play: a varint id on 1.8, a long from 1.12 on. */
export function keepAlivePacket(codec: VersionCodec, id: number): Buffer {
  return codec.encode('play', 'toClient', { name: 'keep_alive', params: { keepAliveId: codec.hasConfiguration ? BigInt(id) : id } });
}

