// `command-manager` and `scheduler` (§3.10, §3.11).
import type { CommandRegistry } from '../../callback-registry';
import { hostErr, ok } from '../contract-030';
import { type CallKit, type Handlers } from './call-kit';

export function commandCalls(k: CallKit): Handlers {
  const { ctx, pluginId, quota, denied } = k;
  const ownCommands = () => ctx.commands.list().filter((c) => c.pluginId === pluginId);
  const commandInfo = (c: ReturnType<CommandRegistry['list']>[number]) => ({
    spec: c.spec ?? { name: c.name, aliases: c.aliases, description: c.description, hidden: false },
    pluginId: c.pluginId,
  });

  return {
    'command-manager.register': (spec: { name: string; aliases: string[]; description: string; usage?: string; permission?: string; hidden: boolean }, handler: bigint) => {
      const refused = denied('command');
      if (refused) return refused;
      const name = String(spec.name).toLowerCase();
      if (!/^[a-z0-9_-]+$/.test(name)) return hostErr('invalid-argument', `"${spec.name}" is not a command name`);
      const holder = ctx.commands.find(name);
      if (holder && holder.pluginId !== pluginId) return hostErr('conflict', `command "${name}" belongs to ${holder.pluginId}`);
      if (!holder && ownCommands().length >= quota().commands) return hostErr('limit-exceeded', `at most ${quota().commands} commands`);
      const accepted: string[] = [];
      const rejected: string[] = [];
      for (const a of spec.aliases) {
        const other = ctx.commands.find(a);
        (other && other.pluginId !== pluginId ? rejected : accepted).push(a);
      }
      ctx.commands.register({ pluginId, name, aliases: accepted, description: spec.description, callbackId: BigInt(handler), spec: { ...spec, aliases: accepted } });
      return ok({ name, namespaced: `${pluginId}:${name}`, aliases: accepted, rejectedAliases: rejected });
    },
    'command-manager.unregister': (label: string) => {
      const refused = denied('command');
      if (refused) return refused;
      const cmd = ctx.commands.find(String(label));
      if (!cmd || cmd.pluginId !== pluginId) return hostErr('not-found', `this plugin has no command "${label}"`);
      ctx.commands.unregister(pluginId, cmd.name);
      return ok(undefined);
    },
    'command-manager.get': (label: string) => denied('command') ?? ok(ctx.commands.find(String(label)) && commandInfo(ctx.commands.find(String(label))!)),
    'command-manager.getByName': (name: string) => {
      const c = ctx.commands.list().find((x) => x.name === String(name).toLowerCase());
      return denied('command') ?? ok(c && commandInfo(c));
    },
    'command-manager.getByAlias': (alias: string) => {
      const c = ctx.commands.list().find((x) => x.aliases.some((a) => a.toLowerCase() === String(alias).toLowerCase()));
      return denied('command') ?? ok(c && commandInfo(c));
    },
    'command-manager.contains': (label: string) => denied('command') ?? ok(ctx.commands.find(String(label)) !== undefined),
    'command-manager.list': () => denied('command') ?? ok(ctx.commands.list().sort((a, b) => a.name.localeCompare(b.name)).map(commandInfo)),
    'command-manager.listOwned': () => denied('command') ?? ok(ownCommands().sort((a, b) => a.name.localeCompare(b.name)).map(commandInfo)),

    'scheduler.delay': (after: bigint, handler: bigint) => {
      const refused = denied('scheduler');
      if (refused) return refused;
      if (ctx.scheduler.count(pluginId) >= quota().tasks) return hostErr('limit-exceeded', `at most ${quota().tasks} live tasks`);
      return ok(ctx.scheduler.schedule(pluginId, BigInt(after), BigInt(handler), false));
    },
    'scheduler.interval': (period: bigint, initialDelay: bigint | undefined, handler: bigint) => {
      const refused = denied('scheduler');
      if (refused) return refused;
      if (ctx.scheduler.count(pluginId) >= quota().tasks) return hostErr('limit-exceeded', `at most ${quota().tasks} live tasks`);
      return ok(ctx.scheduler.schedule(pluginId, BigInt(period), BigInt(handler), true, initialDelay === undefined ? undefined : BigInt(initialDelay)));
    },
    'scheduler.cancel': (handle: bigint) => denied('scheduler') ?? (ctx.scheduler.cancel(pluginId, BigInt(handle)), ok(undefined)),
  };
}
