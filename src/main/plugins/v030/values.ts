// 0.3.0 value shapes built from what the proxy holds in 0.2.3 shapes: socket addresses as records, profiles
// and player references (uuids as two u64 halves: shared/contract/uuid-halves.ts).
import type { GameProfile } from '../../contract/guest-types';
import type { T } from './contract-030';
import { uuidFrom } from '../../../shared/contract/uuid-halves';

export function ipFrom(text: string): T.IpAddress {
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/i.exec(text);
  if (v4) return { tag: 'ipv4', val: [Number(v4[1]), Number(v4[2]), Number(v4[3]), Number(v4[4])] };
  const [head = '', tail = ''] = text.split('::');
  const part = (s: string) => (s ? s.split(':').map((h) => parseInt(h, 16) || 0) : []);
  const a = part(head);
  const b = part(tail);
  const groups = [...a, ...new Array(Math.max(0, 8 - a.length - b.length)).fill(0), ...b].slice(0, 8);
  return { tag: 'ipv6', val: groups as [number, number, number, number, number, number, number, number] };
}

export function ipText(ip: T.IpAddress): string {
  return ip.tag === 'ipv4' ? ip.val.join('.') : ip.val.map((g) => g.toString(16)).join(':');
}

/** `host:port`, `[v6]:port` or a bare host (port 0) as a socket address. */
export function socketAddressFrom(text: string): T.SocketAddress {
  const m = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(text.includes('.') || text.startsWith('[') ? text : `[${text}]`);
  const host = m?.[1] ?? '';
  const port = Number(m?.[2] ?? 0);
  return { ip: ipFrom(host), port: port & 0xffff };
}

export function profileFrom(p: GameProfile): T.GameProfile {
  return { uuid: uuidFrom(p.uuid), username: p.username, properties: p.properties };
}

export function playerRef(id: bigint, profile: Pick<GameProfile, 'uuid' | 'username'>): T.PlayerRef {
  return { id, uuid: uuidFrom(profile.uuid), username: profile.username };
}
