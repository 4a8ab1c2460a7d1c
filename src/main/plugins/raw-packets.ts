// 0.3.0 raw-packet listeners (§3.5, §4.4): `subscribe-packets` makes one event-bus listener per packet
// filter (so each counts toward the listener quota and goes with its instance, like any listener) and
// answers the first one's handle, which `unsubscribe` takes to remove them all. A frame the decoding
// proxy relays in play is offered to the listeners of its (state, direction, id) in priority order; each
// sees the current `raw-packet-result` and `pass`, `modify` or `drop` sets it.
import type { RawPacket } from '../contract/guest-types';
import type { EventRouter } from './event-router';
import type { Bus, Ev } from './v030/contract-030';

const keyOf = (state: string, direction: string, packetId: number) => `raw-packet:${state}:${direction}:${packetId}`;

export type RawPacketDeliver = (pluginId: string, handle: bigint, event: Ev.Event) => Promise<Ev.EventOutcome | undefined>;

export class RawPacketListeners {
  /** A subscription's handle → the listener handles of its filters. */
  private readonly groups = new Map<bigint, { pluginId: string; handles: bigint[] }>();
  private readonly keys = new Set<string>();

  constructor(
    private readonly events: EventRouter,
    private readonly deliver: RawPacketDeliver,
    private readonly log: (pluginId: string, message: string) => void,
  ) {}

  subscribe(pluginId: string, filters: Bus.PacketFilter[], priority: number): bigint {
    const handles = filters.map((f) => {
      const key = keyOf(f.state, f.direction, f.packetId);
      this.keys.add(key);
      return this.events.subscribe(pluginId, key, priority);
    });
    this.groups.set(handles[0]!, { pluginId, handles });
    return handles[0]!;
  }

  /** Removes a subscription's listeners; undefined when the handle is not a packet subscription of the plugin. */
  unsubscribe(pluginId: string, handle: bigint): boolean | undefined {
    const group = this.groups.get(handle);
    if (!group || group.pluginId !== pluginId) return undefined;
    this.groups.delete(handle);
    let found = false;
    for (const h of group.handles) found = this.events.unsubscribe(pluginId, h) || found;
    return found;
  }

  /** Whether any packet listener is live. */
  active(): boolean {
    for (const key of this.keys) if (this.events.hasListeners(key)) return true;
    return false;
  }

  /** What the listeners made of a play packet: undefined = pass, null = drop, else the packet to send. */
  async apply(player: bigint, direction: 'serverbound' | 'clientbound', packet: RawPacket): Promise<RawPacket | null | undefined> {
    const listeners = this.events.listeners(keyOf('play', direction, packet.packetId));
    if (listeners.length === 0) return undefined;
    let result: Ev.RawPacketResult = { tag: 'pass' };
    for (const l of listeners) {
      const out = await this.deliver(l.pluginId, l.handle, { tag: 'raw-packet', val: { player, direction, packet, result } });
      if (!out || out.tag === 'unchanged') continue;
      if (out.tag !== 'raw-packet') {
        this.log(l.pluginId, `answered raw-packet with a ${out.tag} outcome (ignored)`);
        continue;
      }
      result = out.val;
    }
    return result.tag === 'pass' ? undefined : result.tag === 'drop' ? null : result.val;
  }
}
