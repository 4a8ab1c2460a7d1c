// The last log lines of each plugin (and of the host and proxy, as the pseudo-plugins "(host)" and
// "(proxy)"), kept from the host's first moment so a panel opened later still shows how plugins loaded.
import { LOG_LINES_KEPT } from '../../shared/control-api';
import type { PluginLogLine } from '../../shared/plugin-state';
import type { HostLogLine } from './host';

export class LogHistory {
  private readonly lines = new Map<string, PluginLogLine[]>();

  add(line: PluginLogLine): void {
    const kept = this.lines.get(line.pluginId) ?? [];
    kept.push(line);
    if (kept.length > LOG_LINES_KEPT) kept.splice(0, kept.length - LOG_LINES_KEPT);
    this.lines.set(line.pluginId, kept);
  }

  forget(pluginId: string): void {
    this.lines.delete(pluginId);
  }

  all(): PluginLogLine[] {
    return [...this.lines.values()].flat().sort((a, b) => a.time - b.time);
  }
}

/** A host or proxy line as a log line of the pseudo-plugin "(host)" or "(proxy)". */
export function asPluginLogLine(line: HostLogLine): PluginLogLine {
  return { pluginId: `(${line.source})`, level: line.level, message: line.message, time: line.time };
}
