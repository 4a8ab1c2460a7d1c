// Events the proxy raises that only 0.3.0 has a shape for (0.2.3 plugins cannot subscribe to them), in the
// proxy's own terms: text as JSON strings, players by id. plugins/v030/events-030-only.ts turns them into
// the 0.3.0 records with the current result, and the outcomes back into these results.
import type { PlayerId, ServerId } from './guest-types.ts';

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
  | { tag: 'player-settings-changed'; val: { playerId: PlayerId; settings: ClientSettingsPacket } };

export interface Results030 {
  'command-execute': { tag: 'allow' } | { tag: 'deny'; val?: string } | { tag: 'modify'; val: string } | { tag: 'forward-to-backend' };
  'plugin-message': { tag: 'forward' } | { tag: 'handled' } | { tag: 'replace'; val: Uint8Array };
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
