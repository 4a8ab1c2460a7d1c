// Telling a backend who the player really is, as Infrarust does in its decoding modes:
//   bungeecord — the legacy BungeeCord handshake: the host field becomes host\0ip\0uuid\0properties-json
//                (Spigot/Paper with `bungeecord: true`);
//   velocity   — Velocity's modern forwarding: the backend asks with a login plugin request on
//                `velocity:player_info`, the proxy answers with the player's data signed by HMAC-SHA256 under
//                the shared secret (Paper with `proxies.velocity.enabled` and the same secret).

import { createHmac } from 'node:crypto';
import type { GameProfile } from '../contract/guest-types.ts';
import { encodeString, writeVarInt } from './packet-codec.ts';

export const VELOCITY_CHANNEL = 'velocity:player_info';
/** MODERN_DEFAULT: ip, uuid, name, properties (no chat keys, which offline/online-without-keys clients lack). */
const VELOCITY_VERSION = 1;

/** The handshake host field for BungeeCord forwarding. */
export function bungeecordHost(host: string, clientIp: string, profile: GameProfile): string {
  const properties = profile.properties.map((p) => ({ name: p.name, value: p.value, ...(p.signature ? { signature: p.signature } : {}) }));
  return `${host}\0${clientIp}\0${profile.uuid.replaceAll('-', '')}\0${JSON.stringify(properties)}`;
}

/** The login plugin response body for `velocity:player_info`: signature (32 bytes) then the signed data. */
export function velocityPlayerInfo(secret: string, clientIp: string, profile: GameProfile): Buffer {
  const parts: Buffer[] = [writeVarInt(VELOCITY_VERSION), encodeString(clientIp), Buffer.from(profile.uuid.replaceAll('-', ''), 'hex'), encodeString(profile.username), writeVarInt(profile.properties.length)];
  for (const p of profile.properties) {
    parts.push(encodeString(p.name), encodeString(p.value), Buffer.from([p.signature ? 1 : 0]));
    if (p.signature) parts.push(encodeString(p.signature));
  }
  const data = Buffer.concat(parts);
  return Buffer.concat([createHmac('sha256', secret).update(data).digest(), data]);
}
