// What the proxy asks of the plugin runtime about plugin commands for its players (decoding modes run,
// complete and show them; plugins/player-command-router.ts answers), and the permission snapshot a login
// waits for before the player reaches a backend (every mode).
import type { GameProfile, PlayerId } from './guest-types';

/** A plugin command as the client's command tree shows it. */
export interface TreeCommand {
  name: string;
  aliases: string[];
}

export type PlayerCommandRun = { tag: 'ran' } | { tag: 'denied'; reason: string } | { tag: 'unknown' };

/** Who is logging in, as the permission provider's `player-subject` needs it. */
export interface LoginSubject {
  id: PlayerId;
  profile: GameProfile;
  onlineMode: boolean;
  /** ip:port of the client. */
  remoteAddr: string;
  /** The host name the client connected to. */
  virtualHost?: string;
}

export interface PlayerCommandDispatcher {
  /** Whether any plugin command is registered now (otherwise commands are never parsed for it). */
  active(): boolean;
  /** Whether `label` (a name or alias in any case, or `<plugin-id>:<name>`) is a plugin command. */
  owns(label: string): boolean;
  /** Runs `line` (without its slash) for the player: the plugin's handler, or why the player may not. */
  run(player: PlayerId, line: string): Promise<PlayerCommandRun>;
  /** The plugin's suggestions for the last word of `line` (a plugin command with arguments), else undefined. */
  complete(player: PlayerId, line: string): Promise<string[] | undefined>;
  /** The plugin commands the player may run and see (its permission allows, not hidden), sorted. */
  visible(player: PlayerId): TreeCommand[];
  /** Told when `visible` may answer differently: for one player, or for every player (undefined). */
  onChange(listener: (player: PlayerId | undefined) => void): () => void;
  /** Resolves once the player's permission snapshot is held (bounded by the provider's own deadline). */
  prepare(subject: LoginSubject): Promise<void>;
}

export const noPlayerCommands: PlayerCommandDispatcher = {
  active: () => false,
  owns: () => false,
  run: async () => ({ tag: 'unknown' }),
  complete: async () => undefined,
  visible: () => [],
  onChange: () => () => undefined,
  prepare: async () => undefined,
};
