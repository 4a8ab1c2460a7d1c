// `command(name, handler)`: a console command through command-manager (capability `command`). The host
// runs it for a console line like `/ban Steve griefing` (args ["Steve", "griefing"]).
import { register, unregister } from 'infrarust:plugin/command-manager@0.2.3';
import { commands, nextCallbackId } from './callbacks';

export interface CommandOptions {
  aliases?: string[];
  description?: string;
  /** Suggestions for the word being typed; `args` are the words so far (the last may be partial). */
  complete?: (args: string[]) => string[];
}

/** `player` is the player who ran it, undefined from the console. Returns a function that unregisters. */
export type CommandHandler = (args: string[], player: number | undefined) => void;

export function command(name: string, handler: CommandHandler, options: CommandOptions = {}): () => void {
  const id = nextCallbackId();
  commands.set(id, { run: handler, complete: options.complete });
  register(name, options.aliases ?? [], options.description ?? '', id);
  return () => {
    unregister(name);
    commands.delete(id);
  };
}
