// What proxies of one network write to Redis and say on its pub/sub channel. Keys with expiry carry liveness
// (no consensus of our own): a proxy's heartbeat key and its players hash vanish once it stops refreshing them.
//
//   infrarust:epoch              random id set once per Redis data set: a new one means Redis lost its data
//   infrarust:proxies            set of proxy ids ever seen (entries whose heartbeat key is gone are pruned)
//   infrarust:proxy:<id>         JSON ProxyRecord, expires after dead_after
//   infrarust:players:<id>       hash local player id → JSON SharedPlayer, expires with the heartbeat
//   infrarust:bans               hash "<type>:<value>" → JSON StoredBan (the network's bans)
//   channel infrarust:events     JSON ClusterMessage

import { isStoredBan, type StoredBan } from '../proxy/ban-store.ts';

export const KEYS = {
  epoch: 'infrarust:epoch',
  proxies: 'infrarust:proxies',
  proxy: (id: string) => `infrarust:proxy:${id}`,
  players: (id: string) => `infrarust:players:${id}`,
  bans: 'infrarust:bans',
  channel: 'infrarust:events',
} as const;

export interface ProxyRecord {
  id: string;
  /** Where players reach it (its bind address). */
  address: string;
  startedAt: number;
  heartbeatAt: number;
  players: number;
}

export interface SharedPlayer {
  /** The holding proxy's own player id (decimal). */
  localId: string;
  uuid: string;
  username: string;
  remoteAddr: string;
  server: string | null;
  protocolVersion: number;
  connectedAt: number;
  /** The proxy mode of the player's connection (absent from proxies that predate decoding modes). */
  mode?: string;
  /** Whether the player was authenticated by a session server (client_only); absent: not. */
  onlineMode?: boolean;
}

export type ClusterMessage =
  | { t: 'hello'; from: string }
  | { t: 'ban'; from: string; ban: StoredBan }
  | { t: 'unban'; from: string; type: StoredBan['type']; value: string }
  /** Players that joined or changed (`put`) and left (`gone`, local ids) since the sender's last batch. */
  | { t: 'players'; from: string; put: SharedPlayer[]; gone: string[] }
  | { t: 'kick'; from: string; to: string; localId: string; reason: string }
  | { t: 'cmd'; from: string; to: string; id: string; line: string }
  | { t: 'cmd-reply'; from: string; to: string; id: string; ok: boolean; output: string };

export const banKey = (b: Pick<StoredBan, 'type' | 'value'>): string => `${b.type}:${b.value}`;

const str = (v: unknown): v is string => typeof v === 'string';
/** A player id as the holding proxy counts them (decimal, from 1). */
const localId = (v: unknown): v is string => typeof v === 'string' && /^[1-9][0-9]{0,18}$/.test(v);

export function isSharedPlayer(v: unknown): v is SharedPlayer {
  if (!v || typeof v !== 'object') return false;
  const p = v as Record<string, unknown>;
  return (
    localId(p.localId) && str(p.uuid) && str(p.username) && str(p.remoteAddr) &&
    (p.server === null || str(p.server)) && typeof p.protocolVersion === 'number' && typeof p.connectedAt === 'number' && (p.mode === undefined || str(p.mode)) && (p.onlineMode === undefined || typeof p.onlineMode === 'boolean')
  );
}

export function isProxyRecord(v: unknown): v is ProxyRecord {
  if (!v || typeof v !== 'object') return false;
  const p = v as Record<string, unknown>;
  return str(p.id) && str(p.address) && typeof p.startedAt === 'number' && typeof p.heartbeatAt === 'number' && typeof p.players === 'number';
}

/** The message in `text`, or null when it is not one (a foreign or broken publisher is ignored, not trusted). */
export function parseMessage(text: string): ClusterMessage | null {
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!m || typeof m !== 'object' || !str(m.from)) return null;
  switch (m.t) {
    case 'hello':
      return m as ClusterMessage;
    case 'ban':
      return isStoredBan(m.ban) ? (m as ClusterMessage) : null;
    case 'unban':
      return (m.type === 'ip' || m.type === 'username' || m.type === 'uuid') && str(m.value) ? (m as ClusterMessage) : null;
    case 'players':
      return Array.isArray(m.put) && m.put.every(isSharedPlayer) && Array.isArray(m.gone) && m.gone.every(localId) ? (m as ClusterMessage) : null;
    case 'kick':
      return str(m.to) && localId(m.localId) && str(m.reason) ? (m as ClusterMessage) : null;
    case 'cmd':
      return str(m.to) && str(m.id) && str(m.line) ? (m as ClusterMessage) : null;
    case 'cmd-reply':
      return str(m.to) && str(m.id) && typeof m.ok === 'boolean' && str(m.output) ? (m as ClusterMessage) : null;
    default:
      return null;
  }
}

export function parseJson<T>(text: string | null | undefined, check: (v: unknown) => v is T): T | undefined {
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return check(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
