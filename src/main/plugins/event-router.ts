// Subscriptions made through event-bus, and delivery of events to them in priority order
// (0 first … 255 last, ties in subscription order). Implements the proxy's EventDispatcher.
import type { EventDispatcher, EventKind, EventOutcome, GuestEvent } from '../contract/guest-types';

interface Listener {
  pluginId: string;
  handle: bigint;
  priority: number;
  seq: number;
}

/** Calls one plugin's handle-event; resolves undefined when the plugin could not answer. */
export type DeliverFn = (pluginId: string, handle: bigint, event: GuestEvent) => Promise<EventOutcome | undefined>;

export class EventRouter implements EventDispatcher {
  private readonly byKind = new Map<EventKind, Listener[]>();
  private nextHandle = 1n;
  private seq = 0;

  constructor(private readonly deliver: DeliverFn) {}

  subscribe(pluginId: string, kind: EventKind, priority: number): bigint {
    const handle = this.nextHandle++;
    const list = this.byKind.get(kind) ?? [];
    list.push({ pluginId, handle, priority, seq: this.seq++ });
    list.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    this.byKind.set(kind, list);
    return handle;
  }

  unsubscribe(pluginId: string, handle: bigint): void {
    for (const [kind, list] of this.byKind) {
      this.byKind.set(kind, list.filter((l) => !(l.handle === handle && l.pluginId === pluginId)));
    }
  }

  /** Drops every subscription of a plugin (disable, reload, poison). */
  forget(pluginId: string): void {
    for (const [kind, list] of this.byKind) this.byKind.set(kind, list.filter((l) => l.pluginId !== pluginId));
  }

  hasListeners(kind: EventKind): boolean {
    return (this.byKind.get(kind)?.length ?? 0) > 0;
  }

  async dispatch(event: GuestEvent): Promise<{ pluginId: string; outcome: EventOutcome }[]> {
    const outcomes: { pluginId: string; outcome: EventOutcome }[] = [];
    // A snapshot: a plugin that subscribes or fails mid-dispatch does not reorder this delivery.
    for (const l of [...(this.byKind.get(event.tag) ?? [])]) {
      const outcome = await this.deliver(l.pluginId, l.handle, event);
      if (outcome && outcome.tag !== 'none') outcomes.push({ pluginId: l.pluginId, outcome });
    }
    return outcomes;
  }
}
