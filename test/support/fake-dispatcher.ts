// The one test double of proxy tests: an event dispatcher that records every event and answers
// decisions from per-kind handlers (the plugin runtime is wired and tested elsewhere).
import type { EventDispatcher, EventKind, EventOutcome, GuestEvent } from '../../src/main/contract/guest-types.ts';

export class FakeDispatcher implements EventDispatcher {
  readonly seen: GuestEvent[] = [];
  readonly handlers = new Map<EventKind, (ev: GuestEvent) => EventOutcome | undefined | Promise<EventOutcome | undefined>>();

  hasListeners(): boolean {
    return true; // records every event; decisions come from `handlers`
  }

  async dispatch(ev: GuestEvent): Promise<{ pluginId: string; outcome: EventOutcome }[]> {
    this.seen.push(ev);
    const outcome = await this.handlers.get(ev.tag)?.(ev);
    return outcome && outcome.tag !== 'none' ? [{ pluginId: 'fake', outcome }] : [];
  }

  of<K extends EventKind>(kind: K): Extract<GuestEvent, { tag: K }>[] {
    return this.seen.filter((e): e is Extract<GuestEvent, { tag: K }> => e.tag === kind);
  }
}
