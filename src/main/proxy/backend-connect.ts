// Opens a TCP connection to the first backend address that accepts one within the timeout; with a tracker
// (backend-balancer.ts) drained addresses are skipped and each attempt is counted.

import { connect, type Socket } from 'node:net';
import type { ServerAddress } from '../contract/guest-types.ts';
import { formatHostPort } from '../config/host-port.ts';
import type { ConnectTracker } from './backend-balancer.ts';
import { encodeProxyV2, type Endpoint } from './proxy-protocol.ts';
import type { ServerDefinition } from './server-file.ts';
import { componentJson } from './text-component.ts';

export interface BackendConnection {
  socket: Socket;
  address: ServerAddress;
}

/**
 * Tries `addresses` in order; rejects with every address's failure when none connects. With `proxyProtocol`
 * the first bytes on the new socket are a PROXY v2 header naming `source` (LOCAL when null: the proxy itself).
 */
export async function connectBackend(
  addresses: ServerAddress[],
  timeoutMs: number,
  signal?: AbortSignal,
  proxyProtocol?: { source: Endpoint | null },
  track?: ConnectTracker,
): Promise<BackendConnection> {
  const failures: string[] = [];
  const candidates = track ? track.order(addresses) : addresses;
  if (candidates.length === 0 && addresses.length > 0) throw new Error('every backend address is drained');
  for (const address of candidates) {
    if (signal?.aborted) throw new Error('cancelled');
    try {
      const socket = await connectOne(address, timeoutMs, signal);
      if (proxyProtocol) {
        const destination = { ip: socket.remoteAddress ?? '', port: socket.remotePort ?? address.port };
        socket.write(encodeProxyV2(proxyProtocol.source, destination));
      }
      track?.connected(address, socket);
      return { socket, address };
    } catch (err) {
      if (!signal?.aborted) track?.failed(address);
      failures.push(`${formatAddress(address)}: ${(err as Error).message}`);
    }
  }
  throw new Error(`no backend address answered (${failures.join('; ')})`);
}

export function formatAddress(a: ServerAddress): string {
  return formatHostPort(a.host, a.port);
}

function connectOne(address: ServerAddress, timeoutMs: number, signal: AbortSignal | undefined): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address.host, port: address.port, noDelay: true });
    const fail = (err: Error) => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const onError = (err: Error) => fail(err);
    const onAbort = () => fail(new Error('cancelled'));
    const timer = setTimeout(() => fail(new Error(`connect timed out after ${timeoutMs} ms`)), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      socket.removeListener('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    socket.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      cleanup();
      resolve(socket);
    });
  });
}

/** What a player is told when a server cannot be reached (JSON text). */
export function unreachableMessage(server: ServerDefinition): string {
  return componentJson(server.disconnectMessage ?? `Server ${server.id} is unreachable, try again later`);
}
