// `definePlugin` for 0.3.0 (the default): the guest side of the contract (metadata with dependencies,
// lifecycle with its reasons, and the callbacks the host makes) built from a plugin's description, so its
// code only says what it does in `enable`.
import type * as Guest from 'infrarust:plugin/guest@0.3.0';
import type * as CodecFilter from 'infrarust:plugin/codec-filter@0.3.0';
import type { EventOutcome } from 'infrarust:plugin/events@0.3.0';
import { debug, error, info, warn } from 'infrarust:plugin/log@0.3.0';
import type { PluginDependency } from 'infrarust:plugin/types@0.3.0';
import { clearCallbacks, commands, declaredFilters, enableHooks, limboHandlers, listeners, providers, tasks, type PacketFilter } from './callbacks';
import { errorMessage } from './errors';
import { FilterLifecycle } from './callback-shapes';
import { guarded, startRuntime } from './runtime';

export type { EnableReason, DisableReason, RecoveryInfo } from 'infrarust:plugin/guest@0.3.0';

export interface EnableContext {
  /**
   * `initial`, or `recovered` with `{ attempt, cause }` when the host restarts the plugin in a fresh instance
   * after a fault (a trap, or a call cut at its deadline): listeners, tasks and limbo holds of the lost
   * instance are gone and `enable` makes them again; codec filters, channels and permission nodes persist.
   */
  reason: Guest.EnableReason;
  /** `reason.val` when recovering, else undefined. */
  recovery: Guest.RecoveryInfo | undefined;
}

export interface PluginDefinition {
  /** snake_case, unique on the host; also the name of its `[plugins.<id>]` table and data folder. */
  id: string;
  name: string;
  version: string;
  authors?: string[];
  description?: string;
  /** Plugins that must be enabled first (`optional: true`: used when present, never blocks enabling). */
  dependencies?: PluginDependency[];
  /**
   * Runs in on-enable: subscribe (`on`), register commands (`command`) and start tasks (`every`) here,
   * not at module level (the host is not there while the module is pre-initialised at build time).
   * Throw to refuse to start: the message becomes the plugin's failure reason.
   */
  enable?: (context: EnableContext) => void;
  /** `shutdown` when the proxy stops, `unload` when the plugin is removed or reloaded. */
  disable?: (context: { reason: Guest.DisableReason }) => void;
}

/** What the build exports as the component's `guest` and `codec-filter`. */
export interface PluginExports {
  guest: typeof Guest;
  codecFilter: typeof CodecFilter;
}

const UNCHANGED: EventOutcome = { tag: 'unchanged' };
const ACCEPT = { tag: 'accept' } as const;
const NO_BANS = 'this plugin provides no bans';
const PASS: CodecFilter.FilterOutput = { tag: 'pass' };

/**
 * The codec-filter export's resource: the filter a factory registered with `codecFilter` made for one
 * connection side (none: every packet passes). `filter` answers a verdict; a changed packet waits for the
 * host's take-output. A filter that throws answers error(internal), which the host treats as a fault of
 * that side (it passes packets through from then on).
 */
class FilterInstance extends FilterLifecycle<CodecFilter.ConnectionState, PacketFilter> {
  private output: CodecFilter.FilterOutput = PASS;
  filter(packetId: number, data: Uint8Array): CodecFilter.FilterVerdict {
    try {
      this.output = this.impl?.filter(packetId, data) ?? PASS;
    } catch (err) {
      this.output = { tag: 'error', val: { tag: 'internal', val: errorMessage(err) } };
    }
    return this.output.tag === 'pass' ? 'pass' : this.output.tag === 'drop' ? 'drop' : 'modified';
  }
  takeOutput(): CodecFilter.FilterOutput {
    const out = this.output;
    this.output = PASS;
    return out;
  }
}

/** A provider export: the provider's answer, or err(string) (a string throw) when it has none or throws. */
function provide<T>(fn: (() => T) | undefined): T {
  if (!fn) throw NO_BANS;
  try {
    return fn();
  } catch (err) {
    throw errorMessage(err);
  }
}

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
    onEnable(reason) {
      try {
        for (const hook of enableHooks) hook();
        def.enable?.({ reason, recovery: reason.tag === 'recovered' ? reason.val : undefined });
      } catch (err) {
        clearCallbacks();
        // A string throw is how an export returns err(string).
        throw errorMessage(err);
      }
    },
    onDisable(reason) {
      try {
        def.disable?.({ reason });
      } catch (err) {
        throw errorMessage(err);
      } finally {
        clearCallbacks();
      }
    },
    handleEvent: (listener, event) => guarded(`${event.tag} handler`, () => listeners.get(Number(listener))?.(event) ?? UNCHANGED, UNCHANGED),
    handleCommand(handler, invocation) {
      guarded(`command ${invocation.label}`, () => commands.get(Number(handler))?.run(invocation), undefined);
    },
    tabComplete: (handler, sender, args, cursor) =>
      guarded(
        'tab completion',
        () => (commands.get(Number(handler))?.complete?.(args, sender, cursor) ?? []).map((s) => (typeof s === 'string' ? { text: s } : s)),
        [],
      ),
    onScheduledTask: (handler) => guarded('scheduled task', () => tasks.get(Number(handler))?.(), undefined),
    // A handler the plugin did not register (or that throws) lets the player go on.
    limboOnPlayerEnter: (handler, session) => guarded('limbo enter', () => limboHandlers.get(Number(handler))?.enter(session) ?? ACCEPT, ACCEPT),
    limboOnCommand: (handler, session, cmd, args) => guarded('limbo command', () => limboHandlers.get(Number(handler))?.command?.(session, cmd, args), undefined),
    limboOnChat: (handler, session, message) => guarded('limbo chat', () => limboHandlers.get(Number(handler))?.chat?.(session, message), undefined),
    limboOnDisconnect: (handler, player) => guarded('limbo disconnect', () => limboHandlers.get(Number(handler))?.disconnect?.(Number(player)), undefined),
    limboOnSessionEnd: (handler, player, reason) => guarded('limbo session end', () => limboHandlers.get(Number(handler))?.end?.(Number(player), reason), undefined),
    banProviderCheck: (attempt) => provide(providers.ban && (() => providers.ban!.check(attempt))),
    banProviderBan: (request, source) => provide(providers.ban && (() => providers.ban!.ban(request, source))),
    banProviderUnban: (request) => provide(providers.ban && (() => providers.ban!.unban(request))),
    banProviderGet: (target) => provide(providers.ban && (() => providers.ban!.get(target))),
    banProviderList: (query) => provide(providers.ban && (() => providers.ban!.list(query))),
    // Without a provider (or when it throws) the snapshot is empty: node defaults apply.
    permissionSnapshotFor: (subject) => guarded('permission snapshot', () => providers.permission?.(subject) ?? { rules: [], admin: false }, { rules: [], admin: false }),
  } satisfies typeof Guest;
  const create = (factory: number, init: CodecFilter.CodecSessionInit) =>
    new FilterInstance(guarded('codec filter factory', () => declaredFilters.get(Number(factory))?.factory(init), undefined));
  return { guest, codecFilter: { FilterInstance, create } as unknown as typeof CodecFilter };
}
