// PROXY protocol in and out with real peers: Debian's HAProxy (send-proxy-v2 and send-proxy) in front of the
// proxy, minecraft-protocol clients from distinct loopback addresses (127.0.0.2, .3, ...), and a backend that
// reads the header the proxy sends before piping into a minecraft-protocol server.

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mc from 'minecraft-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxySettings } from '../config/types.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { encodeHandshake } from './handshake.ts';
import { createProxy, type Proxy } from './proxy.ts';
import { takeProxyHeader, type Endpoint } from './proxy-protocol.ts';
import { MC_VERSION, startBackend, until, type Backend } from '../../../test/support/minecraft-peers.ts';
import { startHaProxy, type HaProxy } from '../../../test/support/haproxy.ts';

/** A minecraft-protocol client whose socket leaves from `localAddress` towards 127.0.0.1:`port`. */
function joinFrom(localAddress: string, port: number, username: string, backend: Backend): Promise<{ joined: boolean; kicked?: string }> {
  return new Promise((resolve) => {
    const client = mc.createClient({
      host: 'pp.test',
      port,
      username,
      version: MC_VERSION,
      auth: 'offline',
      connect: (c: mc.Client) => c.setSocket(connect({ port, host: '127.0.0.1', localAddress })),
    } as mc.ClientOptions);
    let kicked: string | undefined;
    const onLogin = (c: mc.Client) => {
      if (c.username !== username) return;
      backend.removeListener('login', onLogin);
      setTimeout(() => client.end(), 50);
      resolve({ joined: true });
    };
    backend.on('login', onLogin);
    client.on('error', () => undefined);
    client.on('disconnect', (p: { reason: string }) => void (kicked = p.reason));
    client.on('end', () => {
      backend.removeListener('login', onLogin);
      resolve({ joined: false, kicked });
    });
  });
}

/** Sends `bytes` from `localAddress` straight to the proxy; resolves when the proxy closes the socket. */
function rawFrom(localAddress: string, port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1', localAddress });
    const chunks: Buffer[] = [];
    s.on('connect', () => s.write(bytes));
    s.on('data', (c) => chunks.push(c));
    s.on('error', () => undefined);
    s.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

describe('PROXY protocol with HAProxy in front and a header-reading backend', () => {
  let dir: string;
  let backend: Backend;
  let front: Server;
  /** Client addresses the backend's header named, in order. */
  const headerSources: (Endpoint | null)[] = [];
  let proxy: Proxy;
  let proxyPort: number;
  let haV2: HaProxy;
  let haV1: HaProxy;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pp-test-'));
    backend = await startBackend('Behind a header');
    // The backend side of send_proxy_protocol: it demands a header, as Paper/Velocity with proxy-protocol do.
    front = createServer((sock) => {
      sock.on('error', () => undefined);
      void takeProxyHeader(sock, 'required', 2000).then((outcome) => {
        if (!outcome.ok) return void sock.destroy();
        headerSources.push(outcome.source);
        const up = connect(backend.port, '127.0.0.1');
        up.on('error', () => sock.destroy());
        sock.on('close', () => up.destroy());
        up.on('close', () => sock.destroy());
        sock.pipe(up);
        up.pipe(sock);
        sock.resume();
      });
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    const frontPort = (front.address() as { port: number }).port;
    await mkdir(join(dir, 'servers'));
    await writeFileAtomic(
      join(dir, 'servers', 'pp.toml'),
      `domains = ["pp.test"]\naddresses = ["127.0.0.1:${frontPort}"]\nsend_proxy_protocol = true\n`,
    );
    const settings: ProxySettings = {
      bind: '127.0.0.1:0',
      serversDir: join(dir, 'servers'),
      connectTimeoutMs: 3000,
      maxConnections: 64,
      unknownDomainBehavior: 'default_motd',
      defaultMotd: { text: 'Default', versionName: 'Infrarust', maxPlayers: 10 },
      dataDir: join(dir, 'data'),
      sessionServer: 'https://sessionserver.mojang.com',
      receiveProxyProtocol: true,
      trustedProxies: ['127.0.0.1/32', '::1'],
    };
    proxy = createProxy({
      settings,
      dispatcher: { hasListeners: () => false, dispatch: async () => [] },
      log: (level, msg) => logs.push(`${level} ${msg}`),
      handshakeTimeoutMs: 2000,
      probeIntervalMs: 60_000,
    });
    ({ port: proxyPort } = await proxy.start());
    [haV2, haV1] = await Promise.all([startHaProxy([proxyPort], 'send-proxy-v2'), startHaProxy([proxyPort], 'send-proxy')]);
  }, 30_000);

  afterAll(async () => {
    await Promise.all([haV2?.stop(), haV1?.stop()]);
    await proxy?.stop();
    backend?.close();
    front?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a client behind HAProxy (v2) is known by its own address: player, log line and the backend\'s header', async () => {
    const before = headerSources.length;
    const seen = new Promise<string>((resolve) => {
      const off = proxy.players.onChange((c) => {
        if (c.type === 'joined' && c.player.profile.username === 'Alice') {
          off();
          resolve(c.player.remoteAddr);
        }
      });
    });
    expect(await joinFrom('127.0.0.2', haV2.port, 'Alice', backend)).toEqual({ joined: true });
    expect(await seen).toMatch(/^127\.0\.0\.2:\d+$/);
    expect(logs.some((l) => /Alice \(127\.0\.0\.2:\d+\) → pp/.test(l))).toBe(true);
    // The backend got a v2 header naming the client, not HAProxy or the proxy.
    expect(headerSources.slice(before).map((s) => s?.ip)).toContain('127.0.0.2');
  });

  it('a v1 header from HAProxy works the same', async () => {
    const seen = new Promise<string>((resolve) => {
      const off = proxy.players.onChange((c) => {
        if (c.type === 'joined' && c.player.profile.username === 'Victor') {
          off();
          resolve(c.player.remoteAddr);
        }
      });
    });
    expect(await joinFrom('127.0.0.5', haV1.port, 'Victor', backend)).toEqual({ joined: true });
    expect(await seen).toMatch(/^127\.0\.0\.5:\d+$/);
  });

  it('an ip ban hits the real client, not everyone behind the balancer', async () => {
    const banned = await proxy.bans.ban({ tag: 'ip', val: '127.0.0.3' }, 'cheating', undefined);
    expect(banned.tag).toBe('ok');
    const refused = await joinFrom('127.0.0.3', haV2.port, 'Mallory', backend);
    expect(refused.joined).toBe(false);
    expect(refused.kicked).toContain('banned');
    expect(await joinFrom('127.0.0.4', haV2.port, 'Bob', backend)).toEqual({ joined: true });
  });

  it('a trusted peer without a header, and an untrusted one with a forged header, are closed with one log line each', async () => {
    const handshake = encodeHandshake(767, 'pp.test', 25565, 1);
    expect((await rawFrom('127.0.0.1', proxyPort, handshake)).length).toBe(0);
    await until('missing-header log line', () => logs.find((l) => /^warn 127\.0\.0\.1:\d+: no PROXY header from a trusted proxy; closing$/.test(l)));
    const forged = Buffer.concat([Buffer.from('PROXY TCP4 8.8.8.8 127.0.0.1 1234 25565\r\n'), handshake]);
    expect((await rawFrom('127.0.0.6', proxyPort, forged)).length).toBe(0);
    await until('forged-header log line', () => logs.find((l) => /^warn 127\.0\.0\.6:\d+: PROXY header from a peer not in trusted_proxies; closing$/.test(l)));
    expect(proxy.players.all().some((p) => p.remoteAddr.startsWith('8.8.8.8'))).toBe(false);
  });

  it('a peer outside trusted_proxies may still connect directly, under its own address', async () => {
    const seen = new Promise<string>((resolve) => {
      const off = proxy.players.onChange((c) => {
        if (c.type === 'joined' && c.player.profile.username === 'Direct') {
          off();
          resolve(c.player.remoteAddr);
        }
      });
    });
    expect(await joinFrom('127.0.0.7', proxyPort, 'Direct', backend)).toEqual({ joined: true });
    expect(await seen).toMatch(/^127\.0\.0\.7:\d+$/);
  });
});
