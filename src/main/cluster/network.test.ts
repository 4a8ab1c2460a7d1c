// Three real hosts (`infrarust-desktop serve`, each in its own folder) sharing one real redis-server, with
// minecraft-protocol clients and a minecraft-protocol backend: the network view, duplicate logins, network
// counts in pings, bans across proxies, console commands on all, Redis restarting, a proxy killed.
// Heartbeats are short here (200 ms, dead after 2 s) so the faults play out quickly; waits are bounded polls.

import mc from 'minecraft-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientVia, pingVia, startBackend, type Backend, type ClientVia } from '../../../test/support/minecraft-peers';
import { startRedis, type RedisServer } from '../../../test/support/redis-server';
import { serveProxy, type ServedProxy } from '../../../test/support/served-proxy';

const HOST = 'lobby.test';

describe('three proxies, one network through Redis', () => {
  let redis: RedisServer;
  let backend: Backend;
  let p1: ServedProxy;
  let p2: ServedProxy;
  let p3: ServedProxy;
  const clients: ClientVia[] = [];

  const config = (id: string, duplicate: string) =>
    `[cluster]\nredis = "${redis.url}"\nproxy_id = "${id}"\nheartbeat_interval = 200\ndead_after = 2000\nduplicate_login = "${duplicate}"\n`;

  /** Joins through `proxy` as `username`; resolves once the backend logged this very connection in. */
  async function join(proxy: ServedProxy, username: string): Promise<ClientVia> {
    const reached = new Promise<void>((resolve) => {
      const on = (c: mc.Client) => {
        if (c.username !== username) return;
        backend.removeListener('login', on);
        resolve();
      };
      backend.on('login', on);
    });
    const player = clientVia(proxy.proxyPort, HOST, username);
    clients.push(player);
    await Promise.race([reached, player.ended.then(() => Promise.reject(new Error(`${username} was disconnected before reaching the backend`)))]);
    return player;
  }

  /** Joins and expects to be refused: resolves with the reason the client was shown. */
  function refused(proxy: ServedProxy, username: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const c = clientVia(proxy.proxyPort, HOST, username);
      const onLogin = (s: mc.Client) => {
        if (s.username === username) reject(new Error(`${username} reached the backend`));
      };
      backend.on('login', onLogin);
      let reason = '';
      c.client.on('disconnect', (p: { reason: string }) => void (reason = p.reason));
      void c.ended.then(() => {
        backend.removeListener('login', onLogin);
        resolve(reason);
      });
    });
  }

  const proxiesSeenBy = async (p: ServedProxy) => (await p.call('network')).proxies.map((x) => x.id).sort();
  const playersSeenBy = async (p: ServedProxy) => (await p.call('players')).map((x) => `${x.username}@${x.proxy}`).sort();

  /** Polls an async probe until it returns something truthy (bounded; the probe is the assertion). */
  async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      last = await probe();
      if (last) return last as T;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    [redis, backend] = await Promise.all([startRedis(), startBackend('Lobby backend')]);
    const servers = { lobby: `domains = ["${HOST}"]\naddresses = ["127.0.0.1:${backend.port}"]\nmax_players = 100\n[motd]\ntext = "Network lobby"\n` };
    [p1, p2, p3] = await Promise.all([
      serveProxy(config('p1', 'refuse_new'), servers),
      serveProxy(config('p2', 'refuse_new'), servers),
      serveProxy(config('p3', 'kick_old'), servers),
    ]);
  }, 90_000);

  afterAll(async () => {
    for (const c of clients) c.client.end();
    await Promise.all([p1, p2, p3].map(async (p) => p && (await p.stop(), await p.cleanup())));
    backend?.close();
    await redis?.stop();
  }, 60_000);

  it('every proxy sees the three proxies, connected', async () => {
    for (const p of [p1, p2, p3]) {
      await eventually('a full network', async () => (await proxiesSeenBy(p)).join() === 'p1,p2,p3');
      const view = await p.call('network');
      expect(view).toMatchObject({ enabled: true, state: 'connected' });
      expect(view.proxies.find((x) => x.health === 'self')?.id).toBe(view.proxyId);
    }
  });

  it('shares the player list and counts the network\'s players in status pings', async () => {
    await join(p1, 'Alice');
    await join(p2, 'Bob');
    await eventually('both players on p3', async () => (await playersSeenBy(p3)).join() === 'Alice@p1,Bob@p2');
    const ping = await pingVia(p3.proxyPort, HOST);
    expect(ping.players.online).toBe(2);
    expect((await p3.call('network')).proxies.map((x) => [x.id, x.players])).toEqual([['p3', 0], ['p1', 1], ['p2', 1]]);
  });

  it('refuses a second login of an online player (refuse_new) or kicks the first (kick_old)', async () => {
    expect(await refused(p2, 'Alice')).toContain('already connected to this network');
    const firstBob = clients.find((c) => c.client.username === 'Bob')!;
    // p3 is configured to kick the old session: Bob moves from p2 to p3.
    await join(p3, 'Bob');
    await firstBob.ended;
    await eventually('Bob on p3 only', async () => (await playersSeenBy(p1)).join() === 'Alice@p1,Bob@p3');
  });

  it('a ban on one proxy disconnects the player on another and refuses them everywhere', async () => {
    const alice = clients.find((c) => c.client.username === 'Alice' && !c.disconnected)!;
    expect(await p3.call('ban', { by: 'username', value: 'Alice', reason: 'griefing' })).toEqual({ ok: true });
    await alice.ended;
    expect(await refused(p2, 'Alice')).toContain('griefing');
    for (const p of [p1, p2]) expect((await p.call('bans')).map((b) => b.value)).toContain('alice');
  });

  it('runs a console command on every proxy and collects each answer', async () => {
    const replies = await p1.call('runNetworkCommand', { line: 'nosuch', target: '*' });
    expect(replies.map((r) => r.proxy).sort()).toEqual(['p1', 'p2', 'p3']);
    for (const r of replies) expect(r).toMatchObject({ ok: false, output: 'unknown command: nosuch' });
  });

  it('keeps serving while Redis is down, then resyncs without losing a ban made meanwhile', async () => {
    await redis.stop();
    for (const p of [p1, p2, p3]) await eventually('redis-down state', async () => (await p.call('network')).state === 'redis-down');
    expect(p1.output()).toMatch(/cluster: Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable/);
    // Still serving: a login works with local state only.
    await join(p2, 'Dave');
    expect(await p1.call('ban', { by: 'username', value: 'Carol', reason: 'while redis was away' })).toEqual({ ok: true });
    await redis.start(); // empty: --save '' keeps nothing
    for (const p of [p1, p2, p3]) await eventually('reconnected', async () => (await p.call('network')).state === 'connected');
    await eventually('Carol banned on p2', async () => (await p2.call('bans')).some((b) => b.value === 'carol'));
    expect(await refused(p3, 'Carol')).toContain('while redis was away');
    // The ban made before the outage survived Redis losing its data too.
    expect((await p3.call('bans')).map((b) => b.value)).toEqual(expect.arrayContaining(['alice', 'carol']));
    await eventually('players back in the view', async () => (await playersSeenBy(p1)).join() === 'Bob@p3,Dave@p2');
  });

  it('a proxy killed with SIGKILL leaves the others\' view, with its players, after dead_after', async () => {
    await p3.kill();
    for (const p of [p1, p2]) {
      await eventually('p3 gone', async () => (await proxiesSeenBy(p)).join() === 'p1,p2', 10_000);
      expect(await playersSeenBy(p)).toEqual(['Dave@p2']);
    }
    expect((await pingVia(p1.proxyPort, HOST)).players.online).toBe(1);
  });
});
