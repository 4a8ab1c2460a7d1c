// The wire side of the scenarios, on top of the shared Minecraft peers: a backend wired in through a
// hand-written servers/<id>.toml, the MOTD a ping shows, and a player who joins and stays online.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pingVia, startBackend, type Backend } from '../../test/support/minecraft-peers';

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

/** A player who joined through the proxy and stays online until `leave()`. */
export { joinAndStay } from '../../test/support/minecraft-peers';
