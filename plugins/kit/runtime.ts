// What both contracts' runtimes share, free of host imports (a shared module must not pull in one
// contract's interfaces): the plugin's id, a `console` that writes to the plugin's log, guarded callbacks
// and callback ids. Each runtime's definePlugin hands in its contract's `log` functions.
import { errorMessage } from './errors';

export interface LogFunctions {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

let definedId: string | undefined;
let log: LogFunctions | undefined;

/** Called by definePlugin: remembers the id and gives QuickJS (which has none) a `console`. */
export function startRuntime(id: string, logFunctions: LogFunctions): void {
  definedId = id;
  log = logFunctions;
  const format = (args: unknown[]): string =>
    args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? errorMessage(a) : (JSON.stringify(a) ?? String(a)))).join(' ');
  const line = (write: (m: string) => void) => (...args: unknown[]) => write(format(args));
  (globalThis as { console?: unknown }).console ??= {
    log: line(logFunctions.info),
    info: line(logFunctions.info),
    debug: line(logFunctions.debug),
    warn: line(logFunctions.warn),
    error: line(logFunctions.error),
  };
}

/** The id given to definePlugin (settings live under it). */
export function pluginId(): string {
  if (definedId === undefined) throw new Error('definePlugin has not run');
  return definedId;
}

/** Runs a callback; a throw is logged instead of trapping (a trap is a fault: 0.2.3 poisons, 0.3.0 recovers). */
export function guarded<T>(what: string, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (err) {
    log?.error(`${what} failed: ${errorMessage(err)}`);
    return fallback;
  }
}

let lastId = 0;
/** A fresh u64 callback id, as a number: QuickJS traps on a BigInt where the contract wants a u64. */
export const nextCallbackId = (): number => ++lastId;
