// A Mojang-compatible session server on loopback for client_only tests: clients POST /session/minecraft/join
// with their access token, the proxy GETs /session/minecraft/hasJoined. Never the internet.
import { createServer, type Server } from 'node:http';
import type mc from 'minecraft-protocol';

export interface SessionServer {
  url: string;
  /** username → profile id (32 hex) of every account this server knows. */
  accounts: Map<string, string>;
  hasJoinedCalls: number;
  close(): Promise<void>;
}

export async function startSessionServer(): Promise<SessionServer> {
  const joins = new Map<string, { id: string; name: string }>(); // serverId hash → profile
  const accounts = new Map<string, string>();
  const s: SessionServer = { url: '', accounts, hasJoinedCalls: 0, close: () => new Promise((r) => server.close(() => r())) };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname === '/session/minecraft/join') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const { accessToken, selectedProfile, serverId } = JSON.parse(body) as { accessToken: string; selectedProfile: string; serverId: string };
        const name = [...accounts].find(([, id]) => id === selectedProfile)?.[0];
        if (!name || accessToken !== `token-${name}`) {
          res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'ForbiddenOperationException' }));
          return;
        }
        joins.set(serverId, { id: selectedProfile, name });
        res.writeHead(204).end();
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/session/minecraft/hasJoined') {
      s.hasJoinedCalls++;
      const joined = joins.get(url.searchParams.get('serverId') ?? '');
      if (!joined || joined.name !== url.searchParams.get('username')) return void res.writeHead(204).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ id: joined.id, name: joined.name, properties: [{ name: 'textures', value: 'dGV4dHVyZXM=', signature: 'c2ln' }] }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  s.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return s;
}

/** minecraft-protocol client auth that logs in through `session` as a known account (no Mojang involved). */
export function sessionAuth(session: SessionServer, username: string): (client: mc.Client, options: mc.ClientOptions) => void {
  return (client, options) => {
    const id = session.accounts.get(username) ?? '';
    const c = client as mc.Client & { session: unknown };
    c.username = username;
    c.uuid = id.replace(/(\w{8})(\w{4})(\w{4})(\w{4})(\w{12})/, '$1-$2-$3-$4-$5');
    c.session = { accessToken: `token-${username}`, selectedProfile: { id, name: username } };
    Object.assign(options, { haveCredentials: true, accessToken: `token-${username}` });
    (options as { connect: (c: mc.Client) => void }).connect(client);
  };
}
