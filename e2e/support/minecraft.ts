// The wire side of the scenarios, on top of the shared Minecraft peers: a backend wired in through a
// hand-written servers/<id>.toml, the MOTD a ping shows, and a player who joins and stays online.
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import mc from 'minecraft-protocol';
import { MC_VERSION, pingVia, startBackend, until, type Backend } from '../../test/support/minecraft-peers';

/** Starts a backend and writes servers/<id>.toml routing `domain` to it. */
export async function backendServer(serversDir: string, id: string, domain: string, motd: string): Promise<Backend> {
  const backend = await startBackend(motd);
  await writeFile(join(serversDir, `${id}.toml`), `domains = ["${domain}"]\naddresses = ["127.0.0.1:${backend.port}"]\n`);
  return backend;
}

/** The text of the MOTD a client sees when it pings `host` through the proxy. */
export async function pingMotd(proxyPort: number, host: string): Promise<string> {
  const { description } = await pingVia(proxyPort, host);
  return typeof description === 'string' ? description : ((description as { text?: string }).text ?? JSON.stringify(description));
}

export interface OnlinePlayer {
  /** True once the proxy (or anything else) closed this player's connection. */
  readonly disconnected: boolean;
  leave(): Promise<void>;
}

/** Joins through the proxy as `username` and stays connected until `leave()`. */
export async function joinAndStay(proxyPort: number, host: string, username: string, backend: Backend): Promise<OnlinePlayer> {
  const client = mc.createClient({
    host,
    port: proxyPort,
    username,
    version: MC_VERSION,
    auth: 'offline',
    connect: (c: mc.Client) => c.setSocket(connect(proxyPort, '127.0.0.1')),
  } as mc.ClientOptions);
  let disconnected = false;
  const ended = new Promise<void>((resolve) =>
    client.on('end', () => {
      disconnected = true;
      resolve();
    }),
  );
  client.on('error', () => undefined);
  await until(`${username} reaching the backend`, () => backend.logins.includes(username) || disconnected, 8000);
  if (disconnected) throw new Error(`${username} was disconnected before reaching the backend`);
  return {
    get disconnected() {
      return disconnected;
    },
    async leave() {
      client.end('leaving');
      await ended;
    },
  };
}
