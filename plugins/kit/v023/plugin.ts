// `definePlugin` for 0.2.3: the guest side of the contract (metadata, lifecycle, and the callbacks the host makes)
// built from a plugin's description, so its code only says what it does in `enable`.
import type * as Guest from 'infrarust:plugin/guest@0.2.3';
import type * as CodecFilter from 'infrarust:plugin/codec-filter@0.2.3';
import { debug, error, info, warn } from 'infrarust:plugin/log@0.2.3';
import type { PluginDependency } from 'infrarust:plugin/types@0.2.3';
import { clearCallbacks, codecFactories, commands, limboHandlers, listeners, tasks, type PacketFilter } from './callbacks';
import { errorMessage } from '../errors';
import { FilterLifecycle } from '../callback-shapes';
import { guarded, startRuntime } from '../runtime';

export interface PluginDefinition {
  /** snake_case, unique on the host; also the name of its `[plugins.<id>]` table and data folder. */
  id: string;
  name: string;
  version: string;
  authors?: string[];
  description?: string;
  dependencies?: PluginDependency[];
  /**
   * Runs in on-enable: subscribe (`on`), register commands (`command`) and start tasks (`every`) here,
   * not at module level (the host is not there while the module is pre-initialised at build time).
   * Throw to refuse to start: the message becomes the plugin's failure reason.
   */
  enable?: () => void;
  disable?: () => void;
}

/** What the build exports as the component's `guest` and `codec-filter`. */
export interface PluginExports {
  guest: typeof Guest;
  codecFilter: typeof CodecFilter;
}

const NONE: Guest.EventOutcome = { tag: 'none' };
const ACCEPT = { tag: 'accept' } as const;

/**
 * The codec-filter export's resource: the filter a factory registered with `codecFilter` made for one
 * connection side (none: every packet passes). A filter that throws answers error(internal), and the host
 * lets that side pass through from then on.
 */
class FilterInstance extends FilterLifecycle<CodecFilter.ConnectionState, PacketFilter> {
  filter(packetId: number, data: Uint8Array): CodecFilter.FilterOutput {
    try {
      return this.impl?.filter(packetId, data) ?? PASS;
    } catch (err) {
      return { tag: 'error', val: { tag: 'internal', val: errorMessage(err) } };
    }
  }
}

const PASS: CodecFilter.FilterOutput = { tag: 'pass' };

export function definePlugin(def: PluginDefinition): PluginExports {
  startRuntime(def.id, { debug, info, warn, error });
  const guest = {
    metadata: () => ({
      id: def.id,
      name: def.name,
      version: def.version,
      authors: def.authors ?? [],
      description: def.description,
      dependencies: def.dependencies ?? [],
    }),
    onEnable() {
      try {
        def.enable?.();
      } catch (err) {
        clearCallbacks();
        // A string throw is how an export returns err(string).
        throw errorMessage(err);
      }
    },
    onDisable() {
      try {
        def.disable?.();
      } catch (err) {
        throw errorMessage(err);
      } finally {
        clearCallbacks();
      }
    },
    handleEvent: (listener, event) => guarded(`${event.tag} handler`, () => listeners.get(Number(listener))?.(event) ?? NONE, NONE),
    handleCommand(callbackId, args, player) {
      const cmd = commands.get(Number(callbackId));
      guarded('command', () => cmd?.run(args, player ?? undefined), undefined);
    },
    tabComplete: (callbackId, partial) => guarded('tab completion', () => commands.get(Number(callbackId))?.complete?.(partial) ?? [], []),
    onScheduledTask: (callbackId) => guarded('scheduled task', () => tasks.get(Number(callbackId))?.(), undefined),
    // A handler the plugin did not register (or that throws) lets the player go on.
    limboOnPlayerEnter: (handler, session) => guarded('limbo enter', () => limboHandlers.get(Number(handler))?.enter(session) ?? ACCEPT, ACCEPT),
    limboOnCommand: (handler, session, cmd, args) => guarded('limbo command', () => limboHandlers.get(Number(handler))?.command?.(session, cmd, args), undefined),
    limboOnChat: (handler, session, message) => guarded('limbo chat', () => limboHandlers.get(Number(handler))?.chat?.(session, message), undefined),
    limboOnDisconnect: (handler, player) => guarded('limbo disconnect', () => limboHandlers.get(Number(handler))?.disconnect?.(Number(player)), undefined),
    limboOnSessionEnd: (handler, player, reason) => guarded('limbo session end', () => limboHandlers.get(Number(handler))?.end?.(Number(player), reason), undefined),
    permissionLevelOf: () => 'player',
    checkPermission: () => false,
  } satisfies typeof Guest;
  const create = (factory: number | bigint, init: CodecFilter.CodecSessionInit) =>
    new FilterInstance(guarded('codec filter factory', () => codecFactories.get(Number(factory))?.(init), undefined));
  return { guest, codecFilter: { FilterInstance, create } as unknown as typeof CodecFilter };
}
