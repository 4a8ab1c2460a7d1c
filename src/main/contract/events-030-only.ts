// Events the proxy raises that only 0.3.0 has a shape for (0.2.3 plugins cannot subscribe to them), in the
// proxy's own terms: text as JSON strings, players by id. plugins/v030/events-030-only.ts turns them into
// the 0.3.0 records with the current result, and the outcomes back into these results.
import type { GameProfile, PlayerId, ServerAddress, ServerId } from './guest-types.ts';

/** Client Information as minecraft-protocol decodes it (field names of the `settings` packet). */
export type ClientSettingsPacket = Record<string, unknown>;

export type Event030 =
  | { tag: 'command-execute'; val: { playerId: PlayerId; command: string; signed: boolean; server: ServerId | undefined } }
  | {
      tag: 'plugin-message';
      val: { playerId: PlayerId; source: { tag: 'client' } | { tag: 'backend'; val: ServerId }; channel: string; data: Uint8Array; phase: 'configuration' | 'play' };
    }
  | { tag: 'server-post-connect'; val: { playerId: PlayerId; server: ServerId; previousServer: ServerId | undefined } }
  | { tag: 'player-client-brand'; val: { playerId: PlayerId; brand: string } }
  | { tag: 'player-channel-register'; val: { playerId: PlayerId; channels: string[]; direction: 'serverbound' | 'clientbound' } }
  | { tag: 'player-settings-changed'; val: { playerId: PlayerId; settings: ClientSettingsPacket } }
  | {
      tag: 'connection-handshake';
      val: { remoteAddr: string; virtualHost: string | undefined; rawHost: string; port: number; protocolVersion: number; intent: 'status' | 'login' | 'transfer'; legacy: boolean; server: ServerId | undefined };
    }
  | { tag: 'connection-rejected'; val: { remoteAddr: string; virtualHost: string | undefined; reason: RejectReason } }
  | { tag: 'game-profile-request'; val: { original: GameProfile; onlineMode: boolean; remoteAddr: string; virtualHost: string | undefined; protocolVersion: number } }
  | { tag: 'login'; val: { playerId: PlayerId; profile: GameProfile; onlineMode: boolean } }
  | { tag: 'pre-transfer'; val: { playerId: PlayerId; host: string; port: number; origin: 'plugin' | 'backend' } }
  | { tag: 'player-resource-pack-status'; val: { playerId: PlayerId; packId: string | undefined; status: ResourcePackStatus; origin: 'proxy' | 'backend' } }
  | { tag: 'backend-health'; val: { address: ServerAddress; servers: ServerId[]; state: 'healthy' | 'probing' | 'unhealthy' | 'draining' } };

/** Why the proxy refused a connection (0.3.0 `reject-reason`); `plugin` names the plugin's reason when it gave one. */
export type RejectReason =
  | { tag: 'ip-filter' }
  | { tag: 'rate-limit' }
  | { tag: 'unknown-domain' }
  | { tag: 'ip-banned' }
  | { tag: 'banned' }
  | { tag: 'server-unavailable' }
  | { tag: 'plugin'; val: string | undefined };

export type ResourcePackStatus =
  | { tag: 'successfully-loaded' | 'declined' | 'failed-download' | 'accepted' | 'downloaded' | 'invalid-url' | 'failed-reload' | 'discarded' }
  | { tag: 'unknown'; val: number };

export interface Results030 {
  'command-execute': { tag: 'allow' } | { tag: 'deny'; val?: string } | { tag: 'modify'; val: string } | { tag: 'forward-to-backend' };
  'plugin-message': { tag: 'forward' } | { tag: 'handled' } | { tag: 'replace'; val: Uint8Array };
  'connection-handshake': { tag: 'allow' } | { tag: 'deny'; val?: string } | { tag: 'drop-silently' };
  /** `denied` set refuses the login (§4.4 "Newest fields"). */
  'game-profile-request': { profile: GameProfile; denied?: string };
  login: { tag: 'allowed' } | { tag: 'denied'; val: string };
  'pre-transfer': { tag: 'allowed' } | { tag: 'denied'; val: string } | { tag: 'redirect'; val: ServerAddress };
}
export type Kind030 = Event030['tag'];
export type ResultKind030 = keyof Results030;
export type Event030Of<K extends Kind030> = Extract<Event030, { tag: K }>;

/** The runtime's side (plugins/event-router.ts): 0.3.0 listeners in priority order. */
export interface Dispatcher030 {
  hasListeners(kind: Kind030): boolean;
  /** Runs the listeners from `initial` (each sees the current result); answers the final result (§4.4). */
  decide030<K extends ResultKind030>(event: Event030Of<K>, initial: Results030[K]): Promise<Results030[K]>;
  /** Observe-only: outcomes ignored. */
  notify030(event: Event030): Promise<void>;
  /** Whether some plugin registered this channel (modern or legacy name) through messaging. */
  channelRegistered(raw: string): boolean;
}
