// This proxy's picture of the rest of the network: the other proxies (from their heartbeat keys) and the
// players each holds (from their players hashes, kept fresh between heartbeats by join/leave messages).

import type { ProxyRecord, SharedPlayer } from './cluster-protocol.ts';

export interface RemoteProxy {
  record: ProxyRecord;
  /** By the holder's local player id. */
  players: Map<string, SharedPlayer>;
}

export class RemoteNetwork {
  private readonly proxies = new Map<string, RemoteProxy>();

  /** Replaces everything with a fresh read of Redis. */
  replace(entries: RemoteProxy[]): void {
    this.proxies.clear();
    for (const e of entries) this.proxies.set(e.record.id, e);
  }

  clear(): void {
    this.proxies.clear();
  }

  list(): RemoteProxy[] {
    return [...this.proxies.values()];
  }

  /** A batch from `from`; one from a proxy not seen yet is picked up by the next refresh, with its record. */
  update(from: string, put: SharedPlayer[], gone: string[]): void {
    const p = this.proxies.get(from);
    if (!p) return;
    for (const id of gone) p.players.delete(id);
    for (const player of put) p.players.set(player.localId, player);
  }

  remove(from: string, localId: string): void {
    this.proxies.get(from)?.players.delete(localId);
  }

  /** The proxy holding a player with this uuid or (case-insensitive) name, and the player. */
  find(uuid: string, username: string): { proxy: string; player: SharedPlayer } | undefined {
    const name = username.toLowerCase();
    for (const [id, p] of this.proxies) {
      for (const player of p.players.values()) {
        if (player.uuid === uuid || player.username.toLowerCase() === name) return { proxy: id, player };
      }
    }
    return undefined;
  }

  countOn(server: string): number {
    let n = 0;
    for (const p of this.proxies.values()) for (const player of p.players.values()) if (player.server === server) n++;
    return n;
  }

  count(): number {
    let n = 0;
    for (const p of this.proxies.values()) n += p.players.size;
    return n;
  }
}

/** Whether a ban on `type`/`value` (normalized as the ban store keeps it) covers this player. */
export function banCovers(type: 'ip' | 'username' | 'uuid', value: string, p: Pick<SharedPlayer, 'uuid' | 'username' | 'remoteAddr'>): boolean {
  switch (type) {
    case 'uuid':
      return p.uuid.toLowerCase() === value;
    case 'username':
      return p.username.toLowerCase() === value;
    case 'ip':
      return ipOf(p.remoteAddr) === value;
  }
}

/** `1.2.3.4:5` → `1.2.3.4`, `[::1]:5` → `::1`. */
export function ipOf(remoteAddr: string): string {
  const v6 = /^\[(.+)\]:\d+$/.exec(remoteAddr);
  if (v6) return v6[1].toLowerCase();
  const i = remoteAddr.lastIndexOf(':');
  return i < 0 ? remoteAddr : remoteAddr.slice(0, i);
}
