// player-resource-pack-status (0.3.0): the client's answer to a resource pack, seen by a decoding session.
// The origin is the proxy when the pack is one a plugin sent through this proxy (by its id from 1.20.3;
// before ids, while such a pack still waits for its final answer), else the backend. The answer still
// goes on to the backend, as before.
import type { ResourcePackStatus } from '../contract/events-030-only.ts';
import type { WireState } from './decoded-protocol.ts';
import type { DecodedSession } from './decoded-session.ts';
import type { Frame } from './packet-wire.ts';

const STATUSES = ['successfully-loaded', 'declined', 'failed-download', 'accepted', 'downloaded', 'invalid-url', 'failed-reload', 'discarded'] as const;
/** accepted and downloaded come before the final answer. */
const INTERIM = new Set([3, 4]);

export class ResourcePackWatch {
  /** Packs sent by the proxy: their ids, and how many sent without an id still wait for a final answer. */
  private readonly ids = new Set<string>();
  private withoutId = 0;

  constructor(private readonly s: DecodedSession) {}

  sent(id: string, withId: boolean): void {
    if (withId) this.ids.add(id);
    else this.withoutId++;
  }

  /** A client frame in configuration or play: reports it when it is a resource pack answer. */
  observe(state: Exclude<WireState, 'login'>, frame: Frame): void {
    const { codec, ctx } = this.s;
    if (!ctx.events.has030('player-resource-pack-status') || codec.name(state, 'toServer', frame.id()) !== 'resource_pack_receive') return;
    const { uuid, result } = codec.decode(state, 'toServer', frame.packet()).params as { uuid?: string; result: number };
    const final = !INTERIM.has(result);
    let origin: 'proxy' | 'backend' = 'backend';
    if (uuid !== undefined ? this.ids.has(uuid) : this.withoutId > 0) {
      origin = 'proxy';
      if (final && uuid !== undefined) this.ids.delete(uuid);
      else if (final) this.withoutId--;
    }
    const status: ResourcePackStatus = STATUSES[result] ? { tag: STATUSES[result] } : { tag: 'unknown', val: result };
    ctx.events.notify030('player-resource-pack-status', () => ({ tag: 'player-resource-pack-status', val: { playerId: this.s.playerId, packId: uuid, status, origin } }));
  }
}
