// The proxy against real peers: minecraft-protocol servers as backends and minecraft-protocol clients,
// all on loopback with random ports. Only the event dispatcher is a test double (the plugin runtime is
// wired elsewhere).

import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxySettings } from '../config/types.ts';
import { encodeHandshake } from './handshake.ts';
import { encodePacket, encodeString, writeVarInt } from './packet-codec.ts';
import { offlineUuid } from './offline-uuid.ts';
import { createProxy, type Proxy } from './proxy.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import {
  freePort,
  joinVia as joinThrough,
  MC_VERSION as VERSION,
  pingVia,
  silentBackend,
  startBackend,
  until,
  closeTcp,
  clientVia,
  type Backend,
} from '../../../test/support/minecraft-peers.ts';
import { FakeDispatcher } from '../../../test/support/fake-dispatcher.ts';

const HANDSHAKE_TIMEOUT = 800;
const CONNECT_TIMEOUT = 800;
/** Slack for "closed within the configured timeout" on a loaded 2-core machine. */
const SLACK = 700;

describe('proxy with real Minecraft peers', () => {
  let dir: string;
  let serversDir: string;
  let a: Backend;
  let b: Backend;
  let old: Backend;
  let silent: Awaited<ReturnType<typeof silentBackend>>;
  let downPort: number;
  let proxy: Proxy;
  let port: number;
  const dispatcher = new FakeDispatcher();
  const logs: string[] = [];

  // Atomic, as an editor saves: the watcher never sees a half-written file.
  const serverFile = (name: string, body: string) => writeFileAtomic(join(serversDir, `${name}.toml`), body);

  const names = ['a', 'b', 'old'] as const;
  /** Joins through the proxy as `username` with the handshake host `host`. */
  async function joinVia(host: string, username: string, version = VERSION): Promise<{ backend?: string; kicked?: string; ms: number }> {
    const r = await joinThrough(port, host, username, [a, b, old], version);
    return { ...r, backend: r.backend === undefined ? undefined : names[r.backend] };
  }

  const ping = (host: string) => pingVia(port, host);

  /** Sends raw bytes (or nothing), returns ms until the proxy closes the socket and what it answered. */
  function raw(bytes: Buffer | undefined): Promise<{ ms: number; answer: Buffer }> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const s = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error('proxy kept the connection open'));
      }, 5000);
      s.on('connect', () => bytes && s.write(bytes));
      s.on('data', (c) => chunks.push(c));
      s.on('error', () => undefined);
      s.on('close', () => {
        clearTimeout(timer);
        resolve({ ms: Date.now() - started, answer: Buffer.concat(chunks) });
      });
    });
  }

  const logged = (re: RegExp) => until(`a log line ${re}`, () => logs.find((l) => re.test(l)));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'proxy-test-'));
    serversDir = join(dir, 'servers');
    [a, b, old, silent, downPort] = await Promise.all([
      startBackend('Backend A'),
      startBackend('Backend B'),
      startBackend('Old backend', '1.12.2'),
      silentBackend(),
      freePort(),
    ]);
    await mkdir(serversDir);
    await serverFile('a', `domains = ["a.test"]\naddresses = ["127.0.0.1:${a.port}"]\n`);
    await serverFile('b', `domains = ["*.b.test", "b.test"]\naddresses = ["127.0.0.1:${b.port}"]\n`);
    await serverFile('old', `domains = ["old.test"]\naddresses = ["127.0.0.1:${old.port}"]\n`);
    await serverFile('c', `domains = ["c.test"]\naddresses = ["127.0.0.1:${a.port}"]\nmax_players = 50\n[motd]\ntext = "§bProxy says hi"\nversion_name = "ProxyVer"\n`);
    await serverFile('down', `domains = ["down.test"]\naddresses = ["127.0.0.1:${downPort}"]\ndisconnect_message = "Down for maintenance"\n`);
    await serverFile('silent', `domains = ["silent.test"]\naddresses = ["127.0.0.1:${silent.port}"]\ndisconnect_message = "Silent backend"\n`);
    const settings: ProxySettings = {
      bind: '127.0.0.1:0',
      serversDir,
      connectTimeoutMs: CONNECT_TIMEOUT,
      maxConnections: 64,
      unknownDomainBehavior: 'default_motd',
      defaultMotd: { text: 'Default MOTD', versionName: 'Infrarust Desktop', maxPlayers: 99 },
      dataDir: join(dir, 'data'),
      sessionServer: 'http://127.0.0.1:1',
    };
    proxy = createProxy({
      settings,
      dispatcher,
      log: (level, msg) => logs.push(`${level} ${msg}`),
      handshakeTimeoutMs: HANDSHAKE_TIMEOUT,
      probeIntervalMs: 300,
      watchDebounceMs: 50,
    });
    ({ port } = await proxy.start());
  });

  afterAll(async () => {
    await proxy?.stop();
    for (const s of [a, b, old]) s?.close();
    silent?.sockets.forEach((s) => s.destroy());
    if (silent) await closeTcp(silent.server);
    await rm(dir, { recursive: true, force: true });
  });

  it('fires proxy-initialize at start and loads every server file', () => {
    expect(dispatcher.of('proxy-initialize')).toHaveLength(1);
    expect(proxy.servers.list().map((s) => s.id)).toEqual(['a', 'b', 'c', 'down', 'old', 'silent']);
    expect(proxy.servers.config('b')).toMatchObject({
      id: 'b',
      domains: ['*.b.test', 'b.test'],
      addresses: [{ host: '127.0.0.1', port: b.port }],
      proxyMode: 'passthrough',
      maxPlayers: 0,
    });
    expect(proxy.servers.problems()).toEqual([]);
  });

  it('routes by hostname: a.test joins backend A, x.b.test joins backend B', async () => {
    expect(await joinVia('a.test', 'Alice')).toMatchObject({ backend: 'a' });
    expect(await joinVia('X.B.Test', 'Bob')).toMatchObject({ backend: 'b' });
    const post = dispatcher.of('post-login').map((e) => e.val.profile.username);
    expect(post).toEqual(expect.arrayContaining(['Alice', 'Bob']));
    const connected = dispatcher.of('server-connected').map((e) => e.val.server);
    expect(connected).toEqual(expect.arrayContaining(['a', 'b']));
    await until('disconnect events', () => dispatcher.of('disconnect').length >= 2);
    expect(dispatcher.of('disconnect').find((e) => e.val.username === 'Bob')?.val.lastServer).toBe('b');
    await until('players to leave', () => proxy.players.count() === 0);
  });

  it('registers live players with profile, protocol and server', async () => {
    const seen: string[] = [];
    const off = proxy.players.onChange((c) => seen.push(`${c.type}:${c.player.profile.username}:${c.player.currentServer}`));
    const joined = until('Carol to be online', () => proxy.players.getByUsername('carol'));
    const result = joinVia('a.test', 'Carol');
    const carol = await joined;
    expect(carol.profile.uuid).toBe(offlineUuid('Carol'));
    expect(carol.protocolVersion).toBe(767);
    expect(carol.currentServer).toBe('a');
    expect(carol.remoteAddr).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(proxy.players.onServer('a').map((p) => p.id)).toContain(carol.id);
    expect(proxy.players.get(carol.id)?.profile.username).toBe('Carol');
    await result;
    await until('Carol to leave', () => !proxy.players.getByUsername('carol'));
    off();
    expect(seen).toEqual(['joined:Carol:a', 'left:Carol:a']);
  });

  it('gives an old client (no uuid in Login Start) its offline-mode uuid', async () => {
    const joined = until('Oldie to be online', () => proxy.players.getByUsername('Oldie'));
    const result = joinVia('old.test', 'Oldie', '1.12.2');
    expect((await joined).profile.uuid).toBe(offlineUuid('Oldie'));
    expect(await result).toMatchObject({ backend: 'old' });
  });

  it('disconnect(id) closes a player connection', async () => {
    const { ended } = clientVia(port, 'a.test', 'Kicked');
    const player = await until('Kicked to be online', () => proxy.players.getByUsername('Kicked'));
    expect(proxy.players.disconnect(player.id, JSON.stringify({ text: 'bye' }))).toBe(true);
    await ended;
    await until('Kicked to leave', () => proxy.players.count() === 0);
  });

  it('answers status from the motd, forwards it without one, and uses the default motd for unknown hosts', async () => {
    const own = await ping('c.test');
    expect(own.description).toEqual({ text: '§bProxy says hi' });
    expect(own.version.name).toBe('ProxyVer');
    expect(own.players.max).toBe(50);
    const forwarded = await ping('a.test');
    expect(forwarded.description).toMatchObject({ text: 'Backend A' });
    const unknown = await ping('nowhere.test');
    expect(unknown.description).toEqual({ text: 'Default MOTD' });
    expect(unknown.players.max).toBe(99);
    const down = await ping('down.test');
    expect(down.description).toEqual({ text: 'Down for maintenance' });
    expect(dispatcher.of('proxy-ping').length).toBeGreaterThanOrEqual(4);
  });

  it('lets a proxy-ping outcome replace the status the client sees', async () => {
    dispatcher.handlers.set('proxy-ping', () => ({
      tag: 'proxy-ping',
      val: {
        description: JSON.stringify({ text: 'Plugin MOTD', color: 'gold' }),
        maxPlayers: 42,
        onlinePlayers: 7,
        protocolVersion: 767,
        versionName: 'PluginVer',
        favicon: undefined,
      },
    }));
    try {
      for (const host of ['a.test', 'c.test']) {
        const res = await ping(host);
        expect(res.description).toEqual({ text: 'Plugin MOTD', color: 'gold' });
        expect(res.players).toMatchObject({ max: 42, online: 7 });
        expect(res.version.name).toBe('PluginVer');
      }
    } finally {
      dispatcher.handlers.delete('proxy-ping');
    }
  });

  it('answers legacy 0xFE pings in the legacy kick format', async () => {
    const beta = await raw(Buffer.from([0xfe]));
    expect(beta.answer[0]).toBe(0xff);
    expect(Buffer.from(beta.answer.subarray(3)).swap16().toString('utf16le')).toBe('Default MOTD§0§99');
    // 1.6: FE 01 FA + MC|PingHost naming c.test
    const host = Buffer.from('c.test', 'utf16le').swap16();
    const channel = Buffer.from('MC|PingHost', 'utf16le').swap16();
    const data = Buffer.concat([Buffer.from([78]), u16(6), host, Buffer.from([0, 0, 0x63, 0xdd])]);
    const modern = await raw(Buffer.concat([Buffer.from([0xfe, 0x01, 0xfa]), u16(11), channel, u16(data.length), data]));
    const text = Buffer.from(modern.answer.subarray(3)).swap16().toString('utf16le');
    expect(text.split('\0')).toEqual(['§1', '127', 'ProxyVer', '§bProxy says hi', '0', '50']);
  });

  it('shows a pre-login denial as the client disconnect reason', async () => {
    dispatcher.handlers.set('pre-login', (ev) =>
      ev.tag === 'pre-login' && ev.val.profile.username === 'Mallory'
        ? { tag: 'pre-login', val: { tag: 'denied', val: JSON.stringify({ text: 'Go away, Mallory' }) } }
        : { tag: 'pre-login', val: { tag: 'allowed' } },
    );
    try {
      const denied = await joinVia('a.test', 'Mallory');
      expect(JSON.parse(denied.kicked!)).toEqual({ text: 'Go away, Mallory' });
      expect(a.logins).not.toContain('Mallory');
      expect(await joinVia('a.test', 'Trent')).toMatchObject({ backend: 'a' });
      const ev = dispatcher.of('pre-login').find((e) => e.val.profile.username === 'Mallory')!;
      expect(ev.val).toMatchObject({ serverDomain: 'a.test', protocolVersion: 767 });
    } finally {
      dispatcher.handlers.delete('pre-login');
    }
  });

  it('redirects with player-choose-initial-server and server-pre-connect, or denies', async () => {
    dispatcher.handlers.set('player-choose-initial-server', (ev) =>
      ev.tag === 'player-choose-initial-server' && ev.val.profile.username === 'Dora'
        ? { tag: 'player-choose-initial-server', val: { tag: 'redirect', val: 'b' } }
        : undefined,
    );
    dispatcher.handlers.set('server-pre-connect', (ev) => {
      if (ev.tag !== 'server-pre-connect') return undefined;
      if (ev.val.profile.username === 'Eve') return { tag: 'server-pre-connect', val: { tag: 'connect-to', val: 'b' } };
      if (ev.val.profile.username === 'Finn') {
        return { tag: 'server-pre-connect', val: { tag: 'denied', val: JSON.stringify({ text: 'Not today' }) } };
      }
      return undefined;
    });
    try {
      expect(await joinVia('a.test', 'Dora')).toMatchObject({ backend: 'b' });
      expect(dispatcher.of('server-pre-connect').find((e) => e.val.profile.username === 'Dora')?.val.originalServer).toBe('b');
      expect(await joinVia('a.test', 'Eve')).toMatchObject({ backend: 'b' });
      expect(JSON.parse((await joinVia('a.test', 'Finn')).kicked!)).toEqual({ text: 'Not today' });
    } finally {
      dispatcher.handlers.delete('player-choose-initial-server');
      dispatcher.handlers.delete('server-pre-connect');
    }
  });

  it('refuses a banned player with the ban reason before pre-login, and persists bans', async () => {
    expect(await proxy.bans.ban({ tag: 'username', val: 'Griefer' }, 'griefing spawn', undefined, 'test')).toEqual({
      tag: 'ok',
      val: undefined,
    });
    const before = dispatcher.of('pre-login').length;
    const res = await joinVia('a.test', 'griefer');
    expect(res.kicked).toContain('griefing spawn');
    expect(dispatcher.of('pre-login').length).toBe(before);
    const file = JSON.parse(await readFile(join(dir, 'data', 'bans.json'), 'utf8'));
    expect(file.bans).toEqual([expect.objectContaining({ type: 'username', value: 'griefer', reason: 'griefing spawn' })]);
    expect(await proxy.bans.unban({ tag: 'username', val: 'GRIEFER' })).toEqual({ tag: 'ok', val: true });
    expect(await joinVia('a.test', 'Griefer')).toMatchObject({ backend: 'a' });
  });

  it('reroutes new connections when a server file is edited, and keeps the old version of a broken file', async () => {
    const reloads = dispatcher.of('config-reload').length;
    await serverFile('a', `domains = ["a.test"]\naddresses = ["127.0.0.1:${b.port}"]\n`);
    await until('reload', () => proxy.servers.get('a')?.addresses[0].port === b.port);
    await until('config-reload', () => dispatcher.of('config-reload').length > reloads);
    expect(await joinVia('a.test', 'Gina')).toMatchObject({ backend: 'b' });

    await serverFile('a', `domains = ["a.test"]\naddresses = ["127.0.0.1:${a.port}"]\n`);
    await until('reload back', () => proxy.servers.get('a')?.addresses[0].port === a.port);

    await serverFile('a', `domains = ["a.test"]\naddresses = [ "127.0.0.1:${b.port}"\n`);
    const problem = await until('a problem for a.toml', () => proxy.servers.problems().find((p) => p.serverId === 'a'));
    expect(problem).toMatchObject({ severity: 'error', keptPrevious: true });
    expect(problem.line).toBeGreaterThanOrEqual(2);
    await logged(/a\.toml:\d+:\d+: .*previous version stays in force/);
    expect(await joinVia('a.test', 'Hank')).toMatchObject({ backend: 'a' });

    await serverFile('a', `domains = ["a.test"]\naddresses = ["127.0.0.1:${b.port}"]\nproxy_mode = "warp"\n`);
    const modeProblem = await until('a proxy_mode problem', () =>
      proxy.servers.problems().find((p) => p.serverId === 'a' && /proxy_mode/.test(p.message)),
    );
    expect(modeProblem).toMatchObject({ line: 3, column: 1 });
    expect(modeProblem.message).toMatch(/unknown proxy_mode "warp"/);
    expect(proxy.servers.get('a')?.addresses[0].port).toBe(a.port);

    await serverFile('a', `domains = ["a.test"]\naddresses = ["127.0.0.1:${a.port}"]\n`);
    await until('a repaired', () => !proxy.servers.problems().some((p) => p.serverId === 'a'));
    await serverFile('e', `domains = ["e.test"]\naddresses = ["127.0.0.1:${b.port}"]\n`);
    await until('e added', () => proxy.servers.get('e'));
    expect(await joinVia('e.test', 'Ivy')).toMatchObject({ backend: 'b' });
    await rm(join(serversDir, 'e.toml'));
    await until('e removed', () => !proxy.servers.get('e'));
  });

  it('reports backend states from the status probe', async () => {
    await until('a online', () => proxy.servers.state('a') === 'online');
    expect(proxy.servers.state('down')).toBe('offline');
    expect(proxy.servers.state('nope')).toBeUndefined();
    const changes = dispatcher.of('server-state-change');
    expect(changes).toEqual(expect.arrayContaining([{ tag: 'server-state-change', val: { server: 'a', oldState: 'offline', newState: 'online' } }]));
  });

  describe('bad input and bad backends: closed within the timeout, logged, proxy keeps serving', () => {
    const stillServing = async () => expect((await ping('c.test')).description).toEqual({ text: '§bProxy says hi' });

    it('random bytes', async () => {
      const bytes = Buffer.from('5a17c3e9a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff', 'hex');
      const res = await raw(bytes);
      expect(res.ms).toBeLessThan(HANDSHAKE_TIMEOUT + SLACK);
      await stillServing();
    });

    it('an oversized VarInt', async () => {
      const res = await raw(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
      expect(res.ms).toBeLessThan(SLACK);
      await logged(/protocol error: VarInt longer than 3 bytes/);
      await stillServing();
    });

    it('a handshake longer than the protocol allows', async () => {
      const res = await raw(Buffer.concat([writeVarInt(4000), Buffer.from([0x00]), writeVarInt(767)]));
      expect(res.ms).toBeLessThan(SLACK);
      await logged(/protocol error: packet length 4000 outside/);
      const longHost = encodePacket(0x00, writeVarInt(767), encodeString('x'.repeat(300)), u16(25565), writeVarInt(2));
      expect((await raw(longHost)).ms).toBeLessThan(SLACK);
      await logged(/string of 300 chars exceeds 255/);
      await stillServing();
    });

    it('a wrong packet id where the handshake should be', async () => {
      expect((await raw(encodePacket(0x05, Buffer.from([1, 2, 3])))).ms).toBeLessThan(SLACK);
      await logged(/expected handshake \(0x00\), got packet 0x5/);
      await stillServing();
    });

    it('a client that sends nothing (slowloris), or half a handshake', async () => {
      const [nothing, half] = await Promise.all([raw(undefined), raw(encodeHandshake(767, 'a.test', 25565, 2).subarray(0, 5))]);
      for (const r of [nothing, half]) {
        expect(r.ms).toBeGreaterThanOrEqual(HANDSHAKE_TIMEOUT - 50);
        expect(r.ms).toBeLessThan(HANDSHAKE_TIMEOUT + SLACK);
      }
      await logged(/timed out after 800 ms: no complete handshake/);
      await stillServing();
    });

    it('a backend that is down', async () => {
      const res = await joinVia('down.test', 'Jack');
      expect(JSON.parse(res.kicked!)).toEqual({ text: 'Down for maintenance' });
      expect(res.ms).toBeLessThan(CONNECT_TIMEOUT + SLACK + 1000);
      await logged(/Jack .*down: no backend address answered/);
      await stillServing();
    });

    it('a backend that accepts and never answers', async () => {
      const res = await joinVia('silent.test', 'Kim');
      expect(JSON.parse(res.kicked!)).toEqual({ text: 'Silent backend' });
      expect(res.ms).toBeGreaterThanOrEqual(CONNECT_TIMEOUT - 50);
      expect(res.ms).toBeLessThan(CONNECT_TIMEOUT + SLACK + 1000);
      await logged(/Kim .*silent .*did not answer within 800 ms/);
      await until('Kim to leave', () => !proxy.players.getByUsername('Kim'));
      await stillServing();
    });

    it('an unknown domain gets a login disconnect under default_motd', async () => {
      const res = await joinVia('nowhere.test', 'Lost');
      expect(res.kicked).toContain('nowhere.test');
    });
  });

  it('enforces max_connections and drops unknown domains when configured', async () => {
    const settings: ProxySettings = {
      bind: '127.0.0.1:0',
      serversDir,
      connectTimeoutMs: CONNECT_TIMEOUT,
      maxConnections: 2,
      unknownDomainBehavior: 'drop',
      defaultMotd: { text: 'x', versionName: 'x', maxPlayers: 1 },
      dataDir: join(dir, 'data2'),
      sessionServer: 'http://127.0.0.1:1',
    };
    const lines: string[] = [];
    const small = createProxy({ settings, dispatcher: new FakeDispatcher(), log: (l, m) => lines.push(`${l} ${m}`), handshakeTimeoutMs: 2000 });
    const { port: smallPort } = await small.start();
    try {
      const held = [connect(smallPort, '127.0.0.1'), connect(smallPort, '127.0.0.1')];
      held.forEach((s) => s.on('error', () => undefined));
      await until('two connections', () => small.stats().activeConnections === 2);
      const refused = await new Promise<number>((resolve) => {
        const started = Date.now();
        const s = connect(smallPort, '127.0.0.1');
        s.on('error', () => undefined);
        s.on('close', () => resolve(Date.now() - started));
      });
      expect(refused).toBeLessThan(SLACK);
      expect(small.stats().refusedConnections).toBe(1);
      expect(lines.some((l) => /max_connections \(2\) reached/.test(l))).toBe(true);
      held.forEach((s) => s.destroy());
      await until('held closed', () => small.stats().activeConnections === 0);

      const dropped = await new Promise<Buffer>((resolve) => {
        const s = connect(smallPort, '127.0.0.1');
        const got: Buffer[] = [];
        s.on('data', (c) => got.push(c));
        s.on('close', () => resolve(Buffer.concat(got)));
        s.write(Buffer.concat([encodeHandshake(767, 'nowhere.test', 25565, 1), encodePacket(0x00)]));
      });
      expect(dropped.length).toBe(0);
    } finally {
      await small.stop();
    }
  });

  it('fires proxy-shutdown on stop', async () => {
    const d = new FakeDispatcher();
    const p = createProxy({
      settings: { ...minimalSettings(), serversDir, dataDir: join(dir, 'data3') },
      dispatcher: d,
      log: () => undefined,
    });
    await p.start();
    await p.stop();
    expect(d.seen.map((e) => e.tag).filter((t) => t.startsWith('proxy-'))).toEqual(['proxy-initialize', 'proxy-shutdown']);
  });
});

function minimalSettings(): ProxySettings {
  return {
    bind: '127.0.0.1:0',
    serversDir: '',
    connectTimeoutMs: 500,
    maxConnections: 10,
    unknownDomainBehavior: 'drop',
    defaultMotd: { text: 'x', versionName: 'x', maxPlayers: 1 },
    dataDir: '',
    sessionServer: 'http://127.0.0.1:1',
  };
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
