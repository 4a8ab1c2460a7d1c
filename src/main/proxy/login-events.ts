// The two 0.3.0 access events of a login once the proxy has the player's profile: `game-profile-request`
// (listeners may replace the profile, or refuse through `denied`, §4.4 "Newest fields") and `login` (allow
// or deny the player). Both are access events: a listener that cannot answer refuses the login.
import type { GameProfile, PlayerId } from '../contract/guest-types.ts';
import type { RejectReason } from '../contract/events-030-only.ts';
import { byPlugin } from './connection-events.ts';
import type { ProxyEvents } from './proxy-events.ts';

export interface ProfileFacts {
  profile: GameProfile;
  /** Whether the proxy authenticated the player. */
  onlineMode: boolean;
  /** The client's ip:port. */
  peer: string;
  virtualHost: string;
  protocolVersion: number;
}

export type LoginRefusal = { reasonJson: string; why: string; reject: RejectReason };

/** game-profile-request: the profile to use from here on, or the refusal a listener left. */
export async function requestProfile(events: ProxyEvents, f: ProfileFacts): Promise<{ profile: GameProfile } | LoginRefusal> {
  const r = await events.decide030(
    'game-profile-request',
    () => ({ tag: 'game-profile-request', val: { original: f.profile, onlineMode: f.onlineMode, remoteAddr: f.peer, virtualHost: f.virtualHost || undefined, protocolVersion: f.protocolVersion } }),
    { profile: f.profile },
  );
  if (r.denied !== undefined) return { reasonJson: r.denied, why: 'denied by game-profile-request', reject: byPlugin(r.denied) };
  return { profile: r.profile };
}

/** login: undefined to go on, or the refusal a listener left. */
export async function loginVerdict(events: ProxyEvents, playerId: PlayerId, profile: GameProfile, onlineMode: boolean): Promise<LoginRefusal | undefined> {
  const r = await events.decide030('login', () => ({ tag: 'login', val: { playerId, profile, onlineMode } }), { tag: 'allowed' });
  return r.tag === 'denied' ? { reasonJson: r.val, why: 'denied by login', reject: byPlugin(r.val) } : undefined;
}
