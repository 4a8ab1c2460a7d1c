// How the panel reaches the host: the preload's bridge inside Electron, else a WebSocket to the page's origin.
import type { ControlBridge } from '../../../shared/control-api';
import { createWsTransport } from './ws-transport';

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface ControlTransport extends ControlBridge {
  /** Calls the listener with the current status at once, then on every change. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

declare global {
  interface Window {
    infrarust?: ControlBridge;
  }
}

/** IPC cannot drop: the bridge is open for the window's whole life. */
export function fromBridge(bridge: ControlBridge): ControlTransport {
  return {
    call: (method, params) => bridge.call(method, params),
    onEvent: (listener) => bridge.onEvent(listener),
    onStatus(listener) {
      listener('open');
      return () => undefined;
    },
  };
}

export function pickTransport(win: Window): ControlTransport {
  if (win.infrarust) return fromBridge(win.infrarust);
  const page = new URL(win.location.href);
  return createWsTransport(wsUrlFor(page));
}

/** `/api` on the page's own origin, carrying the page's `?token=` along. */
export function wsUrlFor(page: URL): string {
  const url = new URL('/api', page);
  url.protocol = page.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = page.searchParams.get('token');
  if (token) url.searchParams.set('token', token);
  return url.href;
}
