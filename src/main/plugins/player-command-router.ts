// Plugin commands for the proxy's players (contract/player-commands.ts): run and complete them with the
// player as sender, list those a player may see in its command tree, and say when that list changes —
// a command registered or removed, or a player's permission snapshot replaced (§4.6: set-snapshot resends
// the command tree).
import type { LoginSubject, PlayerCommandDispatcher, PlayerCommandRun, TreeCommand } from '../contract/player-commands';
import { type CommandHost, commandDenied, completePluginCommand, findCommand, runPluginCommand } from './plugin-commands';

export class PlayerCommandRouter implements PlayerCommandDispatcher {
  constructor(private readonly h: CommandHost) {}

  active(): boolean {
    return this.h.commands.list().length > 0;
  }

  owns(label: string): boolean {
    return findCommand(this.h.commands, label) !== undefined;
  }

  async run(player: bigint, line: string): Promise<PlayerCommandRun> {
    const ran = await runPluginCommand(this.h, line, player);
    if (ran === false) return { tag: 'unknown' };
    return ran === true ? { tag: 'ran' } : { tag: 'denied', reason: ran.denied };
  }

  async complete(player: bigint, line: string): Promise<string[] | undefined> {
    const words = line.split(/\s+/);
    if (words.length < 2 || !this.owns(words[0]!)) return undefined;
    return completePluginCommand(this.h, line, player);
  }

  visible(player: bigint): TreeCommand[] {
    return this.h.commands
      .list()
      .filter((c) => !c.spec?.hidden && !commandDenied(this.h.providers, c.spec?.permission, player))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((c) => ({ name: c.name, aliases: c.aliases.map((a) => a.toLowerCase()) }));
  }

  onChange(listener: (player: bigint | undefined) => void): () => void {
    const offCommands = this.h.commands.onChange(() => listener(undefined));
    const offPermissions = this.h.providers.permissions.onChange(listener);
    return () => {
      offCommands();
      offPermissions();
    };
  }

  prepare(subject: LoginSubject): Promise<void> {
    return this.h.providers.permissions.prepare(subject);
  }
}
