// The proxy's events that only 0.3.0 has (contract/events-030-only.ts) as 0.3.0 records with the current
// result, and a listener's outcome back as the proxy's result: `unchanged` and a wrong kind keep the current
// one (§4.4); an access kind (login, game-profile-request) that gets no answer is denied.
import type { ClientSettingsPacket, Event030, Results030 } from '../../contract/events-030-only';
import type { Ev, T } from './contract-030';
import type { EventContext } from './events-030';
import { ACCESS_KINDS } from './events-030';
import { arenaFromComponentString, componentStringOf } from './text-arena';
import { playerRef, profileFrom, socketAddressFrom, uuidText } from './values';

const UNAVAILABLE = JSON.stringify({ text: 'A proxy plugin is unavailable. Please try again later.' });

/** A raw channel name as a channel-id: modern names have a namespace, legacy ones do not. */
export const channelIdOf = (raw: string): T.ChannelId => (raw.includes(':') ? { modern: raw } : { legacy: raw });

const arenaOpt = (json: string | undefined) => (json === undefined ? undefined : arenaFromComponentString(json));

export function toEvent030Only(ev: Event030, current: unknown, ctx: Omit<EventContext, 'current'>): Ev.Event {
  const ref = (id: bigint) => playerRef(id, { username: ctx.username(id) ?? '', uuid: ctx.uuidOf(id) ?? '' });
  switch (ev.tag) {
    case 'command-execute': {
      const cur = (current ?? { tag: 'allow' }) as Results030['command-execute'];
      const result: Ev.CommandExecuteResult = cur.tag === 'deny' ? { tag: 'deny', val: arenaOpt(cur.val) } : cur;
      const v = ev.val;
      return { tag: 'command-execute', val: { player: ref(v.playerId), command: v.command, signed: v.signed, server: v.server, result } };
    }
    case 'plugin-message': {
      const v = ev.val;
      const result = (current ?? { tag: 'forward' }) as Ev.PluginMessageResult;
      return { tag: 'plugin-message', val: { player: ref(v.playerId), source: v.source, channel: channelIdOf(v.channel), rawChannel: v.channel, data: v.data, phase: v.phase, result } };
    }
    case 'server-post-connect':
      return { tag: 'server-post-connect', val: { player: ref(ev.val.playerId), server: ev.val.server, previousServer: ev.val.previousServer } };
    case 'player-client-brand':
      return { tag: 'player-client-brand', val: { player: ref(ev.val.playerId), brand: ev.val.brand } };
    case 'player-channel-register':
      return { tag: 'player-channel-register', val: { player: ref(ev.val.playerId), channels: ev.val.channels, direction: ev.val.direction } };
    case 'player-settings-changed':
      return { tag: 'player-settings-changed', val: { player: ref(ev.val.playerId), settings: settingsOf(ev.val.settings) } };
    case 'login': {
      const cur = (current ?? { tag: 'allowed' }) as Results030['login'];
      const v = ev.val;
      const result: Ev.LoginResult = cur.tag === 'denied' ? { tag: 'denied', val: arenaFromComponentString(cur.val) } : cur;
      return { tag: 'login', val: { player: playerRef(v.playerId, v.profile), onlineMode: v.onlineMode, result } };
    }
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
  }
}

/** The result a listener's outcome sets, or undefined to keep the current one. */
export function resultFrom030Only(ev: Event030, outcome: Ev.EventOutcome, wrongKind: (tag: string) => void): unknown {
  if (outcome.tag === 'unchanged') return undefined;
  if (outcome.tag !== ev.tag) {
    wrongKind(outcome.tag);
    return undefined;
  }
  switch (outcome.tag) {
    case 'command-execute': {
      const r = outcome.val;
      return r.tag === 'deny' ? { tag: 'deny', val: r.val && componentStringOf(r.val) } : r;
    }
    case 'plugin-message':
      return outcome.val;
    case 'login': {
      const r = outcome.val;
      return r.tag === 'denied' ? { tag: 'denied', val: componentStringOf(r.val) } : r;
    }
    case 'game-profile-request': {
      const r = outcome.val;
      const p = r.profile;
      return { profile: { uuid: uuidText(p.uuid), username: p.username, properties: p.properties }, denied: r.denied && componentStringOf(r.denied) };
    }
    case 'connection-handshake': {
      const r = outcome.val;
      return r.tag === 'deny' ? { tag: 'deny', val: r.val && componentStringOf(r.val) } : r;
    }
    default:
      wrongKind((outcome as { tag: string }).tag);
      return undefined;
  }
}

/** What an access listener that could not answer leaves (§4.4). */
export function accessDenial030(ev: Event030): unknown {
  if (!ACCESS_KINDS.has(ev.tag)) return undefined;
  if (ev.tag === 'login') return { tag: 'denied', val: UNAVAILABLE };
  if (ev.tag === 'game-profile-request') return { profile: ev.val.original, denied: UNAVAILABLE };
  return undefined;
}

const CHAT_MODES = ['enabled', 'commands-only', 'hidden'] as const;
const PARTICLES = ['all', 'decreased', 'minimal'] as const;

/** Client Information as minecraft-protocol decodes it, as 0.3.0's client-settings. */
function settingsOf(p: ClientSettingsPacket): T.ClientSettings {
  const skin = Number(p.skinParts ?? 0x7f);
  const bit = (n: number) => (skin & (1 << n)) !== 0;
  const particle = p.particleStatus;
  return {
    locale: String(p.locale ?? ''),
    viewDistance: Number(p.viewDistance ?? 0) & 0xff,
    chatMode: CHAT_MODES[Number(p.chatFlags ?? 0)] ?? 'enabled',
    chatColors: Boolean(p.chatColors ?? true),
    skinParts: { cape: bit(0), jacket: bit(1), leftSleeve: bit(2), rightSleeve: bit(3), leftPants: bit(4), rightPants: bit(5), hat: bit(6) },
    mainHand: Number(p.mainHand ?? 1) === 0 ? 'left' : 'right',
    textFiltering: Boolean(p.enableTextFiltering ?? false),
    allowListing: Boolean(p.enableServerListing ?? true),
    particleStatus: typeof particle === 'string' && (PARTICLES as readonly string[]).includes(particle) ? (particle as T.ParticleStatus) : (PARTICLES[Number(particle ?? 0)] ?? 'all'),
  };
}
