// Boss bars shown by 0.3.0 plugins: each bar belongs to the plugin that showed it (another plugin's bar is
// `not-found`, §3.6), a plugin holds at most BOSS_BARS_PER_PLUGIN at once (`conflict` past it, §4.2), and
// a plugin's bars are hidden when its instance goes (fault, disable, unload). The bars themselves live in
// each player's session (proxy/session-controls.ts), which drops them when the player leaves.
import { randomBytes } from 'node:crypto';
import type { ContractServices } from '../contract-services';
import { uuidText } from '../../../shared/contract/uuid-halves';

/** The reference leaves the value to the host: enough for a bar per player on a large proxy. */
export const BOSS_BARS_PER_PLUGIN = 1024;

/**
 * 53 random bits per uuid half: QuickJS guests hold a u64 as a JS number, so a larger half would come back
 * changed and name no bar. The client treats the id as an opaque uuid.
 */
const half = (): bigint => BigInt(`0x${randomBytes(7).toString('hex')}`) & ((1n << 53n) - 1n);

interface Owner {
  pluginId: string;
  playerId: bigint;
}

export class BossBars {
  private readonly owners = new Map<string, Owner>();

  constructor(private readonly services: () => ContractServices) {}

  /** A new bar id for `pluginId` on `playerId`, or null past the limit. */
  claim(pluginId: string, playerId: bigint): string | null {
    if (this.count(pluginId) >= BOSS_BARS_PER_PLUGIN) {
      // Bars of players who left are gone with their session: they no longer count.
      const players = this.services().players;
      for (const [id, o] of this.owners) if (!players.byId(o.playerId)) this.owners.delete(id);
      if (this.count(pluginId) >= BOSS_BARS_PER_PLUGIN) return null;
    }
    const id = uuidText({ hi: half(), lo: half() });
    this.owners.set(id, { pluginId, playerId });
    return id;
  }

  /** The player a bar of `pluginId` is shown to; undefined when the plugin owns no such bar. */
  playerOf(pluginId: string, barId: string): bigint | undefined {
    const o = this.owners.get(barId);
    return o?.pluginId === pluginId ? o.playerId : undefined;
  }

  release(barId: string): void {
    this.owners.delete(barId);
  }

  /** The plugin's instance is gone: its bars leave the players' screens. */
  dropPlugin(pluginId: string): void {
    for (const [id, o] of this.owners) {
      if (o.pluginId !== pluginId) continue;
      this.owners.delete(id);
      const controls = this.services().players.controls(o.playerId);
      if (typeof controls === 'object') controls.hideBossBar(id);
    }
  }

  private count(pluginId: string): number {
    let n = 0;
    for (const o of this.owners.values()) if (o.pluginId === pluginId) n++;
    return n;
  }
}
