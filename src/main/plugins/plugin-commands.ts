// Running and completing the commands plugins registered (command-manager), for the console and for players,
// gated by a declared permission through the permission provider (§4.6).
import type { GuestExport } from '../guest/worker-protocol';
import type { CommandRegistry } from './callback-registry';
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

/** Runs a command registered by a plugin. False when no plugin registered it, `denied` when the sender lacks its permission. */
export async function runPluginCommand(h: CommandHost, line: string, player?: bigint): Promise<boolean | { denied: string }> {
  const [word, ...args] = line.trim().split(/\s+/);
  const label = word?.replace(/^\//, '');
  const cmd = label ? h.commands.find(label) : undefined;
  if (!cmd) return false;
  const denied = commandDenied(h.providers, cmd.spec?.permission, player);
  if (denied) return { denied };
  const contract = h.slotById(cmd.pluginId)?.view.contract ?? null;
  const who = player === undefined ? undefined : h.services.players.byId(player);
  await h.callGuest(cmd.pluginId, 'handleCommand', commandArgs(contract, cmd.callbackId, label!, args, who, player));
  return true;
}

/** Command names for a first word, else the owning plugin's completions of the arguments. */
export async function completePluginCommand(h: CommandHost, line: string): Promise<string[]> {
  const words = line.replace(/^\//, '').split(/\s+/);
  if (words.length <= 1) {
    const prefix = (words[0] ?? '').toLowerCase();
    return h.commands.list().flatMap((c) => [c.name, ...c.aliases]).filter((n) => n.toLowerCase().startsWith(prefix)).sort();
  }
  const cmd = h.commands.find(words[0]!);
  if (!cmd) return [];
  const contract = h.slotById(cmd.pluginId)?.view.contract ?? null;
  return completionsOf(await h.callGuest(cmd.pluginId, 'tabComplete', completionArgs(contract, cmd.callbackId, words.slice(1))));
}

/** Why the sender may not run a command declaring `permission`, or null. The console is the provider's console subject. */
function commandDenied(providers: Providers030, permission: string | undefined, player?: bigint): string | null {
  if (!permission?.trim()) return null;
  const p = providers.permissions;
  const allowed = player === undefined ? p.consoleHas(permission) : p.has(player, permission);
  return allowed ? null : `missing permission ${permission.trim().toLowerCase()}`;
}
