// The contract's events in words, for the panel's live feed: one line saying who and what, and for each
// plugin that answered with an outcome, what it made the proxy do.
import type { OutcomeChange } from '../../shared/live-views';
import type { EventOutcome, GuestEvent, PlayerId } from '../contract/guest-types';
import { parseComponent, plainText } from '../proxy/text-component';

type NameOf = (id: PlayerId) => string | undefined;

export function eventSummary(event: GuestEvent, nameOf: NameOf): string {
  const who = (id: PlayerId) => nameOf(id) ?? `player #${id}`;
  switch (event.tag) {
    case 'pre-login':
      return `${event.val.profile.username} from ${event.val.remoteAddr} → ${event.val.serverDomain}`;
    case 'post-login':
      return `${event.val.profile.username} logged in`;
    case 'disconnect':
      return `${event.val.username} left${event.val.lastServer ? ` ${event.val.lastServer}` : ''}`;
    case 'online-auth-failed':
      return `${event.val.username} failed online authentication`;
    case 'permissions-setup':
      return `permissions of ${event.val.profile.username}`;
    case 'server-pre-connect':
      return `${event.val.profile.username} → ${event.val.originalServer}`;
    case 'server-connected':
      return `${who(event.val.playerId)} connected to ${event.val.server}`;
    case 'server-switch':
      return `${who(event.val.playerId)}: ${event.val.previousServer} → ${event.val.newServer}`;
    case 'kicked-from-server':
      return `${who(event.val.playerId)} kicked from ${event.val.server}: ${text(event.val.reason)}`;
    case 'player-choose-initial-server':
      return `${event.val.profile.username} → ${event.val.initialServer}`;
    case 'proxy-ping':
      return `ping from ${event.val.remoteAddr}`;
    case 'server-state-change':
      return `${event.val.server}: ${event.val.oldState} → ${event.val.newState}`;
    case 'chat-message':
      return `${who(event.val.playerId)}: ${event.val.message}`;
    case 'raw-packet':
      return `${who(event.val.playerId)} ${event.val.direction} packet 0x${event.val.packet.packetId.toString(16)}`;
    case 'proxy-initialize':
      return 'the proxy started';
    case 'proxy-shutdown':
      return 'the proxy is stopping';
    case 'config-reload':
      return 'the configuration was reloaded';
  }
}

/** What each answering plugin did; an outcome of another event's kind is ignored by the proxy, and said so. */
export function outcomeChanges(event: GuestEvent, outcomes: { pluginId: string; outcome: EventOutcome }[]): OutcomeChange[] {
  return outcomes
    .filter(({ outcome }) => outcome.tag !== 'none')
    .map(({ pluginId, outcome }) => ({
      pluginId,
      outcome: outcome.tag === event.tag ? describeOutcome(outcome) : `answered with a ${outcome.tag} outcome (ignored)`,
    }));
}

function describeOutcome(outcome: EventOutcome): string {
  switch (outcome.tag) {
    case 'none':
      return 'none';
    case 'proxy-ping':
      return `replaced the ping response ("${text(outcome.val.description)}", ${outcome.val.onlinePlayers}/${outcome.val.maxPlayers})`;
    case 'permissions-setup':
      return outcome.val.tag === 'custom' ? `custom permission handler #${outcome.val.val}` : 'default permissions';
    case 'raw-packet':
      return outcome.val.tag === 'modify' ? `rewrote it as packet 0x${outcome.val.val.packetId.toString(16)}` : outcome.val.tag;
    default: {
      // The remaining results share one shape: a tag, and a component, a server id or limbo handlers.
      const result = outcome.val as { tag: string; val?: unknown };
      if (result.val === undefined) return result.tag;
      if (Array.isArray(result.val)) return `${result.tag} [${result.val.join(', ')}]`;
      if (['connect-to', 'redirect', 'redirect-to'].includes(result.tag)) return `${result.tag} → ${String(result.val)}`;
      if (result.tag === 'modify') return `modify → "${String(result.val)}"`;
      return `${result.tag}: "${text(String(result.val))}"`;
    }
  }
}

function text(component: string): string {
  return plainText(parseComponent(component));
}
