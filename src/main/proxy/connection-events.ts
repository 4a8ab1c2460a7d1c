// The connection's own 0.3.0 events: `connection-handshake` once the handshake (or a legacy ping) is read,
// whose result may let it on, refuse it (with a reason a logging-in client sees) or drop it without a word;
// and `connection-rejected` each time the proxy refuses a connection, with why.
import type { RejectReason, Results030 } from '../contract/events-030-only.ts';
import type { ProxyEvents } from './proxy-events.ts';
import type { Handshake } from './handshake.ts';
import { parseComponent, plainText } from './text-component.ts';

type HandshakeResult = Results030['connection-handshake'];
const ALLOW: HandshakeResult = { tag: 'allow' };

export interface HandshakeFacts {
  /** The client's ip:port. */
  peer: string;
  hs: Pick<Handshake, 'serverAddress' | 'host' | 'port' | 'protocolVersion' | 'nextState'>;
  legacy: boolean;
  /** The server the host routes to (asked only when someone listens). */
  server: () => string | undefined;
}

/** The listeners' verdict on a handshake; `allow` when nobody listens. */
export function handshakeVerdict(events: ProxyEvents, f: HandshakeFacts): Promise<HandshakeResult> {
  return events.decide030(
    'connection-handshake',
    () => ({
      tag: 'connection-handshake',
      val: {
        remoteAddr: f.peer,
        virtualHost: f.hs.host === '' ? undefined : f.hs.host,
        rawHost: f.hs.serverAddress,
        port: f.hs.port,
        protocolVersion: f.hs.protocolVersion,
        intent: f.hs.nextState,
        legacy: f.legacy,
        server: f.server(),
      },
    }),
    ALLOW,
  );
}

/** Tells the listeners the proxy refused this connection (observe-only). */
export function rejected(events: ProxyEvents, peer: string, virtualHost: string | undefined, reason: RejectReason): void {
  events.notify030('connection-rejected', () => ({ tag: 'connection-rejected', val: { remoteAddr: peer, virtualHost: virtualHost || undefined, reason } }));
}

/** A plugin's refusal as a reject reason: its text, plain, when it gave one. */
export function byPlugin(reasonJson: string | undefined): RejectReason {
  return { tag: 'plugin', val: reasonJson === undefined ? undefined : plainText(parseComponent(reasonJson)) };
}

/** What the client is told when a handshake listener denies without a reason. */
export const HANDSHAKE_DENIED = JSON.stringify({ text: 'Connection refused by the proxy.' });
