// The control API over a WebSocket, reconnecting with backoff; calls made while disconnected fail at once
// (the UI shows the connection state, and the host's reason when it closed the connection) rather than hanging.
import type { ControlEvent, WsServerMessage } from '../../../shared/control-api';
import type { ConnectionStatus, ControlTransport } from './transport';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 8000;

interface Pending {
  resolve: (value: never) => void;
  reject: (err: Error) => void;
}

/**
 * `whyRefused` is asked when a connection closes before it ever opened (a browser hides the HTTP answer of a
 * refused upgrade): it says why, e.g. the token changed because the host restarted.
 */
export function createWsTransport(url: string, WebSocketImpl: typeof WebSocket = WebSocket, whyRefused?: () => Promise<string | undefined>): ControlTransport {
  const pending = new Map<number, Pending>();
  const eventListeners = new Set<(e: ControlEvent) => void>();
  const statusListeners = new Set<(s: ConnectionStatus, reason?: string) => void>();
  let status: ConnectionStatus = 'connecting';
  let reason: string | undefined;
  let socket: WebSocket;
  let nextId = 1;
  let retryMs = RETRY_MIN_MS;

  const setStatus = (next: ConnectionStatus, why?: string) => {
    if (next === status && why === reason) return;
    status = next;
    reason = why;
    for (const l of statusListeners) l(next, why);
  };

  const open = () => {
    setStatus('connecting');
    socket = new WebSocketImpl(url);
    let opened = false;
    socket.onopen = () => {
      opened = true;
      retryMs = RETRY_MIN_MS;
      setStatus('open');
    };
    socket.onmessage = (msg) => {
      const data = JSON.parse(String(msg.data)) as WsServerMessage;
      if ('event' in data) {
        for (const l of eventListeners) l(data.event);
        return;
      }
      const p = data.id === null ? undefined : pending.get(data.id);
      if (!p || data.id === null) return;
      pending.delete(data.id);
      if (data.ok) p.resolve(data.result as never);
      else p.reject(new Error(data.error));
    };
    socket.onclose = (ev?: CloseEvent) => {
      const why = closeReason(ev);
      for (const p of pending.values()) p.reject(new Error(why ? `the host closed the connection: ${why}` : 'the connection to the host was lost'));
      pending.clear();
      setStatus('closed', why);
      if (!opened && !why && whyRefused) {
        void whyRefused().then(
          (refusal) => refusal && status === 'closed' && setStatus('closed', refusal),
          () => undefined,
        );
      }
      setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    };
  };
  open();

  return {
    call(method, params) {
      if (status !== 'open') return Promise.reject(new Error('not connected to the host'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, params }));
      });
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => void eventListeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      listener(status, reason);
      return () => void statusListeners.delete(listener);
    },
  };
}

/** The host's words when it closed the connection itself (a cap reached, a message too large). */
function closeReason(ev: CloseEvent | undefined): string | undefined {
  if (!ev) return undefined;
  if (ev.reason) return ev.reason;
  if (ev.code === 1009) return 'a message was larger than the host accepts';
  return undefined;
}
