// 0.3.0 value shapes built from what the proxy holds in 0.2.3 shapes: uuids as two u64 halves, socket
// addresses as records, player references.
import type { GameProfile } from '../../contract/guest-types';
import type { T } from './contract-030';

const MASK = (1n << 64n) - 1n;

export function uuidFrom(text: string): T.Uuid {
  const hex = text.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return { hi: 0n, lo: 0n };
  return { hi: BigInt(`0x${hex.slice(0, 16)}`), lo: BigInt(`0x${hex.slice(16)}`) };
}

export function uuidText(u: T.Uuid): string {
  const hex = ((BigInt(u.hi) & MASK).toString(16).padStart(16, '0') + (BigInt(u.lo) & MASK).toString(16).padStart(16, '0')).toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Whether a uuid a guest gave names the uuid `text`. A QuickJS guest holds a u64 as a JS number, so each
 * half it gives back is the double nearest the real one (a player's uuid banned by a QuickJS plugin comes
 * back with the low bits of each half changed): a half matches exactly or as that double. Two uuids
 * agreeing in the top 53 bits of both halves are not a real case.
 */
export function uuidMatches(u: T.Uuid, text: string): boolean {
  const real = uuidFrom(text);
  const same = (given: bigint | number, half: bigint) => (BigInt(given) & MASK) === half || Number(given) === Number(half);
  return same(u.hi, real.hi) && same(u.lo, real.lo);
}

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
