// The balancer's per-address state as connects report it, with a real backend-connect against real sockets.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendBalancer } from './backend-balancer.ts';
import { connectBackend } from './backend-connect.ts';
import { freePort } from '../../../test/support/minecraft-peers.ts';

let servers: Server[] = [];
afterEach(() => {
  for (const s of servers) s.close();
  servers = [];
});

async function listening(): Promise<number> {
  const server = createServer((socket) => socket.on('error', () => undefined));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('BackendBalancer', () => {
  it('counts failures as ejections, open connections per address, and skips drained addresses', async () => {
    let now = 1_000_000;
    const balancer = new BackendBalancer(() => now);
    const dead = { host: '127.0.0.1', port: await freePort() };
    const live = { host: '127.0.0.1', port: await listening() };
    const addresses = [dead, live];

    const first = await connectBackend(addresses, 2000, undefined, undefined, balancer.tracker('game'));
    expect(first.address).toEqual(live);
    expect(balancer.status('game', addresses)).toEqual([
      { address: dead, state: 'unhealthy', activeConnections: 0, ejections: 1, healthySince: undefined, lastFailure: 1_000_000 },
      { address: live, state: 'healthy', activeConnections: 1, ejections: 0, healthySince: 1_000_000, lastFailure: undefined },
    ]);

    // Drained, the live address gets no new connection: nothing is left to try.
    balancer.setDrained('game', live, true);
    await expect(connectBackend([live], 2000, undefined, undefined, balancer.tracker('game'))).rejects.toThrow(/drained/);
    expect(balancer.status('game', addresses)[1]!.state).toBe('draining');

    first.socket.destroy();
    await new Promise((resolve) => first.socket.once('close', resolve));
    now += 5000;
    balancer.reset('game', dead);
    balancer.setDrained('game', live, false);
    expect(balancer.status('game', addresses).map((b) => [b.state, b.activeConnections, b.ejections])).toEqual([
      ['healthy', 0, 0],
      ['healthy', 0, 0],
    ]);
  });

  it('reports each change of an address\'s health once: unhealthy, healthy again, draining and back', async () => {
    const changes: string[] = [];
    const balancer = new BackendBalancer(Date.now, (server, a, state) => changes.push(`${server} ${a.port} ${state}`));
    const dead = { host: '127.0.0.1', port: await freePort() };
    const live = { host: '127.0.0.1', port: await listening() };
    const track = balancer.tracker('game');
    const first = await connectBackend([dead, live], 2000, undefined, undefined, track);
    await expect(connectBackend([dead], 2000, undefined, undefined, track)).rejects.toThrow();
    expect(changes).toEqual([`game ${dead.port} unhealthy`]);
    balancer.reset('game', dead);
    balancer.setDrained('game', live, true);
    balancer.setDrained('game', live, true);
    balancer.setDrained('game', live, false);
    expect(changes).toEqual([`game ${dead.port} unhealthy`, `game ${dead.port} healthy`, `game ${live.port} draining`, `game ${live.port} healthy`]);
    first.socket.destroy();
  });
});
