// Real Minecraft peers for tests: minecraft-protocol servers as backends and clients that ping and join
// through a proxy, all on loopback with random ports.
import { connect, createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import mc from 'minecraft-protocol';

export const MC_VERSION = '1.21.1';

/** A minecraft-protocol server; `login` fires once it has sent Login Success to a client. */
export interface Backend {
  port: number;
  logins: string[];
  on(event: 'login', listener: (client: mc.Client) => void): void;
  removeListener(event: 'login', listener: (client: mc.Client) => void): void;
  close(): void;
}

export function startBackend(motd: string, version = MC_VERSION): Promise<Backend> {
  return new Promise((resolve) => {
    const server = mc.createServer({ 'online-mode': false, host: '127.0.0.1', port: 0, motd, version, hideErrors: true });
    const backend = server as unknown as Backend & { socketServer: TcpServer };
    backend.logins = [];
    backend.on('login', (client) => backend.logins.push(client.username));
    server.on('listening', () => {
      backend.port = (backend.socketServer.address() as { port: number }).port;
      resolve(backend);
    });
  });
}

export function closeTcp(server: TcpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A TCP server that accepts and never says anything. */
export async function silentBackend(): Promise<{ server: TcpServer; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createTcpServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

export async function freePort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await closeTcp(s);
  return port;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Server-list ping through the proxy at 127.0.0.1:`port`, with `host` in the handshake. */
export function pingVia(port: number, host: string, version = MC_VERSION): Promise<mc.NewPingResult> {
  return mc.ping({
    host,
    port,
    version,
    closeTimeout: 5000,
    connect: (c: mc.Client) => c.setSocket(connect(port, '127.0.0.1')),
  } as mc.PingOptions) as Promise<mc.NewPingResult>;
}

/** A client connecting through the proxy at 127.0.0.1:`port` with `host` in its handshake. */
export interface ClientVia {
  client: mc.Client;
  /** Resolves when the proxy or backend closes the connection. */
  ended: Promise<void>;
  /** True once the connection was closed. */
  readonly disconnected: boolean;
  /** Leaves and waits for the connection to close. */
  leave(): Promise<void>;
}

export function clientVia(port: number, host: string, username: string, version = MC_VERSION): ClientVia {
  const client = mc.createClient({
    host,
    port,
    username,
    version,
    auth: 'offline',
    connect: (c: mc.Client) => c.setSocket(connect(port, '127.0.0.1')),
  } as mc.ClientOptions);
  let disconnected = false;
  const ended = new Promise<void>((resolve) =>
    client.on('end', () => {
      disconnected = true;
      resolve();
    }),
  );
  client.on('error', () => undefined);
  return {
    client,
    ended,
    get disconnected() {
      return disconnected;
    },
    async leave() {
      client.end('leaving');
      await ended;
    },
  };
}

/** Joins through the proxy as `username` and stays connected: resolves once `backend` has logged it in. */
export async function joinAndStay(port: number, host: string, username: string, backend: Backend): Promise<ClientVia> {
  const player = clientVia(port, host, username);
  await until(`${username} reaching the backend`, () => backend.logins.includes(username) || player.disconnected, 8000);
  if (player.disconnected) throw new Error(`${username} was disconnected before reaching the backend`);
  return player;
}

export interface JoinResult {
  /** Index in `backends` of the backend the client reached. */
  backend?: number;
  /** The disconnect reason the client received. */
  kicked?: string;
  ms: number;
}

/** Joins through the proxy as `username` with handshake host `host`; resolves on reaching a backend or being kicked. */
export function joinVia(port: number, host: string, username: string, backends: Backend[], version = MC_VERSION): Promise<JoinResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const { client } = clientVia(port, host, username, version);
    let kicked: string | undefined;
    const timer = setTimeout(() => {
      client.end();
      reject(new Error(`join of ${username} via ${host} did not finish`));
    }, 8000);
    const done = (r: { backend?: number; kicked?: string }) => {
      clearTimeout(timer);
      for (const s of backends) s.removeListener('login', onLogin);
      resolve({ ...r, ms: Date.now() - started });
    };
    const onLogin = (c: mc.Client) => {
      if (c.username !== username) return;
      const backend = backends.findIndex((b) => c.socket.localPort === b.port);
      // Let the proxy register the player before the client leaves.
      setTimeout(() => {
        client.end();
        done({ backend });
      }, 50);
    };
    for (const s of backends) s.on('login', onLogin);
    client.on('disconnect', (p: { reason: string }) => {
      kicked = p.reason;
    });
    client.on('end', () => {
      if (kicked !== undefined) done({ kicked });
    });
  });
}
