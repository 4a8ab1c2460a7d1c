// Subscriptions made through event-bus, and delivery of events to them in priority order
// (0 first … 255 last, ties in subscription order). Implements the proxy's EventDispatcher. Kinds are
// strings: 0.3.0 plugins subscribe to kinds 0.2.3 lacks, and to named events (`named:<name>`).
// Every delivery goes through its plugin's lane (delivery-lanes.ts), so each plugin hears events in the
// order they were fired: a decision runs listener after listener, each waiting for its own lane; a
// background event is queued in all its listeners' lanes at once, in priority order, and waits for no one.
import type { EventDispatcher, EventKind, EventOutcome, GuestEvent } from '../contract/guest-types';
import type { Dispatcher030, Event030, Event030Of, Results030, ResultKind030 } from '../contract/events-030-only';
import { DeliveryLanes } from './delivery-lanes';

interface Listener {
  pluginId: string;
  handle: bigint;
  priority: number;
  seq: number;
}

/**
 * Calls one plugin's handle-event with the outcome earlier listeners left (`current`, which 0.3.0 plugins
 * see); resolves undefined when the plugin could not answer.
 */
export type DeliverFn = (pluginId: string, handle: bigint, event: GuestEvent, current: EventOutcome | undefined) => Promise<EventOutcome | undefined>;

/** A named event (0.3.0 `fire-named`), and the result its listeners leave. */
export interface NamedEvent {
  name: string;
  sourcePlugin: string;
  contentType: string;
  payload: Uint8Array;
}
export interface NamedResult {
  cancelled: boolean;
  response?: { contentType: string; payload: Uint8Array };
}
export type DeliverNamedFn = (pluginId: string, handle: bigint, event: NamedEvent, current: NamedResult) => Promise<NamedResult | undefined>;
/** Hands an observe-only event that only 0.3.0 has (e.g. plugin-enabled) to one listener, already in its shape. */
export type DeliverObservedFn = (pluginId: string, handle: bigint, event: unknown) => Promise<void>;
/**
 * Hands one listener a proxy event only 0.3.0 has, with the current result (undefined for observe-only
 * kinds); resolves the result it sets, or undefined to keep the current one.
 */
export type Deliver030Fn = (pluginId: string, handle: bigint, event: Event030, current: unknown) => Promise<unknown>;
export interface Only030 {
  deliver: Deliver030Fn;
  channelRegistered(raw: string): boolean;
}

export class EventRouter implements EventDispatcher, Dispatcher030 {
  private readonly byKind = new Map<string, Listener[]>();
  private nextHandle = 1n;
  private seq = 0;

  constructor(
    private readonly deliver: DeliverFn,
    private readonly deliverNamed: DeliverNamedFn = async () => undefined,
    private readonly deliverObserved: DeliverObservedFn = async () => undefined,
    private readonly only030: Only030 = { deliver: async () => undefined, channelRegistered: () => false },
    private readonly lanes = new DeliveryLanes(),
  ) {}

  subscribe(pluginId: string, kind: string, priority: number): bigint {
    const handle = this.nextHandle++;
    const list = this.byKind.get(kind) ?? [];
    list.push({ pluginId, handle, priority, seq: this.seq++ });
    list.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    this.byKind.set(kind, list);
    return handle;
  }

  /** Whether the plugin held that subscription. */
  unsubscribe(pluginId: string, handle: bigint): boolean {
    let found = false;
    for (const [kind, list] of this.byKind) {
      const kept = list.filter((l) => !(l.handle === handle && l.pluginId === pluginId));
      found ||= kept.length !== list.length;
      this.byKind.set(kind, kept);
    }
    return found;
  }

  /** Drops every subscription of a plugin (disable, reload, poison, recovery). */
  forget(pluginId: string): void {
    for (const [kind, list] of this.byKind) this.byKind.set(kind, list.filter((l) => l.pluginId !== pluginId));
  }

  /** Live subscriptions of a plugin (the 0.3.0 listener quota). */
  count(pluginId: string): number {
    let n = 0;
    for (const list of this.byKind.values()) n += list.filter((l) => l.pluginId === pluginId).length;
    return n;
  }

  /** The listeners of a kind in calling order (a snapshot). */
  listeners(kind: string): { pluginId: string; handle: bigint }[] {
    return (this.byKind.get(kind) ?? []).map((l) => ({ pluginId: l.pluginId, handle: l.handle }));
  }

  hasListeners(kind: EventKind | string): boolean {
    return (this.byKind.get(kind)?.length ?? 0) > 0;
  }

  async dispatch(event: GuestEvent): Promise<{ pluginId: string; outcome: EventOutcome }[]> {
    const outcomes: { pluginId: string; outcome: EventOutcome }[] = [];
    let current: EventOutcome | undefined;
    // A snapshot: a plugin that subscribes or fails mid-dispatch does not reorder this delivery.
    for (const l of [...(this.byKind.get(event.tag) ?? [])]) {
      const prior = current;
      const outcome = await this.lanes.run(l.pluginId, () => this.deliver(l.pluginId, l.handle, event, prior));
      if (!outcome || outcome.tag === 'none') continue;
      outcomes.push({ pluginId: l.pluginId, outcome });
      if (outcome.tag === event.tag) current = outcome;
    }
    return outcomes;
  }

  /**
   * An observe-only event in the background: queued in every listener's lane now, so a slow listener delays
   * only its own plugin. Resolves the non-none outcomes in priority order once all have answered.
   */
  async post(event: GuestEvent): Promise<{ pluginId: string; outcome: EventOutcome }[]> {
    const answers = this.fanOut(event.tag, (l) => this.deliver(l.pluginId, l.handle, event, undefined));
    const outcomes: { pluginId: string; outcome: EventOutcome }[] = [];
    for (const [pluginId, outcome] of await answers) if (outcome && outcome.tag !== 'none') outcomes.push({ pluginId, outcome });
    return outcomes;
  }

  /**
   * Queues a background delivery to each listener of `kind`, in priority order. A listener dropped while its
   * delivery waited (unsubscribe, fault, disable) is skipped: its handle means nothing to a fresh instance.
   */
  private fanOut<T>(kind: string, deliver: (l: Listener) => Promise<T>): Promise<[string, T | undefined][]> {
    return Promise.all(
      [...(this.byKind.get(kind) ?? [])].map(async (l): Promise<[string, T | undefined]> => {
        const live = () => this.byKind.get(kind)?.includes(l) ?? false;
        return [l.pluginId, await this.lanes.post(l.pluginId, async () => (live() ? deliver(l) : undefined))];
      }),
    );
  }

  /**
   * `caller`: the plugin whose own call raised the event (a transfer) would be re-entered: its listeners get
   * the event afterwards, unawaited, and their outcome is ignored (§4.3).
   */
  async decide030<K extends ResultKind030>(event: Event030Of<K>, initial: Results030[K], caller?: string): Promise<Results030[K]> {
    let current = initial;
    const listeners = [...(this.byKind.get((event as Event030).tag) ?? [])];
    for (const l of listeners) {
      if (l.pluginId === caller) continue;
      const prior = current;
      current = ((await this.lanes.run(l.pluginId, () => this.only030.deliver(l.pluginId, l.handle, event, prior))) as Results030[K] | undefined) ?? current;
    }
    const final = current;
    for (const l of listeners) if (l.pluginId === caller) void this.lanes.post(l.pluginId, () => this.only030.deliver(l.pluginId, l.handle, event, final));
    return current;
  }

  /** Observe-only, in the background (see post). */
  async notify030(event: Event030): Promise<void> {
    await this.fanOut(event.tag, (l) => this.only030.deliver(l.pluginId, l.handle, event, undefined));
  }

  channelRegistered(raw: string): boolean {
    return this.only030.channelRegistered(raw);
  }

  /** Delivers an observe-only event of a kind the proxy's 0.2.3 shapes lack, in the background (see post). */
  async notifyObserved(kind: string, event: unknown): Promise<void> {
    await this.fanOut(kind, (l) => this.deliverObserved(l.pluginId, l.handle, event));
  }

  /**
   * Delivers a named event to the listeners of its name and of `named-event`, in priority order, never to
   * the firing plugin's own; answers the final result (§4.4).
   */
  async fireNamed(sourcePlugin: string, name: string, contentType: string, payload: Uint8Array): Promise<NamedResult> {
    const listeners = [...(this.byKind.get(`named:${name}`) ?? []), ...(this.byKind.get('named-event') ?? [])]
      .filter((l) => l.pluginId !== sourcePlugin)
      .sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    let current: NamedResult = { cancelled: false };
    for (const l of listeners) {
      const prior = current;
      current = (await this.lanes.run(l.pluginId, () => this.deliverNamed(l.pluginId, l.handle, { name, sourcePlugin, contentType, payload }, prior))) ?? current;
    }
    return current;
  }
}
