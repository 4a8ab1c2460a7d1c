// Events for 0.3.0 plugins. The proxy raises events in the 0.2.3 shapes; a 0.3.0 listener gets the
// 0.3.0 event with the current result (what earlier handlers left), and its outcome comes back as the
// 0.2.3 outcome the proxy applies. `unchanged` keeps the result; any other case sets it (§4.4).
import type { EventOutcome, GuestEvent, PingResponse } from '../../contract/guest-types';
import { arenaFromComponentString, componentStringOf } from './text-arena';
import type { Ev } from './contract-030';
import { playerRef, profileFrom, socketAddressFrom } from './values';

/** What the router knows while a 0.3.0 listener runs. */
export interface EventContext {
  /** The outcome earlier handlers left (0.2.3 shape), if any. */
  current: EventOutcome | undefined;
  /** Username of a player id, for the player references of events that carry only the id. */
  username(id: bigint): string | undefined;
  uuidOf(id: bigint): string | undefined;
  /** The server a player is on now. */
  serverOf?(id: bigint): string | undefined;
}

/** Kinds whose listeners must answer: when one cannot, the host denies (§4.4). */
export const ACCESS_KINDS = new Set(['pre-login', 'login', 'game-profile-request', 'player-choose-initial-server', 'server-pre-connect', 'pre-transfer', 'permissions-setup']);

function pingResult(r: PingResponse): Ev.ProxyPingResult {
  // The heavy fields are read through events.ping-* during the call.
  return { maxPlayers: r.maxPlayers, onlinePlayers: r.onlinePlayers, protocol: r.protocolVersion, versionName: r.versionName, favicon: { tag: 'none' } };
}

/** The 0.3.0 form of a proxy event, or null for a kind 0.3.0 has no form of. */
export function toEvent030(ev: GuestEvent, ctx: EventContext): Ev.Event | null {
  const cur = ctx.current;
  const ref = (id: bigint, username?: string, uuid?: string) => playerRef(id, { username: username ?? ctx.username(id) ?? '', uuid: uuid ?? ctx.uuidOf(id) ?? '' });
  switch (ev.tag) {
    case 'pre-login': {
      const v = ev.val;
      const result: Ev.PreLoginResult =
        cur?.tag === 'pre-login' ? (cur.val.tag === 'denied' ? { tag: 'denied', val: arenaFromComponentString(cur.val.val) } : cur.val) : { tag: 'allowed' };
      return { tag: 'pre-login', val: { profile: profileFrom(v.profile), remoteAddr: socketAddressFrom(v.remoteAddr), protocol: v.protocolVersion, serverDomain: v.serverDomain, result } };
    }
    case 'post-login':
      return { tag: 'post-login', val: { player: ref(ev.val.playerId, ev.val.profile.username, ev.val.profile.uuid), profile: profileFrom(ev.val.profile), protocol: ev.val.protocolVersion } };
    case 'disconnect':
      return { tag: 'disconnect', val: { player: ref(ev.val.playerId, ev.val.username), lastServer: ev.val.lastServer, cause: { tag: 'client-quit' } } };
    case 'player-choose-initial-server': {
      const v = ev.val;
      const result: Ev.PlayerChooseInitialServerResult = cur?.tag === 'player-choose-initial-server' ? cur.val : { tag: 'allowed' };
      return { tag: 'player-choose-initial-server', val: { player: ref(v.playerId, v.profile.username, v.profile.uuid), initialServer: v.initialServer, result } };
    }
    case 'server-pre-connect': {
      const v = ev.val;
      const result: Ev.ServerPreConnectResult =
        cur?.tag === 'server-pre-connect' ? (cur.val.tag === 'denied' ? { tag: 'denied', val: arenaFromComponentString(cur.val.val) } : cur.val) : { tag: 'allowed' };
      return { tag: 'server-pre-connect', val: { player: ref(v.playerId, v.profile.username, v.profile.uuid), server: v.originalServer, cause: 'initial', result } };
    }
    case 'server-connected':
      return { tag: 'server-connected', val: { player: ref(ev.val.playerId), server: ev.val.server } };
    case 'proxy-ping': {
      const response = cur?.tag === 'proxy-ping' ? cur.val : ev.val.response;
      return {
        tag: 'proxy-ping',
        val: { remoteAddr: socketAddressFrom(ev.val.remoteAddr), protocol: ev.val.response.protocolVersion, legacy: false, result: pingResult(response) },
      };
    }
    case 'proxy-initialize':
    case 'proxy-shutdown':
      return { tag: ev.tag };
    case 'config-reload':
      return { tag: 'config-reload', val: { provider: 'file', added: [], removed: [], updated: [] } };
    case 'server-state-change':
      return { tag: 'server-state-change', val: ev.val };
    case 'online-auth-failed':
      return { tag: 'online-auth-failed', val: ev.val };
    case 'chat-message': {
      // The proxy's deny carries '' when the plugin gave no reason.
      const c = cur?.tag === 'chat-message' ? cur.val : { tag: 'allow' as const };
      const result: Ev.ChatMessageResult = c.tag === 'deny' ? { tag: 'deny', val: c.val ? arenaFromComponentString(c.val) : undefined } : c;
      return { tag: 'chat-message', val: { player: ref(ev.val.playerId), message: ev.val.message, signed: false, server: ctx.serverOf?.(ev.val.playerId), result } };
    }
    case 'kicked-from-server': {
      const v = ev.val;
      const c = cur?.tag === 'kicked-from-server' ? cur.val : { tag: 'disconnect-player' as const, val: v.reason };
      const result: Ev.KickedFromServerResult = c.tag === 'disconnect-player' || c.tag === 'notify' ? { tag: c.tag, val: arenaFromComponentString(c.val) } : c;
      return {
        tag: 'kicked-from-server',
        val: { player: ref(v.playerId), server: v.server, reason: arenaFromComponentString(v.reason), cause: { tag: 'play-disconnect' }, duringConnect: false, result },
      };
    }
    default:
      return null;
  }
}

/** The ping response a proxy-ping listener sees through `events.ping-*`. */
export function currentPing(ev: GuestEvent, current: EventOutcome | undefined): PingResponse | undefined {
  if (ev.tag !== 'proxy-ping') return undefined;
  return current?.tag === 'proxy-ping' ? current.val : ev.val.response;
}

/**
 * A 0.3.0 outcome as the 0.2.3 outcome the proxy applies: `none` for `unchanged` and for an outcome of
 * the wrong kind (ignored, §4.4), which `wrongKind` reports.
 */
export function outcomeFrom030(ev: GuestEvent, outcome: Ev.EventOutcome, base: PingResponse | undefined, wrongKind: (tag: string) => void): EventOutcome {
  if (outcome.tag === 'unchanged') return { tag: 'none' };
  if (outcome.tag !== ev.tag) {
    wrongKind(outcome.tag);
    return { tag: 'none' };
  }
  switch (outcome.tag) {
    case 'pre-login': {
      const r = outcome.val;
      return { tag: 'pre-login', val: r.tag === 'denied' ? { tag: 'denied', val: componentStringOf(r.val) } : r };
    }
    case 'player-choose-initial-server': {
      const r = outcome.val;
      // 0.2.3 has no denial here: the proxy refuses the player through the pre-connect step instead.
      if (r.tag === 'denied') return { tag: 'player-choose-initial-server', val: { tag: 'send-to-limbo', val: [] } };
      return { tag: 'player-choose-initial-server', val: r };
    }
    case 'server-pre-connect': {
      const r = outcome.val;
      return { tag: 'server-pre-connect', val: r.tag === 'denied' ? { tag: 'denied', val: componentStringOf(r.val) } : r };
    }
    case 'chat-message': {
      const r = outcome.val;
      return { tag: 'chat-message', val: r.tag === 'deny' ? { tag: 'deny', val: r.val ? componentStringOf(r.val) : '' } : r };
    }
    case 'kicked-from-server': {
      const r = outcome.val;
      // disconnect-player(none) keeps the backend's own reason.
      if (r.tag === 'disconnect-player') return { tag: 'kicked-from-server', val: { tag: 'disconnect-player', val: r.val ? componentStringOf(r.val) : (ev as { val: { reason: string } }).val.reason } };
      if (r.tag === 'notify') return { tag: 'kicked-from-server', val: { tag: 'notify', val: componentStringOf(r.val) } };
      return { tag: 'kicked-from-server', val: r };
    }
    case 'proxy-ping': {
      const r = outcome.val;
      const prior = base!;
      const response: PingResponse = {
        maxPlayers: r.maxPlayers,
        onlinePlayers: r.onlinePlayers,
        protocolVersion: r.protocol,
        versionName: r.versionName,
        // A heavy field applies only when some; favicon some(none) removes it (§4.4).
        description: r.description ? componentStringOf(r.description) : prior.description,
        favicon: r.favicon.tag === 'some' ? r.favicon.val : prior.favicon,
      };
      return { tag: 'proxy-ping', val: response };
    }
    default:
      wrongKind(outcome.tag);
      return { tag: 'none' };
  }
}

/** What a 0.3.0 access listener that could not answer leaves (§4.4): a denial. */
export function accessDenial(ev: GuestEvent): EventOutcome | undefined {
  const message = JSON.stringify({ text: 'A proxy plugin is unavailable. Please try again later.' });
  if (ev.tag === 'pre-login') return { tag: 'pre-login', val: { tag: 'denied', val: message } };
  if (ev.tag === 'server-pre-connect') return { tag: 'server-pre-connect', val: { tag: 'denied', val: message } };
  if (ev.tag === 'player-choose-initial-server') return { tag: 'player-choose-initial-server', val: { tag: 'send-to-limbo', val: [] } };
  return undefined;
}
