// `host:port` strings as written in infrarust.toml (`bind`, `[panel] bind`); IPv6 hosts go in brackets.

export interface HostPort {
  /** Host without brackets, ready for `net.Server.listen`. */
  host: string;
  port: number;
}

const HOST_PORT = /^(?:\[([0-9A-Fa-f:.]+(?:%[\w.-]+)?)\]|([^\s:[\]]+)):(\d{1,5})$/;

/** Port 0 is accepted: it asks the OS for a free port, which tests and throwaway setups rely on. */
export function parseHostPort(value: string): HostPort | null {
  const match = HOST_PORT.exec(value);
  if (!match) return null;
  const port = Number(match[3]);
  if (port > 65535) return null;
  return { host: match[1] ?? match[2]!, port };
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return (
    h === 'localhost' ||
    h === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) ||
    /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
  );
}

/** The inverse of parseHostPort: `127.0.0.1:25565`, `[::1]:25565`. */
export const formatHostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
