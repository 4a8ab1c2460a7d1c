// The proxy's side of event delivery: skip events nobody listens to, never let a dispatcher failure
// break a connection, and reduce a decision's outcomes to the last non-none one of the expected kind.

import type { EventDispatcher, EventKind, EventOutcome, GuestEvent } from '../contract/guest-types.ts';
import type { Dispatcher030, Event030Of, Kind030, Results030, ResultKind030 } from '../contract/events-030-only.ts';
import type { ProxyLog } from './proxy-log.ts';

type OutcomeTag = Exclude<EventOutcome['tag'], 'none'>;
type OutcomeValues = { [T in OutcomeTag]: Extract<EventOutcome, { tag: T }>['val'] };
type EventOf<K extends EventKind> = Extract<GuestEvent, { tag: K }>;

export class ProxyEvents {
  /** The dispatcher's side for events only 0.3.0 has, when it has one (the plugin runtime's router does). */
  private readonly only030: Dispatcher030 | undefined;

  constructor(
    private readonly dispatcher: EventDispatcher,
    private readonly log: ProxyLog,
  ) {
    this.only030 = 'decide030' in dispatcher ? (dispatcher as EventDispatcher & Dispatcher030) : undefined;
  }

  has030(kind: Kind030): boolean {
    return this.only030?.hasListeners(kind) ?? false;
  }

  /** A 0.3.0-only decision: `initial` unless listeners set another result; a failing dispatch keeps `initial`. */
  async decide030<K extends ResultKind030>(kind: K, build: () => Event030Of<K>, initial: Results030[K]): Promise<Results030[K]> {
    if (!this.has030(kind)) return initial;
    try {
      return await this.only030!.decide030(build(), initial);
    } catch (err) {
      this.log('error', `events: dispatching ${kind} failed: ${(err as Error).message}`);
      return initial;
    }
  }

  notify030<K extends Kind030>(kind: K, build: () => Event030Of<K>): void {
    if (!this.has030(kind)) return;
    this.only030!.notify030(build()).catch((err: unknown) => this.log('error', `events: dispatching ${kind} failed: ${(err as Error).message}`));
  }

  /** Whether a plugin registered this plugin channel (then its messages go through plugin-message). */
  channelRegistered(raw: string): boolean {
    return this.only030?.channelRegistered(raw) ?? false;
  }

  has(kind: EventKind): boolean {
    return this.dispatcher.hasListeners(kind);
  }

  /**
   * Dispatches a decision event built by `build` (only when someone listens) and returns the value of the
   * last outcome tagged `K`, or undefined to keep the proxy's own result.
   */
  async decide<K extends EventKind & OutcomeTag>(kind: K, build: () => EventOf<K>): Promise<OutcomeValues[K] | undefined> {
    if (!this.dispatcher.hasListeners(kind)) return undefined;
    let outcomes: { pluginId: string; outcome: EventOutcome }[];
    try {
      outcomes = await this.dispatcher.dispatch(build());
    } catch (err) {
      this.log('error', `events: dispatching ${kind} failed: ${(err as Error).message}`);
      return undefined;
    }
    let value: OutcomeValues[K] | undefined;
    for (const { pluginId, outcome } of outcomes) {
      if (outcome.tag === kind) value = (outcome as unknown as { val: OutcomeValues[K] }).val;
      else if (outcome.tag !== 'none') this.log('warn', `events: plugin ${pluginId} answered ${kind} with a ${outcome.tag} outcome (ignored)`);
    }
    return value;
  }

  /** Observe-only events: delivered in the background, outcomes ignored. */
  notify<K extends EventKind>(kind: K, build: () => EventOf<K>): void {
    if (!this.dispatcher.hasListeners(kind)) return;
    const post = this.dispatcher.post;
    if (!post) return void this.dispatch(kind, build);
    post.call(this.dispatcher, build()).catch((err: unknown) => this.log('error', `events: dispatching ${kind} failed: ${(err as Error).message}`));
  }

  /** Observe-only, but awaited (start/stop, where order matters). */
  async notifyAndWait<K extends EventKind>(kind: K, build: () => EventOf<K>): Promise<void> {
    if (this.dispatcher.hasListeners(kind)) await this.dispatch(kind, build);
  }

  private async dispatch<K extends EventKind>(kind: K, build: () => EventOf<K>): Promise<void> {
    try {
      await this.dispatcher.dispatch(build());
    } catch (err) {
      this.log('error', `events: dispatching ${kind} failed: ${(err as Error).message}`);
    }
  }
}
