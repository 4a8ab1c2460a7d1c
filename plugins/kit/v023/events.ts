// `on(kind, handler)`: subscribes through event-bus (capability `event-bus`) and routes handle-event to
// the handler with the event's payload. A decision event's handler may return its answer.
import { subscribe, unsubscribe } from 'infrarust:plugin/event-bus@0.2.3';
import type { Event, EventOutcome } from 'infrarust:plugin/guest@0.2.3';
import { listeners } from './callbacks';

export type EventKind = Event['tag'];
/** The payload of an event kind (undefined for proxy-initialize, proxy-shutdown, config-reload). */
export type EventPayload<K extends EventKind> = Extract<Event, { tag: K }> extends { val: infer V } ? V : undefined;
/** Event kinds whose handlers may change what the proxy does. */
export type DecisionKind = Exclude<EventOutcome['tag'], 'none'>;
export type Answer<K extends EventKind> = Extract<EventOutcome, { tag: K }> extends { val: infer V } ? V : never;
export type EventHandler<K extends EventKind> = (event: EventPayload<K>) => Answer<K> | undefined | void;

const NONE: EventOutcome = { tag: 'none' };
const DECISIONS: ReadonlySet<string> = new Set<DecisionKind>([
  'pre-login', 'server-pre-connect', 'kicked-from-server', 'player-choose-initial-server',
  'chat-message', 'proxy-ping', 'permissions-setup', 'raw-packet',
]);

/**
 * Calls `handler` for every `kind` event, in priority order among all plugins (0 first, 255 last; the
 * last non-empty answer wins). Call it from `enable`. Returns a function that unsubscribes.
 */
export function on<K extends EventKind>(kind: K, handler: EventHandler<K>, priority = 128): () => void {
  const handle = Number(subscribe(kind, priority));
  const decides = DECISIONS.has(kind);
  listeners.set(handle, (event) => {
    const answer = handler((event as { val?: unknown }).val as EventPayload<K>);
    return decides && answer != null ? ({ tag: kind, val: answer } as unknown as EventOutcome) : NONE;
  });
  return () => {
    unsubscribe(handle);
    listeners.delete(handle);
  };
}
