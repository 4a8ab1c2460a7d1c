// client_only against real peers: players authenticate through a session server on loopback (AES-CFB8
// between client and proxy from then on), and their real identity reaches the backend through BungeeCord
// or Velocity forwarding, which the test backends check as Spigot/Paper would. Switches and plugin
// messages work on the encrypted stream; a wrong shared secret or an unknown login closes that one
// connection. Only the event dispatcher is a test double.

import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { encodeHandshake } from './handshake.ts';
import { encodePacket, encodeString, readFrame, writeVarInt } from './packet-codec.ts';
import { offlineUuid } from './offline-uuid.ts';
import { createProxy, type Proxy } from './proxy.ts';
import { until } from '../../../test/support/minecraft-peers.ts';
import { FakeDispatcher } from '../../../test/support/fake-dispatcher.ts';
import { joinPlay, playClient, startPlayBackend, type PlayBackend } from '../../../test/support/play-peers.ts';
import { sessionAuth, startSessionServer, type SessionServer } from '../../../test/support/session-server.ts';

const SECRET = 'velocity-test-secret';
/** Each version with the forwarding its backends expect (Velocity needs 1.13+). */
const CASES = [
  ['1.8.9', 'bungeecord'],
  ['1.20.4', 'velocity'],
  ['1.21.4', 'velocity'],
  ['1.21.4', 'bungeecord'],
] as const;

describe('client_only mode with a session server and forwarding', () => {
  let dir: string;
  let proxy: Proxy;
  let port: number;
  let session: SessionServer;
  const dispatcher = new FakeDispatcher();
  const logs: string[] = [];
  const backends: PlayBackend[] = [];

  const key = (v: string, f: string) => `${v.replaceAll('.', '_')}_${f}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'client-only-test-'));
    const serversDir = join(dir, 'servers');
    await mkdir(serversDir);
    session = await startSessionServer();
    for (const [v, f] of CASES) {
      for (const side of ['a', 'b']) {
        const backend = await startPlayBackend(`${side} ${v} ${f}`, v, f === 'velocity' ? SECRET : undefined);
        backends.push(backend);
        const secret = f === 'velocity' ? `forwarding_secret = "${SECRET}"\n` : '';
        await writeFileAtomic(
          join(serversDir, `${side}${key(v, f)}.toml`),
          `domains = ["${side}.${key(v, f)}.test"]\naddresses = ["127.0.0.1:${backend.port}"]\nproxy_mode = "client_only"\nforwarding = "${f}"\n${secret}`,
        );
      }
    }
    proxy = createProxy({
      settings: {
        bind: '127.0.0.1:0',
        serversDir,
        connectTimeoutMs: 3000,
        maxConnections: 64,
        unknownDomainBehavior: 'drop',
        defaultMotd: { text: 'x', versionName: 'x', maxPlayers: 1 },
        dataDir: join(dir, 'data'),
        sessionServer: session.url,
      },
      dispatcher,
      log: (level, message) => logs.push(`${level} ${message}`),
      probeIntervalMs: 3_600_000,
    });
    ({ port } = await proxy.start());
  });

  afterAll(async () => {
    await proxy?.stop();
    for (const b of backends) b.close();
    await session?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const backend = (name: string) => backends.find((b) => b.name === name)!;

  describe.each(CASES)('%s with %s forwarding', (version, forwarding) => {
    const k = key(version, forwarding);
    const username = `Real${k.replace(/[^0-9a-z]/gi, '')}`.slice(0, 16);
    const uuidHex = randomBytes(16).toString('hex');
    const uuid = uuidHex.replace(/(\w{8})(\w{4})(\w{4})(\w{4})(\w{12})/, '$1-$2-$3-$4-$5');

    it('authenticates, forwards the real identity, relays chat and plugin messages, switches and redirects a kick on the encrypted stream', async () => {
      session.accounts.set(username, uuidHex);
      const a = backend(`a ${version} ${forwarding}`);
      const b = backend(`b ${version} ${forwarding}`);
      const player = await joinPlay(port, `a.${k}.test`, username, a, { auth: sessionAuth(session, username), sessionServer: session.url });
      const info = proxy.players.getByUsername(username)!;
      expect(info).toMatchObject({ mode: 'client_only', onlineMode: true, profile: { uuid, username } });
      expect(info.profile.properties.map((p) => p.name)).toEqual(['textures']);
      if (forwarding === 'velocity') {
        expect(a.forwarded.find((f) => f.username === username)).toEqual({ ip: '127.0.0.1', uuid, username, properties: ['textures'] });
      } else {
        const fields = a.hosts.at(-1)!.split('\0');
        expect(fields.slice(0, 3)).toEqual([`a.${k}.test`, '127.0.0.1', uuidHex]);
        expect(JSON.parse(fields[3])).toEqual([{ name: 'textures', value: 'dGV4dHVyZXM=', signature: 'c2ln' }]);
      }

      await until('in play', () => player.joined);
      player.chat('encrypted hello');
      await until('chat on A', () => a.chats.find((c) => c.username === username && c.message === 'encrypted hello'));
      await proxy.players.act(info.id, { kind: 'message', component: 'from a plugin' });
      await proxy.players.act(info.id, { kind: 'title', title: { title: 'Title!', subtitle: '', fadeInTicks: 1, stayTicks: 1, fadeOutTicks: 1 } });
      await until('message and title', () => player.messages.some((m) => m.includes('from a plugin')) && player.titles.some((t) => t.includes('Title!')));

      expect(await proxy.players.act(info.id, { kind: 'switch', server: `b${k}` })).toBeUndefined();
      await until('on B', () => b.players.has(username));
      player.chat('on b');
      await until('chat on B', () => b.chats.find((c) => c.username === username && c.message === 'on b'));

      dispatcher.handlers.set('kicked-from-server', () => ({ tag: 'kicked-from-server', val: { tag: 'redirect-to', val: `a${k}` } }));
      try {
        b.kick(username, 'closing for the night');
        await until('redirected back to A', () => a.players.has(username) && proxy.players.getByUsername(username)?.currentServer === `a${k}`);
      } finally {
        dispatcher.handlers.delete('kicked-from-server');
      }
      player.chat('back on a');
      await until('chat on A again', () => a.chats.find((c) => c.username === username && c.message === 'back on a'));
      expect(player.ended).toBe(false);
      await player.leave();
    });

    it('refuses a player the session server does not know', async () => {
      const stranger = playClient(port, `a.${k}.test`, `X${username}`.slice(0, 16), version);
      await until('refused', () => stranger.ended);
      expect(stranger.kicked ?? '').toMatch(/unverified_username/);
      expect(dispatcher.of('online-auth-failed').map((e) => e.val.username)).toContain(`X${username}`.slice(0, 16));
    });
  });

  it("a plugin's pre-login force-offline lets a player in without authentication (offline uuid)", async () => {
    const k = key('1.21.4', 'bungeecord');
    dispatcher.handlers.set('pre-login', (ev) => ((ev as { val: { profile: { username: string } } }).val.profile.username === 'Guest' ? { tag: 'pre-login', val: { tag: 'force-offline' } } : undefined));
    try {
      const calls = session.hasJoinedCalls;
      const guest = await joinPlay(port, `a.${k}.test`, 'Guest', backend('a 1.21.4 bungeecord'));
      expect(proxy.players.getByUsername('Guest')).toMatchObject({ onlineMode: false, profile: { uuid: offlineUuid('Guest') } });
      expect(session.hasJoinedCalls).toBe(calls);
      await guest.leave();
    } finally {
      dispatcher.handlers.delete('pre-login');
    }
  });

  it('closes the connection of a client whose shared secret does not decrypt, and only that one', async () => {
    const k = key('1.21.4', 'velocity');
    const name = 'Steady';
    session.accounts.set(name, randomBytes(16).toString('hex'));
    const steady = await joinPlay(port, `a.${k}.test`, name, backend(`a 1.21.4 ${'velocity'}`), { auth: sessionAuth(session, name), sessionServer: session.url });
    const closed = await wrongSecret(port, `a.${k}.test`);
    expect(closed).toBe(true);
    expect(logs.some((l) => /protocol error: undecryptable encryption response/.test(l))).toBe(true);
    steady.chat('still fine');
    await until('steady chat', () => backend(`a 1.21.4 velocity`).chats.find((c) => c.message === 'still fine'));
    await steady.leave();
  });
});

/** A raw 1.21.4 client that answers the encryption request with bytes not encrypted under the proxy's key. */
function wrongSecret(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let got = Buffer.alloc(0);
    let answered = false;
    s.on('connect', () => {
      s.write(encodeHandshake(769, host, 25565, 2));
      s.write(encodePacket(0x00, encodeString('Mallory'), randomBytes(16)));
    });
    s.on('data', (chunk) => {
      got = Buffer.concat([got, chunk]);
      const frame = readFrame(got, 0, 4096);
      if (!frame || answered || frame.body[0] !== 0x01) return;
      answered = true;
      const bytes = (n: number) => Buffer.concat([writeVarInt(n), randomBytes(n)]);
      s.write(encodePacket(0x01, bytes(128), bytes(128)));
    });
    s.on('error', () => undefined);
    s.on('close', () => resolve(answered));
  });
}
