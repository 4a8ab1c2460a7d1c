// The contract's limbo shapes (§3.11) in jco's value model, and what the proxy asks of the plugin runtime
// when it holds a player in limbo (the plugin side answers it: plugins/limbo-router.ts).
import type { Component, GameProfile, PlayerId, ServerId, TitleData } from './guest-types';

export type LimboEntryContext =
  | { tag: 'initial-connection'; val: ServerId }
  | { tag: 'kicked-from-server'; val: [ServerId, Component] }
  | { tag: 'plugin-redirect'; val: ServerId | undefined };

export type TimeoutOutcome =
  | { tag: 'accept' }
  | { tag: 'deny'; val: Component }
  | { tag: 'redirect'; val: ServerId }
  | { tag: 'send-to-limbo'; val: string[] };

export type HandlerResult =
  | TimeoutOutcome
  | { tag: 'hold' }
  | { tag: 'hold-with-timeout'; val: { afterMs: bigint | number; onTimeout: TimeoutOutcome } };

export type SessionEndReason = 'disconnected' | 'released' | 'kicked' | 'redirected' | 'timed-out' | 'shutdown';

/** Why a player left limbo (0.3.0's `limbo-exit` event). */
export type LimboExitReason =
  | { tag: 'released' }
  | { tag: 'redirected' }
  | { tag: 'sent-to-limbo'; val: string[] }
  | { tag: 'kicked'; val: Component }
  | { tag: 'disconnected' }
  | { tag: 'timed-out' }
  | { tag: 'shutdown' };

export const SESSION_END_REASONS: readonly SessionEndReason[] = ['disconnected', 'released', 'kicked', 'redirected', 'timed-out', 'shutdown'];

/** What one handler's limbo-on-player-enter came to. */
export type EnterAnswer =
  | { tag: 'result'; val: HandlerResult }
  /** No enabled plugin registered the handler, or its plugin lacks the `limbo` capability: the next one runs. */
  | { tag: 'skip'; why: string }
  /** The call trapped, overran its deadline or the plugin is poisoned. */
  | { tag: 'failed'; why: string };

export interface LimboDispatcher {
  /** The plugin holding handler `name` (for the panel), if any. */
  owner(name: string): string | undefined;
  enter(name: string, session: bigint): Promise<EnterAnswer>;
  chat(name: string, session: bigint, message: string): Promise<void>;
  command(name: string, session: bigint, command: string, args: string[]): Promise<void>;
  disconnect(name: string, player: PlayerId): Promise<void>;
  sessionEnd(name: string, player: PlayerId, reason: SessionEndReason): Promise<void>;
  /**
   * Told when handlers go away with their plugin (poisoned, disabled, reloaded, recovering) and why;
   * `deny` (JSON text) when the players they held must be denied rather than moved on (0.3.0, §4.7).
   */
  onGone(listener: (names: string[], why: string, deny?: Component) => void): void;
  /** A player entered limbo under `handlers` (0.3.0's `limbo-enter` event). */
  entered?(player: { id: PlayerId; profile: GameProfile }, handlers: string[], context: LimboEntryContext): void;
  /** A player left limbo (0.3.0's `limbo-exit` event). */
  exited?(player: { id: PlayerId; profile: GameProfile }, reason: LimboExitReason, nextServer: ServerId | undefined): void;
}

/** A limbo session as the plugin runtime reaches it (limbo-session and limbo-session-handle resources). */
export interface LimboSessionAccess {
  playerId: PlayerId;
  profile: GameProfile;
  entryContext: LimboEntryContext;
  /** false once sent, else why not. */
  message(component: Component, actionBar: boolean): boolean;
  title(title: TitleData): boolean;
  /** A no-op once the session or hold has ended. */
  complete(outcome: HandlerResult): void;
  cancelled(): boolean;
}

/** No plugin runtime: every handler is skipped. */
export const noLimboDispatcher: LimboDispatcher = {
  owner: () => undefined,
  enter: async (name) => ({ tag: 'skip', why: `no plugin registered the limbo handler "${name}"` }),
  chat: async () => undefined,
  command: async () => undefined,
  disconnect: async () => undefined,
  sessionEnd: async () => undefined,
  onGone: () => undefined,
};
