// How the panel reaches the host: the preload's bridge inside Electron, else a WebSocket to the page's origin
// (its token in the cookie the first load set) with uploads streamed over HTTP.
import { SESSION_PATH, type ControlBridge } from '../../../shared/control-api';
import { deployOverHttp, type DeployFile } from './deploy-file';
import { createWsTransport } from './ws-transport';

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface ControlTransport extends ControlBridge {
  /** Calls the listener with the current status at once, then on every change; `reason` says why it closed, when the host said. */
  onStatus(listener: (status: ConnectionStatus, reason?: string) => void): () => void;
  /** How dropped files reach the host, when not through the control API itself. */
  deployFile?: DeployFile;
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
  forgetUrlToken(win, page);
  return { ...createWsTransport(wsUrlFor(page), WebSocket, () => sessionRefusal(page)), deployFile: deployOverHttp(page) };
}

/** Why the host refuses this page's connection (its token is no longer valid), or undefined. */
export async function sessionRefusal(page: URL, fetchImpl: typeof fetch = fetch): Promise<string | undefined> {
  const res = await fetchImpl(new URL(SESSION_PATH, page), { credentials: 'same-origin', cache: 'no-store' });
  return res.status === 401 ? (await res.text()).trim() : undefined;
}

/** `/api` on the page's own origin; the token travels in the cookie, never in this URL. */
export function wsUrlFor(page: URL): string {
  const url = new URL('/api', page);
  url.protocol = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** The first load's `?token=` has become a cookie: take it out of the address bar (and history, bookmarks). */
function forgetUrlToken(win: Window, page: URL): void {
  if (!page.searchParams.has('token')) return;
  const clean = new URL(page);
  clean.searchParams.delete('token');
  win.history.replaceState(win.history.state, '', clean.href);
}
