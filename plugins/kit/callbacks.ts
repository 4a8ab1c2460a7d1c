// The kit's callback tables. They live apart from the modules that call the host, so that a plugin
// importing only `command` never imports event-bus: every host interface a bundle imports becomes an
// import of its component, and each one needs its capability.
import type { Event, EventOutcome } from 'infrarust:plugin/guest@0.2.3';

export interface CommandEntry {
  run: (args: string[], player: number | undefined) => void;
  complete: ((args: string[]) => string[]) | undefined;
}

/** Listener handle (chosen by the host) → handler. */
export const listeners = new Map<number, (event: Event) => EventOutcome>();
/** Callback ids (chosen by the kit) → command or task. */
export const commands = new Map<number, CommandEntry>();
export const tasks = new Map<number, () => void>();

let lastId = 0;
/** A fresh u64 callback id, as a number: QuickJS traps on a BigInt where the contract wants a u64. */
export const nextCallbackId = (): number => ++lastId;

export function clearCallbacks(): void {
  listeners.clear();
  commands.clear();
  tasks.clear();
}
