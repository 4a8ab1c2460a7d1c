// The control API over a WebSocket, reconnecting with backoff; calls made while disconnected fail at once
// (the UI shows the connection state) rather than hanging.
import type { ControlEvent, WsServerMessage } from '../../../shared/control-api';
import type { ConnectionStatus, ControlTransport } from './transport';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 8000;

interface Pending {
  resolve: (value: never) => void;
  reject: (err: Error) => void;
}

export function createWsTransport(url: string, WebSocketImpl: typeof WebSocket = WebSocket): ControlTransport {
  const pending = new Map<number, Pending>();
  const eventListeners = new Set<(e: ControlEvent) => void>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  let status: ConnectionStatus = 'connecting';
  let socket: WebSocket;
  let nextId = 1;
  let retryMs = RETRY_MIN_MS;

  const setStatus = (next: ConnectionStatus) => {
    if (next === status) return;
    status = next;
    for (const l of statusListeners) l(next);
  };

  const open = () => {
    setStatus('connecting');
    socket = new WebSocketImpl(url);
    socket.onopen = () => {
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
    socket.onclose = () => {
      for (const p of pending.values()) p.reject(new Error('the connection to the host was lost'));
      pending.clear();
      setStatus('closed');
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
      listener(status);
      return () => void statusListeners.delete(listener);
    },
  };
}
