// Ban targets as a ban provider sees them (§3.8, §4.6): canonical forms, which online players a target
// covers (and kicking them), the provider's records and the built-in list's bans as the consumer side's entries.
import { parseCidr, TrustedPeers } from '../../proxy/proxy-protocol';
import type { BanEntry as BanEntry023 } from '../../contract/guest-types';
import type { ContractServices, PlayerSnapshot } from '../contract-services';
import type { Bans } from './contract-030';
import { ipFrom, ipText, socketAddressFrom } from './values';
import { uuidFrom, uuidMatches } from '../../../shared/contract/uuid-halves';

/** The canonical form of a target (addresses normalised, usernames lowercased), or why it is malformed. */
export function canonicalTarget(t: Bans.BanTarget): Bans.BanTarget | string {
  switch (t.tag) {
    case 'ip':
      return { tag: 'ip', val: ipFrom(ipText(t.val)) };
    case 'ip-range': {
      const range = parseCidr(t.val);
      if (!range || !t.val.includes('/')) return `"${t.val}" is not an IP range such as 203.0.113.0/24`;
      return { tag: 'ip-range', val: t.val.trim().toLowerCase() };
    }
    case 'username': {
      const name = t.val.trim().toLowerCase();
      return /^[a-z0-9_]{1,16}$/.test(name) ? { tag: 'username', val: name } : `"${t.val}" is not a Minecraft username`;
    }
    case 'uuid':
      return t;
  }
}

/** Whether a target covers an online player (addresses, ranges, usernames case-insensitively, uuids). */
export function targetCovers(t: Bans.BanTarget, p: PlayerSnapshot): boolean {
  const ip = ipText(socketAddressFrom(p.remoteAddr).ip);
  switch (t.tag) {
    case 'ip':
      return ipText(t.val) === ip;
    case 'ip-range':
      return parseCidr(t.val) !== null && new TrustedPeers([t.val]).has(ip);
    case 'username':
      return t.val.toLowerCase() === p.profile.username.toLowerCase();
    case 'uuid':
      return uuidMatches(t.val, p.profile.uuid);
  }
}

/** Disconnects the online players a new ban covers (`ban-request.kick`), with the ban's message. */
export function kickCovered(players: ContractServices['players'], target: Bans.BanTarget, reasonJson: string): void {
  for (const p of players.all()) if (targetCovers(target, p)) void players.disconnect(p.id, reasonJson);
}

/** `ban-entry.source` is a display string where `ban-record.source` is typed (§3.8). */
export function sourceText(s: Bans.BanSource): string {
  switch (s.tag) {
    case 'console':
      return 'console';
    case 'player':
      return `player:${s.val.name}`;
    case 'plugin':
      return `plugin:${s.val}`;
    case 'web-api':
      return s.val ? `web-api:${s.val}` : 'web-api';
    case 'system':
      return 'system';
  }
}

/** The built-in list's source strings as a ban-source: the panel is the host's operator, as a console is. */
export function sourceOf(text: string): Bans.BanSource {
  if (text === 'console' || text === 'panel') return { tag: 'console' };
  if (text.startsWith('plugin:')) return { tag: 'plugin', val: text.slice(7) };
  if (text === 'web-api' || text.startsWith('web-api:')) return { tag: 'web-api', val: text.slice(8) || undefined };
  return { tag: 'system' };
}

/** A ban of the built-in list (0.2.3 shape) as a 0.3.0 ban-entry; its id is `<kind>:<value>`. */
export function entryFrom023(e: BanEntry023): Bans.BanEntry {
  const t = e.target;
  const target: Bans.BanTarget = t.tag === 'ip' ? { tag: 'ip', val: ipFrom(t.val) } : t.tag === 'uuid' ? { tag: 'uuid', val: uuidFrom(t.val) } : t;
  return { id: `${t.tag}:${t.val}`, target, reason: e.reason, source: e.source, createdAt: e.createdAt, expiresAt: e.expiresAt };
}

export function entryOf(r: Bans.BanRecord): Bans.BanEntry {
  return { id: r.id, target: r.target, reason: r.reason, source: sourceText(r.source), createdAt: r.createdAt, expiresAt: r.expiresAt };
}
