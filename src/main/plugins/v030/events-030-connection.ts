// The proxy's connection and login events only 0.3.0 has (contract/events-030-only.ts): handshake,
// rejection, game profile, login, transfer, resource pack status and backend health, as 0.3.0 records with
// the current result, their outcomes back as the proxy's results, and what an access listener that cannot
// answer leaves (§4.4: login and game-profile-request refuse the player, pre-transfer is refused).
import type { Event030, Results030 } from '../../contract/events-030-only';
import type { Ev, T } from './contract-030';
import { arenaFromComponentString, componentStringOf } from './text-arena';
import { playerRef, profileFrom, socketAddressFrom } from './values';
import { uuidFrom, uuidMatches, uuidText } from '../../../shared/contract/uuid-halves';

export type ConnectionKind = 'connection-handshake' | 'connection-rejected' | 'game-profile-request' | 'login' | 'pre-transfer' | 'player-resource-pack-status' | 'backend-health';
type ConnectionEvent = Extract<Event030, { tag: ConnectionKind }>;

const UNAVAILABLE = JSON.stringify({ text: 'A proxy plugin is unavailable. Please try again later.' });
const arenaOpt = (json: string | undefined) => (json === undefined ? undefined : arenaFromComponentString(json));

export function isConnectionEvent(ev: Event030): ev is ConnectionEvent {
  return (CONNECTION_KINDS as readonly string[]).includes(ev.tag);
}
const CONNECTION_KINDS: readonly ConnectionKind[] = ['connection-handshake', 'connection-rejected', 'game-profile-request', 'login', 'pre-transfer', 'player-resource-pack-status', 'backend-health'];

export function toConnectionEvent030(ev: ConnectionEvent, current: unknown, ref: (id: bigint) => T.PlayerRef): Ev.Event {
  switch (ev.tag) {
    case 'connection-handshake': {
      const v = ev.val;
      const cur = (current ?? { tag: 'allow' }) as Results030['connection-handshake'];
      const result: Ev.ConnectionHandshakeResult = cur.tag === 'deny' ? { tag: 'deny', val: arenaOpt(cur.val) } : cur;
      return {
        tag: 'connection-handshake',
        val: { remoteAddr: socketAddressFrom(v.remoteAddr), virtualHost: v.virtualHost, rawHost: v.rawHost, port: v.port, protocol: v.protocolVersion, intent: v.intent, legacy: v.legacy, server: v.server, result },
      };
    }
    case 'connection-rejected':
      return { tag: 'connection-rejected', val: { remoteAddr: socketAddressFrom(ev.val.remoteAddr), virtualHost: ev.val.virtualHost, reason: ev.val.reason } };
    case 'game-profile-request': {
      const v = ev.val;
      const cur = (current ?? { profile: v.original }) as Results030['game-profile-request'];
      return {
        tag: 'game-profile-request',
        val: {
          original: profileFrom(v.original),
          onlineMode: v.onlineMode,
          remoteAddr: socketAddressFrom(v.remoteAddr),
          virtualHost: v.virtualHost,
          protocol: v.protocolVersion,
          result: { profile: profileFrom(cur.profile), denied: arenaOpt(cur.denied) },
        },
      };
    }
    case 'login': {
      const v = ev.val;
      const cur = (current ?? { tag: 'allowed' }) as Results030['login'];
      const result: Ev.LoginResult = cur.tag === 'denied' ? { tag: 'denied', val: arenaFromComponentString(cur.val) } : cur;
      return { tag: 'login', val: { player: playerRef(v.playerId, v.profile), onlineMode: v.onlineMode, result } };
    }
    case 'pre-transfer': {
      const v = ev.val;
      const cur = (current ?? { tag: 'allowed' }) as Results030['pre-transfer'];
      const result: Ev.PreTransferResult = cur.tag === 'denied' ? { tag: 'denied', val: arenaFromComponentString(cur.val) } : cur;
      return { tag: 'pre-transfer', val: { player: ref(v.playerId), host: v.host, port: v.port, origin: v.origin, result } };
    }
    case 'player-resource-pack-status': {
      const v = ev.val;
      return { tag: 'player-resource-pack-status', val: { player: ref(v.playerId), packId: v.packId === undefined ? undefined : uuidFrom(v.packId), status: v.status, origin: v.origin } };
    }
    case 'backend-health':
      return { tag: 'backend-health', val: ev.val };
  }
}

/** The result a listener's outcome sets (the outcome is of the event's kind); `current` is what it was shown. */
export function connectionResultFrom030(ev: Event030, outcome: Ev.EventOutcome, current: unknown): unknown {
  switch (outcome.tag) {
    case 'connection-handshake': {
      const r = outcome.val;
      return r.tag === 'deny' ? { tag: 'deny', val: r.val && componentStringOf(r.val) } : r;
    }
    case 'game-profile-request': {
      const r = outcome.val;
      const p = r.profile;
      // A QuickJS listener hands back the uuid it was shown with each half rounded (uuid-halves.ts): that is
      // still the current uuid, kept exact; a uuid further off is a new one.
      const shown = ev.tag === 'game-profile-request' ? ((current as Results030['game-profile-request'] | undefined)?.profile ?? ev.val.original).uuid : undefined;
      const uuid = shown !== undefined && uuidMatches(p.uuid, shown) ? shown : uuidText(p.uuid);
      const result: Results030['game-profile-request'] = { profile: { uuid, username: p.username, properties: p.properties.map((x) => ({ name: x.name, value: x.value, signature: x.signature })) } };
      if (r.denied) result.denied = componentStringOf(r.denied);
      return result;
    }
    case 'login': {
      const r = outcome.val;
      return r.tag === 'denied' ? { tag: 'denied', val: componentStringOf(r.val) } : r;
    }
    case 'pre-transfer': {
      const r = outcome.val;
      if (r.tag === 'denied') return { tag: 'denied', val: componentStringOf(r.val) };
      return r.tag === 'redirect' ? { tag: 'redirect', val: { host: r.val.host, port: Number(r.val.port) } } : r;
    }
    default:
      return undefined;
  }
}

/** What an access listener (login, game-profile-request, pre-transfer) that could not answer leaves (§4.4). */
export function connectionAccessDenial(ev: Event030): unknown {
  if (ev.tag === 'login' || ev.tag === 'pre-transfer') return { tag: 'denied', val: UNAVAILABLE };
  if (ev.tag === 'game-profile-request') return { profile: ev.val.original, denied: UNAVAILABLE };
  return undefined;
}
