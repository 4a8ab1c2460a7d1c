// The 0.2.3 runtime's callback tables. They live apart from the modules that call the host, so that a plugin
// importing only `command` never imports event-bus: every host interface a bundle imports becomes an
// import of its component, and each one needs its capability.
import type { Event, EventOutcome } from 'infrarust:plugin/guest@0.2.3';
import type { HandlerResult, LimboSession, SessionEndReason } from 'infrarust:plugin/limbo@0.2.3';
import type { CodecSessionInit, ConnectionState, FilterOutput } from 'infrarust:plugin/codec-filter@0.2.3';
import type { LimboHandlerOf, PacketFilterOf } from '../callback-shapes';

export interface CommandEntry {
  run: (args: string[], player: number | undefined) => void;
  complete: ((args: string[]) => string[]) | undefined;
}

/** Listener handle (chosen by the host) → handler. */
export const listeners = new Map<number, (event: Event) => EventOutcome>();
/** Callback ids (chosen by the kit) → command or task. */
export const commands = new Map<number, CommandEntry>();
export const tasks = new Map<number, () => void>();

export type LimboHandler = LimboHandlerOf<LimboSession, HandlerResult, SessionEndReason>;
export const limboHandlers = new Map<number, LimboHandler>();

export type PacketFilter = PacketFilterOf<FilterOutput, ConnectionState>;
export const codecFactories = new Map<number, (init: CodecSessionInit) => PacketFilter | undefined>();

export { nextCallbackId } from '../runtime';

export function clearCallbacks(): void {
  listeners.clear();
  commands.clear();
  tasks.clear();
  limboHandlers.clear();
  codecFactories.clear();
}
