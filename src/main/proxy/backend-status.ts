// Asks a backend for its server-list status (handshake + status request) and returns the decoded JSON.
// Used to forward status pings for servers without a configured motd, and by the periodic status probe.

import type { ServerAddress } from '../contract/guest-types.ts';
import { connectBackend } from './backend-connect.ts';
import type { Endpoint } from './proxy-protocol.ts';
import { encodeHandshake } from './handshake.ts';
import { encodePacket, PacketReader, ProtocolError, readFrame } from './packet-codec.ts';

/** The status JSON is one protocol string of at most 32767 chars. */
const MAX_STATUS_BODY = 1 + 3 + 32767 * 4;

export interface StatusQuery {
  /** Host and port written into the handshake (what the client asked for). */
  host: string;
  port: number;
  protocolVersion: number;
  /** Bounds the connect (per address) and, separately, the exchange after it. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** For a server with send_proxy_protocol: the client asking (null: the proxy's own probe, sent as LOCAL). */
  proxyProtocol?: { source: Endpoint | null };
}

export async function fetchBackendStatus(addresses: ServerAddress[], q: StatusQuery): Promise<Record<string, unknown>> {
  const { socket } = await connectBackend(addresses, q.timeoutMs, q.signal, q.proxyProtocol);
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const finish = (err: Error | undefined, json?: Record<string, unknown>) => {
      clearTimeout(timer);
      q.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve(json!);
    };
    const onAbort = () => finish(new Error('cancelled'));
    const timer = setTimeout(() => finish(new Error(`no status answer within ${q.timeoutMs} ms`)), q.timeoutMs);
    q.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (err) => finish(err));
    socket.on('close', () => finish(new Error('backend closed the connection before answering')));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      try {
        const frame = readFrame(buf, 0, MAX_STATUS_BODY);
        if (!frame) return;
        const r = new PacketReader(frame.body);
        const id = r.varInt();
        if (id !== 0x00) throw new ProtocolError(`expected status response, got packet 0x${id.toString(16)}`);
        const json: unknown = JSON.parse(r.string(32767));
        if (!json || typeof json !== 'object' || Array.isArray(json)) throw new ProtocolError('status is not a JSON object');
        finish(undefined, json as Record<string, unknown>);
      } catch (err) {
        finish(err as Error);
      }
    });
    socket.write(Buffer.concat([encodeHandshake(q.protocolVersion, q.host, q.port, 1), encodePacket(0x00)]));
  });
}
