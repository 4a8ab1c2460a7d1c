// What plugins see of the network: the contract's player-registry through proxyServices lists the players of
// every proxy (real proxy, real cluster nodes, real redis-server), finds them by id, and disconnects a remote
// one through the proxy holding it.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterNode } from '../cluster/cluster-node';
import { createProxy, type Proxy } from '../proxy/proxy';
import { startRedis, type RedisServer } from '../../../test/support/redis-server';
import { until } from '../../../test/support/minecraft-peers';
import { clusterLocal, remotePlayerId } from './cluster-wiring';
import { proxyServices } from './proxy-services';

describe('remotePlayerId', () => {
  it('is stable, differs per proxy, and stays clear of local ids', () => {
    expect(remotePlayerId('eu-1', '7')).toBe(remotePlayerId('eu-1', '7'));
    expect(remotePlayerId('eu-1', '7')).not.toBe(remotePlayerId('eu-2', '7'));
    expect(remotePlayerId('eu-1', '7') & 0xffffffffn).toBe(7n);
    expect(remotePlayerId('', '1') > 0xffffffffn).toBe(true);
  });
});

describe('player-registry in cluster mode', () => {
  let redis: RedisServer;
  let dir: string;
  const proxies: Proxy[] = [];
  const nodes: ClusterNode[] = [];

  async function member(id: string) {
    const proxy = createProxy({
      settings: {
        bind: '127.0.0.1:0',
        serversDir: join(dir, id, 'servers'),
        connectTimeoutMs: 1000,
        maxConnections: 10,
        unknownDomainBehavior: 'drop',
        defaultMotd: { text: 'x', versionName: 'x', maxPlayers: 1 },
        dataDir: join(dir, id, 'data'),
        sessionServer: 'https://sessionserver.mojang.com',
      },
      dispatcher: { hasListeners: () => false, dispatch: async () => [] },
      log: () => undefined,
      probeIntervalMs: 3_600_000,
    });
    await proxy.start();
    const node = new ClusterNode(
      { redis: redis.url, proxyId: id, heartbeatMs: 100, deadAfterMs: 1000, duplicateLogin: 'refuse_new' },
      clusterLocal(proxy, () => id, async () => ({ ok: true, output: '' }), () => undefined),
    );
    await node.start();
    proxies.push(proxy);
    nodes.push(node);
    return { proxy, node, services: proxyServices(proxy, () => undefined, node) };
  }

  beforeAll(async () => {
    redis = await startRedis();
    dir = await mkdtemp(join(tmpdir(), 'cluster-wiring-'));
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await Promise.all(proxies.map((p) => p.stop()));
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists, finds and disconnects players of the other proxies', async () => {
    const a = await member('a');
    const b = await member('b');
    let closedOnB = '';
    const id = b.proxy.players.allocateId();
    b.proxy.players.add(
      { id, profile: { uuid: 'u-steve', username: 'Steve', properties: [] }, protocolVersion: 767, remoteAddr: '192.0.2.4:4000', currentServer: 'lobby', connectedAt: 1000, clientSentUuid: false, mode: 'passthrough', onlineMode: false },
      (reason) => {
        closedOnB = reason;
        b.proxy.players.remove(id);
      },
    );
    const seen = await until('Steve in a\'s registry', () => a.services.players.all().find((p) => p.profile.username === 'Steve'));
    expect(seen).toMatchObject({ id: remotePlayerId('b', String(id)), remoteAddr: '192.0.2.4:4000', currentServer: 'lobby', connectedAt: 1000n });
    expect(a.services.players.byId(seen.id)?.profile.uuid).toBe('u-steve');
    await a.services.players.disconnect(seen.id, JSON.stringify({ text: 'bye from a' }));
    await until('b closed Steve', () => closedOnB !== '');
    expect(JSON.parse(closedOnB)).toEqual({ text: 'bye from a' });
    await until('gone from a', () => a.services.players.all().length === 0);
  });
});
