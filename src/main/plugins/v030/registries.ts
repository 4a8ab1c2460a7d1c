// Registrations 0.3.0 plugins make that outlive an instance (channels, permission nodes, providers) and
// the name rules of channels. Listeners, commands and tasks live in the shared registries of the manager;
// the quotas of §4.10 are `[wasm.quotas]` (config).
import type { T } from './contract-030';

export interface NodeEntry {
  node: { name: string; description: string; default: 'false' | 'true' | 'admin' };
  pluginId: string;
}

export class Registries030 {
  /** Channel key (`m:<modern>` / `l:<legacy>`) → channel, per plugin. */
  readonly channels = new Map<string, Map<string, T.ChannelId>>();
  readonly nodes = new Map<string, NodeEntry>();

  channelsOf(pluginId: string): Map<string, T.ChannelId> {
    let m = this.channels.get(pluginId);
    if (!m) this.channels.set(pluginId, (m = new Map()));
    return m;
  }

  nodeCount(pluginId: string): number {
    return [...this.nodes.values()].filter((n) => n.pluginId === pluginId).length;
  }

  /** Whether any plugin registered this raw channel name (modern or legacy). */
  channelRegistered(raw: string): boolean {
    for (const mine of this.channels.values()) if (mine.has(`m:${raw}`) || mine.has(`l:${raw}`)) return true;
    return false;
  }

  /** Disabling a plugin drops what recovery keeps (§4.9). */
  forget(pluginId: string): void {
    this.channels.delete(pluginId);
    for (const [name, n] of this.nodes) if (n.pluginId === pluginId) this.nodes.delete(name);
  }
}

export const channelKey = (c: T.ChannelId): string => (c.modern != null ? `m:${c.modern}` : `l:${c.legacy ?? ''}`);

/** §3.15: modern `namespace:name`, lowercase, ≤128; legacy 1–20 characters without NUL. */
export function channelProblem(c: T.ChannelId): string | null {
  if (c.modern == null && c.legacy == null) return 'a channel needs a modern or a legacy name';
  if (c.modern != null && (!/^[a-z0-9_.-]+:[a-z0-9_./-]+$/.test(c.modern) || c.modern.length > 128)) return `"${c.modern}" is not a lowercase namespace:name of at most 128 characters`;
  if (c.legacy != null && (c.legacy.length < 1 || c.legacy.length > 20 || c.legacy.includes('\0'))) return `"${c.legacy}" is not a legacy channel name of 1 to 20 characters`;
  return null;
}
