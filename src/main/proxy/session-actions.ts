// Player actions on a decoded session (messages, titles, raw packets, switch): chat and titles wait for the
// client's next world when it has none (between servers, before the first Join Game).

import type { PlayerAction } from '../contract/guest-types.ts';
import type { DecodedSession } from './decoded-session.ts';
import { rawPacket, systemMessage, titlePackets } from './player-packets.ts';
import type { ActionResult } from './player-registry.ts';

/** Packets plugins may queue for a player between servers. */
const MAX_WAITING = 64;

export class SessionActions {
  /** Whether the client has a world (a Join Game since the last configuration phase): messages wait for it. */
  inWorld = false;
  private readonly waiting: Buffer[] = [];

  constructor(private readonly s: DecodedSession) {}

  /** The client has a world again: what plugins sent meanwhile goes out now. */
  worldReady(): void {
    this.inWorld = true;
    for (const p of this.waiting.splice(0)) this.s.send(p);
  }

  act(action: PlayerAction): ActionResult | Promise<ActionResult> {
    if (this.s.closed) return { tag: 'disconnected' };
    switch (action.kind) {
      case 'switch':
        return this.s.switchTo(action.server);
      case 'packet':
        this.s.send(rawPacket(action.packet.packetId, action.packet.data));
        return undefined;
      case 'plugin-message':
        return this.pluginMessage(action);
    }
    return this.sendInWorld(action.kind === 'title' ? titlePackets(this.s.codec, action.title) : [systemMessage(this.s.codec, action.component, action.kind === 'action-bar')]);
  }

  /** Play packets for the client now, or, between servers (or before the first Join Game), at the next world. */
  sendInWorld(packets: Buffer[]): ActionResult {
    if (this.s.closed) return { tag: 'disconnected' };
    if (this.s.inPlayWorld) {
      for (const p of packets) this.s.send(p);
      return undefined;
    }
    if (this.waiting.length + packets.length > MAX_WAITING) return { tag: 'not-active' };
    this.waiting.push(...packets);
    return undefined;
  }

  /** A custom payload in the receiving side's current phase; a player between servers has no backend to reach. */
  private pluginMessage(m: Extract<PlayerAction, { kind: 'plugin-message' }>): ActionResult {
    const params = { channel: m.channel, data: Buffer.from(m.data) };
    if (m.to === 'client') {
      const state = this.s.clientState === 'configuration' ? 'configuration' : 'play';
      this.s.send(this.s.codec.encode(state, 'toClient', { name: 'custom_payload', params }));
      return undefined;
    }
    const b = this.s.backend;
    if (!b || b.state === 'login') return { tag: 'not-active' };
    b.login.wire.sendPacket(this.s.codec.encode(b.state, 'toServer', { name: 'custom_payload', params }));
    return undefined;
  }
}
