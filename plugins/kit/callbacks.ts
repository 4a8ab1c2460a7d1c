// The 0.3.0 runtime's callback tables. They live apart from the modules that call the host, so that a
// plugin importing only `command` never imports event-bus: every host interface a bundle imports becomes
// an import of its component (0.3.0 links them all, but its load report names each one without a grant).
import type { Event, EventOutcome } from 'infrarust:plugin/events@0.3.0';
import type { CommandInvocation, CommandSender, Suggestion } from 'infrarust:plugin/guest@0.3.0';
import type { HandlerResult, LimboSession, SessionEndReason } from 'infrarust:plugin/limbo@0.3.0';
import type { CodecSessionInit, ConnectionState, FilterOutput } from 'infrarust:plugin/codec-filter@0.3.0';
import type { FilterPriority } from 'infrarust:plugin/codec-registry@0.3.0';
import type { BanQuery, BanRecord, BanRecordPage, BanRequest, BanSource, BanTarget, BanVerdict, LoginAttempt, UnbanRequest } from 'infrarust:plugin/ban-service@0.3.0';
import type { PermissionSnapshot, PermissionSubject } from 'infrarust:plugin/permissions@0.3.0';
import type { LimboHandlerOf, PacketFilterOf } from './callback-shapes';

export { nextCallbackId } from './runtime';

export interface CommandEntry {
  run: (invocation: CommandInvocation) => void;
  complete: ((args: string[], sender: CommandSender, cursor: number) => (string | Suggestion)[]) | undefined;
}

/** Listener handle (chosen by the host) → handler. */
export const listeners = new Map<number, (event: Event) => EventOutcome>();
/** Handler ids (chosen by the kit) → command or task. */
export const commands = new Map<number, CommandEntry>();
export const tasks = new Map<number, () => void>();

export type LimboHandler = LimboHandlerOf<LimboSession, HandlerResult, SessionEndReason>;
export const limboHandlers = new Map<number, LimboHandler>();

export type PacketFilter = PacketFilterOf<FilterOutput, ConnectionState>;
/** Run at each enable before the plugin's own (kit/codec.ts registers its declared filters there). */
export const enableHooks: (() => void)[] = [];

/**
 * Filters declared at the module's top level (kit/codec.ts): registered at each enable, and known to every
 * instance of the component, the host's codec store included, which never runs on-enable (§4.8).
 */
export const declaredFilters = new Map<number, { meta: { id: string; priority: FilterPriority; after: string[]; before: string[]; required: boolean }; factory: (init: CodecSessionInit) => PacketFilter | undefined }>();

/** After a refused enable or on disable: the tables go with what they registered. */
export function clearCallbacks(): void {
  listeners.clear();
  commands.clear();
  tasks.clear();
  limboHandlers.clear();
  providers.ban = undefined;
  providers.permission = undefined;
}

/** A ban provider (§4.6): kit/ban-provider.ts installs it; the six guest exports answer from it. */
export interface BanProvider {
  /** A login attempt (three stages per connection): the verdict, or undefined when not banned. */
  check(attempt: LoginAttempt): BanVerdict | undefined;
  ban(request: BanRequest, source: BanSource): BanRecord;
  unban(request: UnbanRequest): BanRecord | undefined;
  get(target: BanTarget): BanRecord | undefined;
  list(query: BanQuery): BanRecordPage;
}
/** A permission provider (§4.6): the snapshot of a player or the console. */
export type PermissionProvider = (subject: PermissionSubject) => PermissionSnapshot;
export const providers: { ban?: BanProvider; permission?: PermissionProvider } = {};
