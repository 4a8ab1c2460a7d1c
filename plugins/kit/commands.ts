// `command(name, handler)` for 0.3.0: a command through command-manager (capability `command`). The host
// runs it for a console line like `/ban Steve griefing` (args ["Steve", "griefing"]) or a player's command.
import { register, unregister } from 'infrarust:plugin/command-manager@0.3.0';
import type { CommandRegistration } from 'infrarust:plugin/command-manager@0.3.0';
import type { CommandInvocation, CommandSender, Suggestion } from 'infrarust:plugin/guest@0.3.0';
import { commands, nextCallbackId } from './callbacks';
import { hostCall } from './errors';

export type { CommandInvocation, CommandSender, CommandRegistration, Suggestion };

export interface CommandOptions {
  aliases?: string[];
  description?: string;
  usage?: string;
  /** A permission node a player needs to run it (the console always may). */
  permission?: string;
  /** Left out of players' command lists. */
  hidden?: boolean;
  /**
   * Suggestions for the word being typed; `args` are the words so far (the last may be partial). Plain
   * strings, or suggestions with a tooltip.
   */
  complete?: (args: string[], sender: CommandSender, cursor: number) => (string | Suggestion)[];
}

/** `invocation.sender` is the console or the player who ran it; `invocation.label` the name or alias used. */
export type CommandHandler = (args: string[], invocation: CommandInvocation) => void;

/** Throws a HostCallError when the host refuses (a name another plugin owns: conflict). */
export interface RegisteredCommand {
  /** What the host accepted: the name, its namespaced form, the aliases it took and rejected. */
  registration: CommandRegistration;
  unregister(): void;
}

export function command(name: string, handler: CommandHandler, options: CommandOptions = {}): RegisteredCommand {
  const id = nextCallbackId();
  commands.set(id, { run: (inv) => handler(inv.args, inv), complete: options.complete });
  const spec = {
    name,
    aliases: options.aliases ?? [],
    description: options.description ?? '',
    usage: options.usage,
    permission: options.permission,
    hidden: options.hidden ?? false,
  };
  let registration: CommandRegistration;
  try {
    registration = hostCall(`command-manager.register(${name})`, () => register(spec, id));
  } catch (err) {
    commands.delete(id);
    throw err;
  }
  return {
    registration,
    unregister() {
      hostCall(`command-manager.unregister(${name})`, () => unregister(name));
      commands.delete(id);
    },
  };
}
