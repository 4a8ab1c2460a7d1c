// `on(kind, handler, priority)` for 0.3.0: subscribes through event-bus and routes handle-event to the
// handler with the event's record. A resulted event's record carries, in `result`, what earlier handlers
// (of every plugin) left; the handler returns a new result to set it, or nothing to leave it (`unchanged`).
// Setting a result always applies, even an `allowed` over an earlier deny (§4.4): return undefined to keep it.
import { subscribe, unsubscribe } from 'infrarust:plugin/event-bus@0.3.0';
import type { Event, EventKind, EventOutcome } from 'infrarust:plugin/events@0.3.0';
import { listeners } from './callbacks';
import { hostCall } from './errors';

export type { EventKind };
/** The record of an event kind (undefined for proxy-initialize and proxy-shutdown). */
export type EventPayload<K extends EventKind> = Extract<Event, { tag: K }> extends { val: infer V } ? V : undefined;
/** Event kinds whose handlers may set a result. */
export type DecisionKind = Exclude<EventOutcome['tag'], 'unchanged'>;
/** The result a handler of `K` may return (never, for observe-only kinds). */
export type Answer<K extends EventKind> = Extract<EventOutcome, { tag: K }> extends { val: infer V } ? V : never;
export type EventHandler<K extends EventKind> = (event: EventPayload<K>) => Answer<K> | undefined | void;

const UNCHANGED: EventOutcome = { tag: 'unchanged' };
const DECISIONS: ReadonlySet<string> = new Set<DecisionKind>([
  'pre-login', 'permissions-setup', 'player-choose-initial-server', 'server-pre-connect', 'kicked-from-server',
  'chat-message', 'proxy-ping', 'login', 'game-profile-request', 'command-execute', 'connection-handshake',
  'plugin-message', 'pre-transfer', 'named-event', 'raw-packet',
]);

/**
 * Calls `handler` for every `kind` event, in priority order among all plugins (0 first, 255 last). Call it
 * from `enable`. Throws a HostCallError when the host refuses (e.g. `chat-message` without the
 * `chat-intercept` capability: permission-denied). Returns a function that unsubscribes.
 */
export function on<K extends EventKind>(kind: K, handler: EventHandler<K>, priority = 128): () => void {
  const handle = Number(hostCall(`event-bus.subscribe(${kind})`, () => subscribe(kind, priority)));
  const decides = DECISIONS.has(kind);
  listeners.set(handle, (event) => {
    const answer = handler((event as { val?: unknown }).val as EventPayload<K>);
    return decides && answer != null ? ({ tag: kind, val: answer } as unknown as EventOutcome) : UNCHANGED;
  });
  return () => {
    hostCall('event-bus.unsubscribe', () => unsubscribe(handle));
    listeners.delete(handle);
  };
}
