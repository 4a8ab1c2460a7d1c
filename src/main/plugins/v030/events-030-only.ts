// The proxy's events that only 0.3.0 has (contract/events-030-only.ts) as 0.3.0 records with the current
// result, and a listener's outcome back as the proxy's result: `unchanged` and a wrong kind keep the current
// one (§4.4). The connection and login kinds are in events-030-connection.ts.
import type { ClientSettingsPacket, Event030, Results030 } from '../../contract/events-030-only';
import type { Ev, T } from './contract-030';
import type { EventContext } from './events-030';
import { arenaFromComponentString, componentStringOf } from './text-arena';
import { playerRef } from './values';
import { connectionResultFrom030, isConnectionEvent, toConnectionEvent030 } from './events-030-connection';

/** A raw channel name as a channel-id: modern names have a namespace, legacy ones do not. */
const channelIdOf = (raw: string): T.ChannelId => (raw.includes(':') ? { modern: raw } : { legacy: raw });

const arenaOpt = (json: string | undefined) => (json === undefined ? undefined : arenaFromComponentString(json));

export function toEvent030Only(ev: Event030, current: unknown, ctx: Omit<EventContext, 'current'>): Ev.Event {
  const ref = (id: bigint) => playerRef(id, { username: ctx.username(id) ?? '', uuid: ctx.uuidOf(id) ?? '' });
  if (isConnectionEvent(ev)) return toConnectionEvent030(ev, current, ref);
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
  }
}

/** The result a listener's outcome sets, or undefined to keep the current one (`current`, what it was shown). */
export function resultFrom030Only(ev: Event030, outcome: Ev.EventOutcome, current: unknown, wrongKind: (tag: string) => void): unknown {
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
    case 'connection-handshake':
    case 'game-profile-request':
    case 'login':
    case 'pre-transfer':
      return connectionResultFrom030(ev, outcome, current);
    default:
      wrongKind((outcome as { tag: string }).tag);
      return undefined;
  }
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
