// Opening a listening socket the user configured: when the address cannot be had, one sentence that names
// it, says why, and names the infrarust.toml key that sets it — never a stack trace.
import type { Server } from 'node:net';
import { formatHostPort } from '../config/host-port';

const WHY: Record<string, string> = {
  EADDRINUSE: 'address already in use (another program, or another running Infrarust Desktop, holds it)',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'no such address on this machine',
};

export class ListenError extends Error {
  constructor(
    readonly address: string,
    /** The infrarust.toml key that sets the address, e.g. `bind` or `[panel] bind`. */
    readonly key: string,
    readonly code: string | undefined,
    cause: Error,
  ) {
    super(`cannot listen on ${address}: ${(code && WHY[code]) ?? cause.message}; change \`${key}\` in infrarust.toml`, { cause });
    this.name = 'ListenError';
  }
}

/** Listens, or rejects with a ListenError; the server's later errors are the caller's to handle. */
export function listenOn(server: Server, host: string, port: number, key: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => reject(new ListenError(formatHostPort(host, port), key, err.code, err));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}
