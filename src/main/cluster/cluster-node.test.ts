// Cluster nodes in-process against a real redis-server, each with a real ban store and player registry
// (the proxy's own classes), for the paths the three-process test does not reach: an unban made while a proxy
// was cut off, Redis that kept its data, foreign or broken messages on the channel, batching of player changes.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BanStore } from '../proxy/ban-store';
import { PlayerRegistry } from '../proxy/player-registry';
import { sharedPlayer } from '../host/cluster-wiring';
import { startRedis, type RedisServer } from '../../../test/support/redis-server';
import { until } from '../../../test/support/minecraft-peers';
import { ClusterNode, type ClusterLocal } from './cluster-node';
import { KEYS, parseMessage } from './cluster-protocol';

let redis: RedisServer;
let dir: string;
const nodes: ClusterNode[] = [];

beforeAll(async () => {
  redis = await startRedis();
  dir = await mkdtemp(join(tmpdir(), 'cluster-node-'));
});
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
  const r = new Redis(redis.url);
  await r.flushall();
  r.disconnect();
});
afterAll(async () => {
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
});

interface TestProxy {
  node: ClusterNode;
  bans: BanStore;
  players: PlayerRegistry;
  logs: string[];
  disconnected: string[];
}

async function proxy(id: string, address = `127.0.0.1:${id}`): Promise<TestProxy> {
  const bans = new BanStore(join(dir, `${id}-${Date.now()}`, 'bans.json'), () => undefined);
  await bans.load();
  const players = new PlayerRegistry();
  const logs: string[] = [];
  const disconnected: string[] = [];
  const local: ClusterLocal = {
    address,
    bans,
    players: () => players.all().map(sharedPlayer),
    onPlayers: (l) => players.onChange((c) => l(c.type, sharedPlayer(c.player))),
    disconnect: (localId, reason) => {
      disconnected.push(`${localId}: ${reason}`);
      return players.remove(BigInt(localId)) !== undefined;
    },
    runCommand: async (line) => ({ ok: true, output: `${id} ran ${line}` }),
    log: (level, message) => logs.push(`${level} ${message}`),
  };
  const node = new ClusterNode({ redis: redis.url, proxyId: id, heartbeatMs: 100, deadAfterMs: 1000, duplicateLogin: 'refuse_new' }, local);
  nodes.push(node);
  await node.start();
  await until(`${id} connected`, () => node.health().state === 'connected');
  return { node, bans, players, logs, disconnected };
}

/** Keeps killing proxy `id`'s Redis connections (found by their names) until `end()`: a network cut for one proxy. */
function cutOff(id: string): { end(): Promise<void> } {
  const admin = new Redis(redis.url);
  let running = true;
  const loop = (async () => {
    while (running) {
      const list = (await admin.client('LIST')) as string;
      for (const line of list.split('\n')) {
        const name = /\bname=(\S*)/.exec(line)?.[1] ?? '';
        const cid = /\bid=(\d+)/.exec(line)?.[1];
        if (cid && (name === `infrarust:${id}` || name === `infrarust:${id}:events`)) await admin.client('KILL', 'ID', cid).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    async end() {
      running = false;
      await loop;
      admin.disconnect();
    },
  };
}

function join_(p: TestProxy, username: string, remoteAddr = '203.0.113.9:5000') {
  const id = p.players.allocateId();
  p.players.add(
    { id, profile: { uuid: `uuid-${username.toLowerCase()}`, username, properties: [] }, protocolVersion: 767, remoteAddr, currentServer: 'lobby', connectedAt: Date.now(), clientSentUuid: false, mode: 'passthrough', onlineMode: false },
    () => undefined,
  );
  return id;
}

describe('ClusterNode', () => {
  it('an unban made while a proxy is cut off reaches it when it reconnects (Redis kept its data)', async () => {
    const a = await proxy('a');
    const b = await proxy('b');
    await a.bans.ban({ tag: 'username', val: 'Steve' }, 'x', undefined);
    await until('b has the ban', () => b.bans.findActive('0.0.0.0', 'steve', '-'));
    const cut = cutOff('b');
    await until('b down', () => b.node.health().state === 'redis-down');
    await a.bans.unban({ tag: 'username', val: 'Steve' });
    await cut.end();
    await until('b back', () => b.node.health().state === 'connected', 10_000);
    // Same data set: Redis is the reference, so the unban b missed wins over b's saved copy.
    await until('unban reached b', () => !b.bans.findActive('0.0.0.0', 'steve', '-'));
  });

  it('replays a ban made while cut off, and a ban made elsewhere meanwhile reaches it', async () => {
    const a = await proxy('a');
    const b = await proxy('b');
    const cut = cutOff('a');
    await until('a down', () => a.node.health().state === 'redis-down');
    expect(a.logs.some((l) => /^warn cluster: Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable/.test(l))).toBe(true);
    await a.bans.ban({ tag: 'username', val: 'Offline' }, 'during', undefined);
    await b.bans.ban({ tag: 'ip', val: '198.51.100.1' }, 'elsewhere', undefined);
    expect(a.bans.findActive('198.51.100.1', '-', '-')).toBeUndefined();
    await cut.end();
    await until('a back', () => a.node.health().state === 'connected', 10_000);
    await until('b has the ban made meanwhile', () => b.bans.findActive('0.0.0.0', 'offline', '-'));
    await until('a has the one made elsewhere', () => a.bans.findActive('198.51.100.1', '-', '-'));
    expect(a.logs.some((l) => /^info cluster: Redis is back; resynced \(1 ban change\(s\) replayed/.test(l))).toBe(true);
  });

  it('a Redis that stops answering (sockets open) is seen as down, and the link comes back when it answers', async () => {
    const a = await proxy('a');
    const b = await proxy('b');
    redis.freeze();
    try {
      await until('a down', () => a.node.health().state === 'redis-down', 10_000);
      expect(a.node.health().error).toMatch(/heartbeat failed|timed? ?out/i);
      await a.bans.ban({ tag: 'username', val: 'Frozen' }, 'during', undefined);
    } finally {
      redis.thaw();
    }
    await until('both back', () => a.node.health().state === 'connected' && b.node.health().state === 'connected', 10_000);
    await until('b has the ban made while frozen', () => b.bans.findActive('0.0.0.0', 'frozen', '-'));
  });

  it('shares players in batches, refuses a duplicate login, and kicks across proxies', async () => {
    const a = await proxy('a');
    const b = await proxy('b');
    join_(a, 'Alex');
    const blink = join_(a, 'Blink');
    a.players.remove(blink); // joined and left within one batch: never shared
    await until('b sees Alex', () => b.node.view.find('uuid-alex', 'alex'));
    expect(b.node.view.count()).toBe(1);
    expect(b.node.admitLogin({ uuid: 'uuid-x', username: 'ALEX', properties: [] })).toBe('You are already connected to this network');
    expect(b.node.admitLogin({ uuid: 'uuid-other', username: 'Other', properties: [] })).toBeUndefined();
    const found = b.node.view.find('uuid-alex', 'alex')!;
    expect(b.node.kickRemote(found.proxy, found.player.localId, 'moved')).toBe(true);
    await until('a disconnected Alex', () => a.disconnected.length === 1);
    expect(a.disconnected).toEqual([`${found.player.localId}: moved`]);
    await until('gone from b', () => b.node.view.count() === 0);
  });

  it('a ban on one proxy disconnects covered players on the other, by name, uuid or ip', async () => {
    const a = await proxy('a');
    const b = await proxy('b');
    join_(b, 'Ip', '192.0.2.50:1234');
    join_(b, 'Stays', '192.0.2.51:1234');
    await a.bans.ban({ tag: 'ip', val: '192.0.2.50' }, 'ip ban', undefined);
    await until('Ip disconnected on b', () => b.disconnected.length === 1);
    expect(b.disconnected[0]).toMatch(/: ip ban$/);
    expect(b.players.getByUsername('Stays')).toBeDefined();
  });

  it('ignores foreign and broken messages on the channel', async () => {
    const a = await proxy('a');
    const pub = new Redis(redis.url);
    for (const text of ['not json', '{}', '{"t":"ban","from":"x","ban":{"type":"ip"}}', '{"t":"kick","from":"x","to":"a"}', '{"t":"kick","from":"x","to":"a","localId":"abc","reason":"r"}', '{"t":"players","from":"x","put":[{}],"gone":[]}', '{"t":"cmd","from":"x","to":"a","id":"1"}']) {
      expect(parseMessage(text)).toBeNull();
      await pub.publish(KEYS.channel, text);
    }
    // A valid one after them is still handled: the node survived the rest.
    await pub.publish(KEYS.channel, JSON.stringify({ t: 'ban', from: 'x', ban: { type: 'username', value: 'late', createdAt: Date.now(), source: 'x' } }));
    await until('the valid ban applied', () => a.bans.findActive('0.0.0.0', 'late', '-'));
    expect(a.bans.records().map((b) => b.value)).toEqual(['late']);
    pub.disconnect();
  });

  it('says so when two live proxies share one proxy_id', async () => {
    await proxy('same', '10.0.0.1:25565');
    const second = await proxy('same', '10.0.0.2:25565');
    expect(second.logs).toContain('error cluster: proxy 10.0.0.1:25565 also uses proxy_id "same": give each proxy its own proxy_id');
  });

  it('runs a command on one proxy or on all and reports a proxy that does not exist', async () => {
    const a = await proxy('a');
    await proxy('b');
    await until('a sees b', () => a.node.view.list().length === 1);
    expect(await a.node.runCommand('hello', '*')).toEqual([
      { proxy: 'a', ok: true, output: 'a ran hello' },
      { proxy: 'b', ok: true, output: 'b ran hello' },
    ]);
    expect(await a.node.runCommand('hello', 'b')).toEqual([{ proxy: 'b', ok: true, output: 'b ran hello' }]);
    expect(await a.node.runCommand('hello', 'zz')).toEqual([{ proxy: 'zz', ok: false, output: 'no live proxy "zz" in the network' }]);
  });
});
