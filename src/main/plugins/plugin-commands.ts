// Running and completing the commands plugins registered (command-manager), for the console and for players,
// gated by a declared permission through the permission provider (§4.6).
import type { GuestExport } from '../guest/worker-protocol';
import type { CommandRegistry, RegisteredCommand } from './callback-registry';
import type { ContractServices } from './contract-services';
import type { Slot } from './plugin-slot';
import type { Providers030 } from './v030/providers';
import { commandArgs, completionArgs, completionsOf } from './v030/guest-030';

export interface CommandHost {
  commands: CommandRegistry;
  providers: Providers030;
  services: ContractServices;
  slotById(id: string): Slot | undefined;
  callGuest(id: string, fn: GuestExport, args: unknown[]): Promise<unknown>;
}

/**
 * The command a label names: a name or alias in any case, or `<plugin-id>:<name or alias>` (the
 * namespaced form `register` answers).
 */
export function findCommand(commands: CommandRegistry, label: string): RegisteredCommand | undefined {
  const colon = label.indexOf(':');
  if (colon < 0) return commands.find(label);
  const cmd = commands.find(label.slice(colon + 1));
  return cmd && cmd.pluginId === label.slice(0, colon).toLowerCase() ? cmd : undefined;
}

/** Runs a command registered by a plugin. False when no plugin registered it, `denied` when the sender lacks its permission. */
export async function runPluginCommand(h: CommandHost, line: string, player?: bigint): Promise<boolean | { denied: string }> {
  const [word, ...args] = line.trim().split(/\s+/);
  const typed = word?.replace(/^\//, '');
  const cmd = typed ? findCommand(h.commands, typed) : undefined;
  if (!cmd) return false;
  const denied = commandDenied(h.providers, cmd.spec?.permission, player);
  if (denied) return { denied };
  const label = typed!.slice(typed!.indexOf(':') + 1).toLowerCase();
  const contract = h.slotById(cmd.pluginId)?.view.contract ?? null;
  const who = player === undefined ? undefined : h.services.players.byId(player);
  await h.callGuest(cmd.pluginId, 'handleCommand', commandArgs(contract, cmd.callbackId, label, args, who, player));
  return true;
}

/**
 * Command names for a first word, else the owning plugin's completions of the arguments. For a player,
 * only commands it may run (and, for names, not hidden ones).
 */
export async function completePluginCommand(h: CommandHost, line: string, player?: bigint): Promise<string[]> {
  const words = line.replace(/^\//, '').split(/\s+/);
  const allowed = (c: RegisteredCommand) => !commandDenied(h.providers, c.spec?.permission, player);
  if (words.length <= 1) {
    const prefix = (words[0] ?? '').toLowerCase();
    const shown = h.commands.list().filter((c) => allowed(c) && (player === undefined || !c.spec?.hidden));
    return shown.flatMap((c) => [c.name, ...c.aliases]).filter((n) => n.toLowerCase().startsWith(prefix)).sort();
  }
  const cmd = findCommand(h.commands, words[0]!);
  if (!cmd || !allowed(cmd)) return [];
  const contract = h.slotById(cmd.pluginId)?.view.contract ?? null;
  const who = player === undefined ? undefined : h.services.players.byId(player);
  return completionsOf(await h.callGuest(cmd.pluginId, 'tabComplete', completionArgs(contract, cmd.callbackId, words.slice(1), who)));
}

/** Why the sender may not run a command declaring `permission`, or null. The console is the provider's console subject. */
export function commandDenied(providers: Providers030, permission: string | undefined, player?: bigint): string | null {
  if (!permission?.trim()) return null;
  const p = providers.permissions;
  const allowed = player === undefined ? p.consoleHas(permission) : p.has(player, permission);
  return allowed ? null : `missing permission ${permission.trim().toLowerCase()}`;
}
