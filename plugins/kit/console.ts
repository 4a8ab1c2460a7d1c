// QuickJS has no `console`: give plugins one that writes to their log in the panel.
import { debug, error, info, warn } from 'infrarust:plugin/log@0.2.3';
import { errorMessage } from './errors';

const format = (args: unknown[]): string =>
  args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? errorMessage(a) : (JSON.stringify(a) ?? String(a)))).join(' ');

export function installConsole(): void {
  const line = (write: (m: string) => void) => (...args: unknown[]) => write(format(args));
  (globalThis as { console?: unknown }).console ??= {
    log: line(info),
    info: line(info),
    debug: line(debug),
    warn: line(warn),
    error: line(error),
  };
}
