// What the proxy asks of the network it belongs to (cluster mode, wired by the host): players held by other
// proxies count in status pings and server limits, and a login already online elsewhere may be refused.
// Without a network the proxy uses a plain PlayerRegistry and admits every login.

import type { GameProfile, ServerId } from '../contract/guest-types.ts';
import { PlayerRegistry } from './player-registry.ts';

export interface ProxyNetwork {
  /** Players on `server` held by the other proxies. */
  remoteCountOn(server: ServerId): number;
  /** Called once bans passed: a refusal reason (plain text) when this login must not proceed. */
  admitLogin(profile: GameProfile): string | undefined;
}

/** The local registry whose per-server counts include the rest of the network. */
export class NetworkPlayerRegistry extends PlayerRegistry {
  constructor(private readonly network: ProxyNetwork) {
    super();
  }

  override countOn(server: ServerId): number {
    return super.countOn(server) + this.network.remoteCountOn(server);
  }
}
